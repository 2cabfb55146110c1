/**
 * An ESXi host's configuration as the lab gives it, with the defaults chosen where DOMAIN.md has
 * no verified value ([U] below; every one is a setting in info.ts).
 */
import { parseCidr, parseIpv4 } from '../../core/ipv4.ts';
import { parseMac } from '../../core/mac.ts';
import { hashString } from '../../core/prng.ts';
import { MS } from '../../core/time.ts';
import type { Settings } from '../kind.ts';
import { nicList, parsePortGroups, type PortGroupSpec } from './policy.ts';

export type NicMedium = 'copper' | 'sfp' | 'backplane';

export interface EsxiHostOptions {
  hostname: string;
  uplinks: number;
  nicSpeedBps: number;
  nicMedium: NicMedium;
  nicDriver: string;
  nicDescription: string;
  /** MAC of vmnic0; the others follow it by two (a dual-port NIC's functions, as in seed 001). */
  firstNicMac: number;
  managementIp: { ip: number; prefix: number } | null;
  managementVlan: number;
  gateway: number | null;
  /** vSwitch0: its active and standby uplinks, switch-level teaming and its VM port groups. */
  standardActive: string[];
  standardStandby: string[];
  standardNotify: boolean;
  standardFailback: boolean;
  portGroups: PortGroupSpec[];
  /** The distributed switch this host is a member of, or null. */
  dvs: {
    name: string;
    active: string[];
    standby: string[];
    notify: boolean;
    failback: boolean;
    portGroups: PortGroupSpec[];
  } | null;
  mtu: number;
  vmotionBps: number;
  vmotionSwitchoverNs: number;
}

/**
 * Fixed part of a vMotion switchover (stun, hand-over of the vNIC and disk locks, resume) besides
 * copying the last dirty pages. vMotion documentation speaks of a switchover "under a second";
 * 200 ms is our choice [U].
 */
export const DEFAULT_VMOTION_SWITCHOVER_MS = 200;
/** The Emulex OUI used for default vmnic MACs when the lab gives none [U: any vendor OUI would do]. */
const DEFAULT_NIC_OUI = 0x0000c9000000;

export function parseSpeed(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT])$/i.exec(v.trim());
  if (!m) throw new Error(`not a speed: ${v}`);
  const scale: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * scale[m[2].toUpperCase()]);
}

function str(s: Settings, k: string, d = ''): string {
  const v = s[k];
  return typeof v === 'string' ? v : d;
}
function int(s: Settings, k: string, d: number): number {
  const v = s[k];
  return typeof v === 'number' ? v : d;
}
function bool(s: Settings, k: string, d: boolean): boolean {
  const v = s[k];
  return typeof v === 'boolean' ? v : d;
}

export function vmnicName(i: number): string {
  return `vmnic${i}`;
}

export function hostOptionsFromSettings(name: string, s: Settings): EsxiHostOptions {
  const uplinks = int(s, 'uplinks', 2);
  const all = Array.from({ length: uplinks }, (_, i) => vmnicName(i));
  const known = (list: string[], what: string): string[] => {
    for (const n of list) if (!all.includes(n)) throw new Error(`${name}: ${what} names ${n}, but the host has ${all.join(', ')}`);
    return list;
  };
  const dvsActive = known(nicList(str(s, 'dvsUplinks')), 'dvsUplinks');
  const dvsStandby = known(nicList(str(s, 'dvsStandby')), 'dvsStandby');
  const onDvs = new Set([...dvsActive, ...dvsStandby]);
  const given = known(nicList(str(s, 'vSwitch0Uplinks')), 'vSwitch0Uplinks');
  const standardStandby = known(nicList(str(s, 'vSwitch0Standby')), 'vSwitch0Standby');
  // Without an explicit list vSwitch0 takes every vmnic the dvSwitch does not.
  const standardActive = given.length > 0 ? given : all.filter((n) => !onDvs.has(n) && !standardStandby.includes(n));
  for (const n of [...standardActive, ...standardStandby]) if (onDvs.has(n)) throw new Error(`${name}: ${n} cannot be an uplink of both vSwitch0 and the dvSwitch`);
  const mgmt = str(s, 'managementIp');
  const gw = str(s, 'gateway');
  const mac = str(s, 'firstNicMac');
  const dvsOn = dvsActive.length + dvsStandby.length > 0;
  return {
    hostname: str(s, 'hostname') || name,
    uplinks,
    nicSpeedBps: parseSpeed(str(s, 'nicSpeed', '10G')),
    nicMedium: (str(s, 'nicMedium', 'sfp') as NicMedium) || 'sfp',
    nicDriver: str(s, 'nicDriver', 'ixgbe') || 'ixgbe',
    nicDescription: str(s, 'nicDescription') || 'Intel Corporation 82599 10 Gigabit Dual Port Network Connection',
    firstNicMac: mac !== '' ? parseMac(mac) : DEFAULT_NIC_OUI + (hashString(name) % 0x7fff) * 0x200,
    managementIp: mgmt !== '' ? parseCidr(mgmt) : null,
    managementVlan: int(s, 'managementVlan', 0),
    gateway: gw !== '' ? parseIpv4(gw) : null,
    standardActive,
    standardStandby,
    standardNotify: bool(s, 'notifySwitches', true),
    standardFailback: bool(s, 'failback', true),
    portGroups: parsePortGroups(str(s, 'portGroups', 'VM Network/0')),
    dvs: dvsOn
      ? {
          name: str(s, 'dvsName', 'dvSwitch') || 'dvSwitch',
          active: dvsActive,
          standby: dvsStandby,
          notify: bool(s, 'dvsNotifySwitches', true),
          failback: bool(s, 'dvsFailback', true),
          portGroups: parsePortGroups(str(s, 'dvPortGroups', 'dvPortGroup/0')),
        }
      : null,
    mtu: int(s, 'mtu', 1500),
    vmotionBps: parseSpeed(str(s, 'vmotionBandwidth', '10G')),
    vmotionSwitchoverNs: int(s, 'vmotionSwitchoverMs', DEFAULT_VMOTION_SWITCHOVER_MS) * MS,
  };
}
