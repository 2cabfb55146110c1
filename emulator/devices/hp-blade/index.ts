/** The BL460c kind's public face: catalog entry and the blade classes (created in a bay through hp-c7000). */
export { bl460cInfo } from './info.ts';
export { BladeEsxiHost, BladeHardware, BladeHypervHost, BladeIpHost, createBlade, isBlade } from './blade.ts';
export type { Blade } from './blade.ts';
