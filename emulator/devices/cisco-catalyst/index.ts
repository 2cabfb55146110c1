/** The Catalyst kinds' public face: catalog entries, the running device, and the config checker for validators and editors. */
export { catalyst2960Info, catalyst3750g12sInfo, catalyst3750Info } from './info.ts';
export { CatalystSwitch, checkCatalystConfig } from './device.ts';
