import type { DeviceKindInfo } from './kind.ts';
import { l2SwitchInfo } from './l2-switch/info.ts';
import { pcInfo } from './pc/info.ts';

/**
 * The device catalog: one line per kind. Adding a kind means adding its folder under
 * `emulator/devices/<kind>/` and one entry here.
 */
const kinds: DeviceKindInfo[] = [
  // entries are added by each device folder's `info.ts`
  pcInfo,
  l2SwitchInfo,
];

const byName = new Map<string, DeviceKindInfo>(kinds.map((k) => [k.kind, k]));

export function deviceKinds(): readonly DeviceKindInfo[] {
  return kinds;
}

export function deviceKind(kind: string): DeviceKindInfo | undefined {
  return byName.get(kind);
}
