import { catalyst2960Info, catalyst3750g12sInfo, catalyst3750Info } from './cisco-catalyst/info.ts';
import { catalyst3750StackInfo } from './cisco-catalyst-stack/info.ts';
import { nexus2248Info } from './cisco-nexus-2248/info.ts';
import { nexus5548Info } from './cisco-nexus-5548/info.ts';
import { powerConnect5424Info, powerConnect5448Info } from './dell-powerconnect/info.ts';
import { esxiHostInfo, esxiVmInfo } from './esxi-host/info.ts';
import { hypervClusterInfo } from './hyperv-cluster/info.ts';
import { hypervHostInfo, hypervVmInfo } from './hyperv-host/info.ts';
import { bl460cInfo } from './hp-blade/info.ts';
import { c7000Info } from './hp-c7000/info.ts';
import { vcFcInfo, vcFlex10Info, vcFlexFabricInfo } from './hp-virtual-connect/info.ts';
import type { DeviceKindInfo } from './kind.ts';
import { l2SwitchInfo } from './l2-switch/info.ts';
import { pcInfo } from './pc/info.ts';
import { routerInfo } from './router/info.ts';
import { windowsServerInfo } from './windows-server/info.ts';

/**
 * The device catalog: one line per kind. Adding a kind means adding its folder under
 * `emulator/devices/<kind>/` and one entry here.
 */
const kinds: DeviceKindInfo[] = [
  // entries are added by each device folder's `info.ts`
  powerConnect5424Info, powerConnect5448Info,
  catalyst2960Info, catalyst3750Info, catalyst3750g12sInfo, catalyst3750StackInfo,
  nexus5548Info, nexus2248Info,
  pcInfo,
  routerInfo,
  l2SwitchInfo,
  hypervHostInfo, hypervVmInfo, hypervClusterInfo,
  esxiHostInfo, esxiVmInfo,
  windowsServerInfo,
  c7000Info, vcFlex10Info, vcFlexFabricInfo, vcFcInfo, bl460cInfo,
];

const byName = new Map<string, DeviceKindInfo>(kinds.map((k) => [k.kind, k]));

export function deviceKinds(): readonly DeviceKindInfo[] {
  return kinds;
}

export function deviceKind(kind: string): DeviceKindInfo | undefined {
  return byName.get(kind);
}
