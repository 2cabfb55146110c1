/** The router kind's public face: catalog entry, the running device, and the config checker for validators and editors. */
export { routerInfo } from './info.ts';
export { Router, checkRouterConfig } from './device.ts';
