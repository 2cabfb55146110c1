/** The Virtual Connect kinds' public face: catalog entries, the module, its domain and configuration. */
export { vcFlex10Info, vcFlexFabricInfo, vcFcInfo, DEFAULT_MODULE_SETTINGS, compareFirmware } from './info.ts';
export { VcModule } from './module.ts';
export { VcDomain } from './domain.ts';
export { VcConfig } from './config.ts';
export { allocateFlexNics } from './flexnic.ts';
