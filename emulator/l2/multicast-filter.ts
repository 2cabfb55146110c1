/**
 * The multicast filtering database of a managed switch: static bridge multicast groups (a MAC
 * with static and forbidden member ports, LAGs included), groups learned by IGMP snooping,
 * multicast router / forward-all ports, and what happens to unregistered groups per VLAN.
 *
 * Forwarding is by destination MAC ("mac-group" bridging), so IP groups that share a MAC share
 * ports. Snooping only ever registers IPv4 multicast MACs (01:00:5e…); any other group MAC, such as
 * the 03:bf:… cluster MAC of NLB multicast mode, is constrained only by a static group.
 *
 * With filtering disabled (the switch default) every group-addressed frame floods the VLAN, even
 * when static groups are configured; snooping still learns, so enabling filtering takes effect at
 * once.
 */
import type { Frame } from '../core/frame.ts';
import { IGMP_LEAVE, IGMP_QUERY } from '../wire/igmp.ts';
import { IgmpSnooping, isIpv4MulticastMac, isLinkLocalGroupMac, type IgmpSnoopHost } from './igmp-snooping.ts';
import type { MulticastForwarder } from './switch.ts';

/**
 * Per-VLAN handling of groups nobody registered:
 * - `forward-unregistered`: flooded to the VLAN (except ports forbidden to receive them);
 * - `forward-all`: every multicast frame is flooded, registered or not;
 * - `filter-unregistered`: sent only to forward-all, forward-unregistered and router ports.
 */
export type UnregisteredMode = 'forward-unregistered' | 'forward-all' | 'filter-unregistered';

export interface StaticGroup {
  readonly mac: number;
  /** Bridge-port indices that always receive the group. */
  readonly ports: readonly number[];
  /** Bridge-port indices that never receive it, even when a member joins there by IGMP. */
  readonly forbidden: readonly number[];
}

export interface MulticastVlanConfig {
  readonly mode: UnregisteredMode;
  /** Ports that receive every multicast frame of the VLAN (static multicast-router ports). */
  readonly forwardAll: readonly number[];
  /** Ports that may not become router ports by snooping. */
  readonly forbiddenForwardAll: readonly number[];
  /** Ports that receive unregistered groups when the VLAN filters them. */
  readonly forwardUnregistered: readonly number[];
  /** Ports that never receive unregistered groups. */
  readonly forbiddenForwardUnregistered: readonly number[];
  readonly groups: readonly StaticGroup[];
}

export function defaultMulticastVlanConfig(mode: UnregisteredMode = 'forward-unregistered'): MulticastVlanConfig {
  return { mode, forwardAll: [], forbiddenForwardAll: [], forwardUnregistered: [], forbiddenForwardUnregistered: [], groups: [] };
}

/** What the filter needs to know about the bridge's ports. */
export interface FilterBridge extends IgmpSnoopHost {
  /** Number of bridge ports (physical and port-channels). */
  bridgePortCount(): number;
  /** Whether bridge port `index` is a member of `vid`. */
  bridgePortCarries(index: number, vid: number): boolean;
}

export interface MulticastEntryView {
  vlan: number;
  mac: number;
  type: 'static' | 'dynamic';
  ports: number[];
  forbidden: number[];
}

const NO_PORTS: readonly number[] = [];

interface VlanFilter {
  readonly cfg: MulticastVlanConfig;
  readonly byMac: Map<number, StaticGroup>;
}

export class MulticastFilter implements MulticastForwarder {
  readonly snooping: IgmpSnooping;
  private filtering = false;
  private vlans = new Map<number, VlanFilter>();
  private defaultMode: UnregisteredMode = 'forward-unregistered';
  private configGeneration = 0;
  private cacheKey = -1;
  private cache = new Map<number, Map<number, readonly number[] | null>>();
  private routerCache = new Map<number, readonly number[]>();

  constructor(private readonly bridge: FilterBridge) {
    this.snooping = new IgmpSnooping(bridge);
  }

  /** Replace the static configuration (learned state is kept). */
  configure(filtering: boolean, vlans: ReadonlyMap<number, MulticastVlanConfig>, defaultMode: UnregisteredMode = 'forward-unregistered'): void {
    this.filtering = filtering;
    this.defaultMode = defaultMode;
    this.vlans = new Map();
    for (const [vid, cfg] of vlans) this.vlans.set(vid, { cfg, byMac: new Map(cfg.groups.map((g) => [g.mac, g])) });
    this.configGeneration++;
  }

  get filteringEnabled(): boolean {
    return this.filtering;
  }

  egressFor(f: Frame, vid: number, ingress: number, now: number): readonly number[] | null {
    const igmp = this.snooping.snoop(f, vid, ingress, now);
    if (!this.filtering) return null;
    if (igmp !== 0) {
      // RFC 4541 §2.1.1: queries go everywhere; reports and leaves only towards routers.
      return igmp === IGMP_QUERY ? null : this.routerPorts(vid);
    }
    const mac = f.dst;
    if (isLinkLocalGroupMac(mac)) return null;
    this.checkCache();
    let perVlan = this.cache.get(vid);
    if (perVlan === undefined) {
      perVlan = new Map();
      this.cache.set(vid, perVlan);
    }
    let out = perVlan.get(mac);
    if (out === undefined) {
      out = this.compute(vid, mac);
      perVlan.set(mac, out);
    }
    return out;
  }

  private checkCache(): void {
    const key = this.configGeneration * 1048576 + this.snooping.generation;
    if (key !== this.cacheKey) {
      this.cacheKey = key;
      this.cache.clear();
      this.routerCache.clear();
    }
  }

  private vlan(vid: number): MulticastVlanConfig {
    return this.vlans.get(vid)?.cfg ?? defaultMulticastVlanConfig(this.defaultMode);
  }

  /** Static forward-all ports plus router ports learned by snooping (less forbidden ones). */
  routerPorts(vid: number): readonly number[] {
    this.checkCache();
    let r = this.routerCache.get(vid);
    if (r === undefined) {
      const cfg = this.vlan(vid);
      const set = new Set<number>(cfg.forwardAll);
      const learned = new Set<number>();
      this.snooping.collectRouterPorts(vid, learned);
      for (const p of learned) if (!cfg.forbiddenForwardAll.includes(p)) set.add(p);
      r = sorted(set);
      this.routerCache.set(vid, r);
    }
    return r;
  }

  private compute(vid: number, mac: number): readonly number[] | null {
    const cfg = this.vlan(vid);
    if (cfg.mode === 'forward-all') return null;
    const ip = isIpv4MulticastMac(mac);
    const set = new Set<number>();
    const stat = this.vlans.get(vid)?.byMac.get(mac);
    let registered = false;
    if (stat !== undefined) {
      registered = true;
      for (const p of stat.ports) set.add(p);
    }
    if (ip && this.snooping.collectMembers(vid, mac, set)) registered = true;
    if (registered) {
      for (const p of cfg.forwardAll) set.add(p);
      // Router ports want all IP multicast data (RFC 4541 §2.1.2); snooping never touches other MACs.
      if (ip) for (const p of this.routerPorts(vid)) set.add(p);
      if (stat !== undefined) for (const p of stat.forbidden) set.delete(p);
      return sorted(set);
    }
    if (cfg.mode === 'forward-unregistered') {
      if (cfg.forbiddenForwardUnregistered.length === 0) return null;
      const n = this.bridge.bridgePortCount();
      for (let i = 0; i < n; i++) if (this.bridge.bridgePortCarries(i, vid) && !cfg.forbiddenForwardUnregistered.includes(i)) set.add(i);
      return sorted(set);
    }
    for (const p of cfg.forwardUnregistered) set.add(p);
    for (const p of cfg.forwardAll) set.add(p);
    // RFC 4541 §2.1.2 (3): unregistered IP multicast must still reach the routers.
    if (ip) for (const p of this.routerPorts(vid)) set.add(p);
    for (const p of cfg.forbiddenForwardUnregistered) set.delete(p);
    return set.size === 0 ? NO_PORTS : sorted(set);
  }

  /** Static groups and groups registered by snooping, one row per (VLAN, MAC, type). */
  table(): MulticastEntryView[] {
    const out: MulticastEntryView[] = [];
    for (const [vid, v] of this.vlans) {
      for (const g of v.cfg.groups) out.push({ vlan: vid, mac: g.mac, type: 'static', ports: [...g.ports].sort((a, b) => a - b), forbidden: [...g.forbidden].sort((a, b) => a - b) });
    }
    const dyn = new Map<string, MulticastEntryView>();
    for (const g of this.snooping.groups()) {
      const key = `${g.vlan}/${g.mac}`;
      let e = dyn.get(key);
      if (e === undefined) {
        e = { vlan: g.vlan, mac: g.mac, type: 'dynamic', ports: [], forbidden: [] };
        dyn.set(key, e);
      }
      for (const p of g.ports) if (!e.ports.includes(p)) e.ports.push(p);
    }
    for (const e of dyn.values()) {
      e.ports.sort((a, b) => a - b);
      out.push(e);
    }
    return out.sort((a, b) => a.vlan - b.vlan || a.mac - b.mac || (a.type === b.type ? 0 : a.type === 'static' ? -1 : 1));
  }
}

function sorted(set: Set<number>): number[] {
  return [...set].sort((a, b) => a - b);
}
