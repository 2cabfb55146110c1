/** The PowerConnect 54xx kinds' public face: catalog entries, the running device, and the config checker. */
export { powerConnect5424Info, powerConnect5448Info } from './info.ts';
export { PowerConnectSwitch, checkPowerConnectConfig } from './device.ts';
