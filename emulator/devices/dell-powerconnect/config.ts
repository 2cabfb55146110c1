/**
 * The running configuration of a PowerConnect 54xx as its CLI holds it: what `show
 * running-config` prints (Radlan style: no indentation, each block closed by `exit`) and what the
 * switch and its multicast database are programmed from.
 */
import { formatIdList as formatAscendingIds } from '../../cli/params.ts';
import { formatIpv4 } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import type { UnregisteredMode } from '../../l2/multicast-filter.ts';
import type { PowerConnectModel } from './info.ts';

export type LagMode = 'auto' | 'on';
export type SwitchportMode = 'access' | 'trunk' | 'general';

export interface SwitchportConfig {
  mode: SwitchportMode;
  accessVlan: number;
  /** Trunk members (tagged). */
  trunkAllowed: number[];
  generalPvid: number;
  /** General-mode members and their tagging. */
  general: Map<number, 'tagged' | 'untagged'>;
  description: string | null;
  shutdown: boolean;
}

export interface EthConfig extends SwitchportConfig {
  readonly name: string;
  channel: { id: number; mode: LagMode } | null;
}

export interface LagConfig extends SwitchportConfig {
  readonly id: number;
}

export interface BridgeGroup {
  /** How it was typed: as the MAC or as an IPv4 group (mapped to its MAC). */
  readonly typedIp: number | null;
  readonly ports: Set<string>;
  readonly forbidden: Set<string>;
}

export interface VlanIfConfig {
  readonly vid: number;
  igmpSnooping: boolean;
  querier: boolean | null;
  querierAddress: number | null;
  hostTimeout: number | null;
  mrouterTimeout: number | null;
  /** Seconds, 0 = immediate-leave; null = default. */
  leaveTimeout: number | null;
  unregistered: UnregisteredMode | null;
  readonly forwardAll: Set<string>;
  readonly forbiddenForwardAll: Set<string>;
  readonly forwardUnregistered: Set<string>;
  readonly forbiddenForwardUnregistered: Set<string>;
  readonly groups: Map<number, BridgeGroup>;
}

export const DEFAULT_AGING_S = 300;

export function defaultSwitchport(): SwitchportConfig {
  return { mode: 'access', accessVlan: 1, trunkAllowed: [], generalPvid: 1, general: new Map(), description: null, shutdown: false };
}

export class PowerConnectConfig {
  hostname: string;
  /** VLAN id → name (null: unnamed). VLAN 1 always exists. */
  readonly vlans = new Map<number, string | null>([[1, null]]);
  readonly eth = new Map<string, EthConfig>();
  readonly lags = new Map<number, LagConfig>();
  readonly vlanIfs = new Map<number, VlanIfConfig>();
  bridgeMulticastFiltering = false;
  igmpSnooping = false;
  agingTime = DEFAULT_AGING_S;

  constructor(
    readonly model: PowerConnectModel,
    hostname: string,
  ) {
    this.hostname = hostname;
    for (let n = 1; n <= model.ports; n++) this.eth.set(`g${n}`, { ...defaultSwitchport(), name: `g${n}`, channel: null });
  }

  lag(id: number): LagConfig {
    let l = this.lags.get(id);
    if (!l) {
      l = { ...defaultSwitchport(), id };
      this.lags.set(id, l);
    }
    return l;
  }

  vlanIf(vid: number): VlanIfConfig {
    let v = this.vlanIfs.get(vid);
    if (!v) {
      v = {
        vid, igmpSnooping: false, querier: null, querierAddress: null, hostTimeout: null, mrouterTimeout: null, leaveTimeout: null, unregistered: null,
        forwardAll: new Set(), forbiddenForwardAll: new Set(), forwardUnregistered: new Set(), forbiddenForwardUnregistered: new Set(), groups: new Map(),
      };
      this.vlanIfs.set(vid, v);
    }
    return v;
  }

  /** Switchport settings of `name` (`g1` or `ch1`); a LAG member's live on its LAG. */
  switchport(name: string): SwitchportConfig {
    if (name.startsWith('ch')) return this.lag(Number(name.slice(2)));
    const e = this.eth.get(name)!;
    return e.channel ? this.lag(e.channel.id) : e;
  }

  members(id: number): EthConfig[] {
    return [...this.eth.values()].filter((e) => e.channel?.id === id);
  }

  /** `show running-config`. */
  render(): string {
    const out: string[] = [];
    const vids = [...this.vlans.keys()].filter((v) => v !== 1).sort((a, b) => a - b);
    if (vids.length > 0) out.push('vlan database', `vlan ${formatIdList(vids)}`, 'exit');
    for (const e of this.eth.values()) {
      const body = this.switchportLines(e);
      if (e.channel) body.push(`channel-group ${e.channel.id} mode ${e.channel.mode}`);
      block(out, `interface ethernet ${e.name}`, body);
    }
    for (const l of [...this.lags.values()].sort((a, b) => a.id - b.id)) block(out, `interface port-channel ${l.id}`, this.switchportLines(l), true);
    const vlanIds = new Set([...this.vlans.keys(), ...this.vlanIfs.keys()]);
    for (const vid of [...vlanIds].sort((a, b) => a - b)) {
      const body: string[] = [];
      const name = this.vlans.get(vid);
      if (name) body.push(`name ${name}`);
      const v = this.vlanIfs.get(vid);
      if (v) body.push(...vlanIfLines(v));
      block(out, `interface vlan ${vid}`, body);
    }
    if (this.agingTime !== DEFAULT_AGING_S) out.push(`bridge aging-time ${this.agingTime}`);
    if (this.bridgeMulticastFiltering) out.push('bridge multicast filtering');
    if (this.igmpSnooping) out.push('ip igmp snooping');
    out.push(`hostname ${this.hostname}`);
    return out.join('\n') + '\n';
  }

  private switchportLines(c: SwitchportConfig): string[] {
    const l: string[] = [];
    if (c.description !== null) l.push(`description ${c.description}`);
    if (c.shutdown) l.push('shutdown');
    if (c.mode !== 'access') l.push(`switchport mode ${c.mode}`);
    if (c.mode === 'access' && c.accessVlan !== 1) l.push(`switchport access vlan ${c.accessVlan}`);
    if (c.mode === 'trunk' && c.trunkAllowed.length > 0) l.push(`switchport trunk allowed vlan add ${formatIdList(c.trunkAllowed)}`);
    if (c.mode === 'general') {
      for (const t of ['tagged', 'untagged'] as const) {
        const ids = [...c.general].filter(([, k]) => k === t).map(([v]) => v).sort((a, b) => a - b);
        if (ids.length > 0) l.push(`switchport general allowed vlan add ${formatIdList(ids)} ${t}`);
      }
      if (c.generalPvid !== 1) l.push(`switchport general pvid ${c.generalPvid}`);
    }
    return l;
  }
}

function block(out: string[], head: string, body: string[], always = false): void {
  if (body.length === 0 && !always) return;
  out.push(head, ...body, 'exit');
}

function vlanIfLines(v: VlanIfConfig): string[] {
  const l: string[] = [];
  if (v.igmpSnooping) l.push('ip igmp snooping');
  if (v.querier !== null) l.push(v.querier ? 'ip igmp snooping querier' : 'no ip igmp snooping querier');
  if (v.querierAddress !== null) l.push(`ip igmp snooping querier address ${formatIpv4(v.querierAddress)}`);
  if (v.hostTimeout !== null) l.push(`ip igmp snooping host-time-out ${v.hostTimeout}`);
  if (v.mrouterTimeout !== null) l.push(`ip igmp snooping mrouter-time-out ${v.mrouterTimeout}`);
  if (v.leaveTimeout !== null) l.push(`ip igmp snooping leave-time-out ${v.leaveTimeout === 0 ? 'immediate-leave' : v.leaveTimeout}`);
  if (v.unregistered === 'forward-all') l.push('bridge multicast forward-all');
  else if (v.unregistered !== null) l.push(`bridge multicast unregistered ${v.unregistered === 'filter-unregistered' ? 'filtering' : 'forwarding'}`);
  const lists: [string, Set<string>][] = [
    ['bridge multicast forward-all', v.forwardAll],
    ['bridge multicast forbidden forward-all', v.forbiddenForwardAll],
    ['bridge multicast forward-unregistered', v.forwardUnregistered],
    ['bridge multicast forbidden forward-unregistered', v.forbiddenForwardUnregistered],
  ];
  for (const [cmd, set] of lists) for (const part of portListParts(set)) l.push(`${cmd} add ${part}`);
  for (const [mac, g] of [...v.groups].sort((a, b) => a[0] - b[0])) {
    const addr = g.typedIp !== null ? formatIpv4(g.typedIp) : formatMac(mac);
    l.push(`bridge multicast address ${addr}`);
    for (const part of portListParts(g.ports)) l.push(`bridge multicast address ${addr} add ${part}`);
    for (const part of portListParts(g.forbidden)) l.push(`bridge multicast forbidden address ${addr} add ${part}`);
  }
  return l;
}

/** `ethernet g(1-2,5)` and `port-channel 1-2` pieces for a set of port names. */
export function portListParts(set: Iterable<string>): string[] {
  const eth: number[] = [];
  const ch: number[] = [];
  for (const n of set) (n.startsWith('ch') ? ch : eth).push(Number(n.slice(n.startsWith('ch') ? 2 : 1)));
  const out: string[] = [];
  if (eth.length > 0) out.push(`ethernet ${compactPorts('g', eth)}`);
  if (ch.length > 0) out.push(`port-channel ${formatIdList(ch.sort((a, b) => a - b))}`);
  return out;
}

/** Radlan's compact port lists: `g1`, `g(1-4,6)`. */
export function compactPorts(prefix: string, nums: readonly number[]): string {
  const sorted = [...nums].sort((a, b) => a - b);
  if (sorted.length === 1) return `${prefix}${sorted[0]}`;
  return `${prefix}(${formatIdList(sorted)})`;
}

/** A list of port names (`g1`, `ch2`) printed as `g(1-2),ch(1)`. */
export function compactNames(names: Iterable<string>): string {
  const eth: number[] = [];
  const ch: number[] = [];
  for (const n of names) (n.startsWith('ch') ? ch : eth).push(Number(n.slice(n.startsWith('ch') ? 2 : 1)));
  return [eth.length > 0 ? compactPorts('g', eth) : '', ch.length > 0 ? compactPorts('ch', ch) : ''].filter((s) => s !== '').join(',');
}

/** The CLI's `1,10-20,30` for ids in any order. */
export function formatIdList(ids: readonly number[]): string {
  return formatAscendingIds([...ids].sort((a, b) => a - b));
}

/**
 * Parses the port lists the CLI takes after `ethernet`: `g1`, `g1,g3`, `g1-4`, `g1-g4`, `g(1-4,6)`,
 * `all`. Returns port numbers, or null when the text is not a list or names a port the model lacks.
 */
export function parseEthList(text: string, ports: number): number[] | null {
  const t = text.trim().toLowerCase();
  if (t === 'all') return Array.from({ length: ports }, (_, i) => i + 1);
  const paren = /^g\(([\d,\-]+)\)$/.exec(t);
  const items = paren ? paren[1]!.split(',').map((s) => `g${s}`) : t.split(',');
  const out = new Set<number>();
  for (const item of items) {
    const m = /^g(\d+)(?:-g?(\d+))?$/.exec(item);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > ports || hi < lo) return null;
    for (let n = lo; n <= hi; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

export function naturalCompare(a: string, b: string): number {
  const ka = a.startsWith('ch') ? 1 : 0;
  const kb = b.startsWith('ch') ? 1 : 0;
  if (ka !== kb) return ka - kb;
  return Number(a.replace(/^\D+/, '')) - Number(b.replace(/^\D+/, ''));
}
