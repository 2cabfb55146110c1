/**
 * IGMP snooping (RFC 4541) as a reusable bridge behaviour: per-VLAN group membership learned from
 * IGMPv1/v2 reports (v3 reports as the single-group join the wire layer models), leaves, multicast
 * router ports learned from queries, and an optional querier with RFC 2236 election.
 *
 * Forwarding on these switches is by destination MAC, so membership is also indexed by the group's
 * MAC (01:00:5e + low 23 bits of the group). 32 IPv4 groups share each MAC: a host joining
 * 224.1.2.3 also receives 239.129.2.3, and a leave of one keeps the MAC registered while another
 * group on it has members. That overlap is modelled, not hidden.
 */
import type { Frame } from '../core/frame.ts';
import { formatIpv4 } from '../core/ipv4.ts';
import { formatMac } from '../core/mac.ts';
import type { Network } from '../core/network.ts';
import { ETHERTYPE_IPV4, IPPROTO_IGMP, type IgmpMessage, type Ipv4Packet } from '../core/packets.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import { IGMP_LEAVE, IGMP_QUERY, IGMP_V1_REPORT, IGMP_V2_REPORT, IGMP_V3_REPORT } from '../wire/igmp.ts';

const TWO24 = 0x1000000;
const IPV4_MCAST_OUI = 0x01005e;
const ALL_SYSTEMS = 0xe0000001; // 224.0.0.1
const ALL_SYSTEMS_MAC = 0x01005e000001;
/** IPv4 header 20 + IGMP 8 + Ethernet header 14 + FCS 4, padded to the 64-byte minimum. */
const QUERY_FRAME_SIZE = 64;

/** The Ethernet address an IPv4 multicast group is sent to (RFC 1112 §6.4). */
export function groupMac(group: number): number {
  return IPV4_MCAST_OUI * TWO24 + (group & 0x7fffff);
}

/** Is this an IPv4 multicast MAC (01:00:5e:00:00:00–01:00:5e:7f:ff:ff)? */
export function isIpv4MulticastMac(mac: number): boolean {
  return Math.floor(mac / TWO24) === IPV4_MCAST_OUI && mac % TWO24 < 0x800000;
}

/** 224.0.0.x maps here: RFC 4541 §2.1.2 says such traffic is flooded to every port. */
export function isLinkLocalGroupMac(mac: number): boolean {
  return Math.floor(mac / 256) === 0x01005e0000;
}

/**
 * The 32 groups a MAC stands for, as the Radlan-family switches print them:
 * `224-239.130|2.2.3` = first octet 224–239, second octet 2 or 130, then .2.3.
 */
export function macGroupPattern(mac: number): string {
  const low = mac % TWO24;
  const b2 = (low >>> 16) & 0x7f;
  return `224-239.${b2 + 128}|${b2}.${(low >>> 8) & 255}.${low & 255}`;
}

export interface IgmpVlanSettings {
  /** Group membership interval: a port leaves a group this long after its last report (RFC 2236 GMI = RV×QI+QRI). */
  hostTimeoutNs: number;
  /** A port stays a multicast router port this long after its last query. */
  mrouterTimeoutNs: number;
  /** After a leave, how long the port keeps the group; 0 = fast (immediate) leave. */
  leaveTimeoutNs: number;
  /** Act as querier on this VLAN when no lower-addressed querier is heard. */
  querier: boolean;
  /** Source address of this switch's queries (0 = cannot be querier: no address). */
  querierAddress: number;
  queryIntervalNs: number;
  /** Max response time advertised in queries. */
  queryResponseNs: number;
  robustness: number;
}

/** RFC 2236 defaults: RV 2, QI 125 s, QRI 10 s ⇒ GMI 260 s, other-querier-present 255 s. */
export function defaultIgmpVlanSettings(): IgmpVlanSettings {
  return {
    hostTimeoutNs: 260 * SECOND,
    mrouterTimeoutNs: 300 * SECOND,
    leaveTimeoutNs: 10 * SECOND,
    querier: false,
    querierAddress: 0,
    queryIntervalNs: 125 * SECOND,
    queryResponseNs: 10 * SECOND,
    robustness: 2,
  };
}

/** What the snooper needs from the bridge it runs in. */
export interface IgmpSnoopHost {
  readonly net: Network;
  readonly name: string;
  readonly systemMac: number;
  /** Send a frame the bridge originates out of every port of `vid`. */
  originate(f: Frame, vid: number): void;
  /** Display name of a bridge port, for events. */
  portName(index: number): string;
}

export interface IgmpGroupView {
  vlan: number;
  group: number;
  mac: number;
  /** Bridge-port indices with members, ascending. */
  ports: number[];
  /** Seconds until the latest member times out. */
  expiresInSeconds: number;
}

export interface IgmpVlanView {
  vlan: number;
  enabled: boolean;
  settings: IgmpVlanSettings;
  /** This switch is sending queries now. */
  isQuerier: boolean;
  /** Address of the querier heard last (another device), or null. */
  otherQuerier: number | null;
  mrouterPorts: number[];
}

class VlanState {
  enabled = false;
  settings: IgmpVlanSettings = defaultIgmpVlanSettings();
  /** group IP → bridge port → expiry (ns). */
  readonly groups = new Map<number, Map<number, number>>();
  /** group MAC → the groups on it with members. */
  readonly byMac = new Map<number, Set<number>>();
  /** Learned multicast-router ports → expiry. */
  readonly mrouters = new Map<number, number>();
  sweepToken = -1;
  sweepAt = Infinity;
  queryToken = -1;
  /** Startup queries still to send at the startup interval. */
  startupLeft = 0;
  otherQuerierUntil = -1;
  otherQuerier = 0;
  queriesSent = 0;
}

const EV_SWEEP = 0;
const EV_QUERY = 1;

export class IgmpSnooping implements EventHandler {
  readonly handlerId: number;
  /** Bumped on every change of membership or router ports, so forwarding caches know to rebuild. */
  generation = 0;
  private readonly vlans = new Map<number, VlanState>();
  private started = false;

  constructor(private readonly host: IgmpSnoopHost) {
    this.handlerId = host.net.sched.register(this);
  }

  // ---- configuration ------------------------------------------------------------------------

  /** Turn snooping on or off for a VLAN with its timers; turning it off forgets what was learned. */
  configureVlan(vid: number, enabled: boolean, settings: IgmpVlanSettings): void {
    let v = this.vlans.get(vid);
    if (v === undefined) {
      if (!enabled) return;
      v = new VlanState();
      this.vlans.set(vid, v);
    }
    const wasQuerier = v.enabled && v.settings.querier && v.settings.querierAddress !== 0;
    v.settings = settings;
    if (v.enabled !== enabled) {
      v.enabled = enabled;
      if (!enabled) this.forget(vid, v);
      this.generation++;
    }
    const nowQuerier = enabled && settings.querier && settings.querierAddress !== 0;
    if (nowQuerier && !wasQuerier && this.started) this.startQuerier(vid, v);
    if (!nowQuerier && v.queryToken >= 0) {
      this.host.net.sched.cancel(v.queryToken);
      v.queryToken = -1;
    }
  }

  isEnabled(vid: number): boolean {
    return this.vlans.get(vid)?.enabled ?? false;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const [vid, v] of this.vlans) if (v.enabled && v.settings.querier && v.settings.querierAddress !== 0) this.startQuerier(vid, v);
  }

  // ---- snooping -----------------------------------------------------------------------------

  /**
   * Look at a frame entering on bridge port `ingress` in `vid`. Returns the IGMP message type when
   * the frame is IGMP on a snooping VLAN (after learning from it), else 0.
   */
  snoop(f: Frame, vid: number, ingress: number, now: number): number {
    if (f.etherType !== ETHERTYPE_IPV4) return 0;
    const p = f.payload;
    if (p === null || p.kind !== 'ipv4' || p.protocol !== IPPROTO_IGMP || p.payload.kind !== 'igmp') return 0;
    const v = this.vlans.get(vid);
    if (v === undefined || !v.enabled) return 0;
    const m = p.payload;
    switch (m.type) {
      case IGMP_V1_REPORT:
      case IGMP_V2_REPORT:
      case IGMP_V3_REPORT:
        if (m.group !== 0) this.join(vid, v, m.group, ingress, now);
        break;
      case IGMP_LEAVE:
        this.leave(vid, v, m.group, ingress, now);
        break;
      case IGMP_QUERY:
        this.query(vid, v, p, m, ingress, now);
        break;
      default:
        return 0;
    }
    return m.type;
  }

  private join(vid: number, v: VlanState, group: number, port: number, now: number): void {
    let members = v.groups.get(group);
    if (members === undefined) {
      members = new Map();
      v.groups.set(group, members);
      const mac = groupMac(group);
      let set = v.byMac.get(mac);
      if (set === undefined) {
        set = new Set();
        v.byMac.set(mac, set);
      }
      set.add(group);
    }
    const expiry = now + v.settings.hostTimeoutNs;
    if (!members.has(port)) {
      this.generation++;
      this.emit('igmp.join', `${this.host.portName(port)} joined ${formatIpv4(group)} (${formatMac(groupMac(group))}) in vlan ${vid}`, port);
    }
    members.set(port, expiry);
    this.scheduleSweep(vid, v, expiry);
  }

  private leave(vid: number, v: VlanState, group: number, port: number, now: number): void {
    const members = v.groups.get(group);
    const was = members?.get(port);
    if (members === undefined || was === undefined) return;
    if (v.settings.leaveTimeoutNs === 0) {
      this.removeMember(vid, v, group, members, port, 'left');
      return;
    }
    const until = now + v.settings.leaveTimeoutNs;
    if (until < was) {
      members.set(port, until);
      this.scheduleSweep(vid, v, until);
    }
  }

  private query(vid: number, v: VlanState, ip: Ipv4Packet, m: IgmpMessage, port: number, now: number): void {
    if (!v.mrouters.has(port)) {
      this.generation++;
      this.emit('igmp.mrouter', `${this.host.portName(port)} is a multicast router port in vlan ${vid} (query from ${formatIpv4(ip.src)})`, port);
    }
    const expiry = now + v.settings.mrouterTimeoutNs;
    v.mrouters.set(port, expiry);
    this.scheduleSweep(vid, v, expiry);
    // RFC 2236 §7: the lower address wins; a general query from a lower address silences us.
    if (m.group === 0 && ip.src !== 0 && (v.settings.querierAddress === 0 || ip.src < v.settings.querierAddress)) {
      const wasQuerying = this.isQuerying(v, now);
      const s = v.settings;
      v.otherQuerierUntil = now + s.robustness * s.queryIntervalNs + s.queryResponseNs / 2;
      v.otherQuerier = ip.src;
      if (wasQuerying) this.emit('igmp.querier', `querier for vlan ${vid} is now ${formatIpv4(ip.src)}`);
    }
  }

  private removeMember(vid: number, v: VlanState, group: number, members: Map<number, number>, port: number, why: string): void {
    members.delete(port);
    this.generation++;
    this.emit('igmp.prune', `${this.host.portName(port)} ${why} ${formatIpv4(group)} in vlan ${vid}`, port);
    if (members.size === 0) {
      v.groups.delete(group);
      const mac = groupMac(group);
      const set = v.byMac.get(mac);
      if (set !== undefined) {
        set.delete(group);
        if (set.size === 0) v.byMac.delete(mac);
      }
    }
  }

  private forget(vid: number, v: VlanState): void {
    v.groups.clear();
    v.byMac.clear();
    v.mrouters.clear();
    const sched = this.host.net.sched;
    if (v.sweepToken >= 0) sched.cancel(v.sweepToken);
    if (v.queryToken >= 0) sched.cancel(v.queryToken);
    v.sweepToken = v.queryToken = -1;
    v.sweepAt = Infinity;
    v.otherQuerierUntil = -1;
    this.vlans.delete(vid);
  }

  // ---- lookups for forwarding ---------------------------------------------------------------

  /**
   * Adds the member ports of every group on `mac` to `out`. Returns false when nothing is
   * registered on that MAC in `vid` (snooping off, or no members).
   */
  collectMembers(vid: number, mac: number, out: Set<number>): boolean {
    const v = this.vlans.get(vid);
    if (v === undefined || !v.enabled) return false;
    const groups = v.byMac.get(mac);
    if (groups === undefined) return false;
    for (const g of groups) for (const port of (v.groups.get(g) as Map<number, number>).keys()) out.add(port);
    return true;
  }

  collectRouterPorts(vid: number, out: Set<number>): void {
    const v = this.vlans.get(vid);
    if (v === undefined || !v.enabled) return;
    for (const port of v.mrouters.keys()) out.add(port);
  }

  /** A bridge port went down or changed VLANs: what was learned on it no longer holds. */
  flushPort(port: number): void {
    for (const [vid, v] of this.vlans) {
      for (const [g, members] of [...v.groups]) if (members.has(port)) this.removeMember(vid, v, g, members, port, 'lost');
      if (v.mrouters.delete(port)) this.generation++;
    }
  }

  // ---- timers -------------------------------------------------------------------------------

  private scheduleSweep(vid: number, v: VlanState, at: number): void {
    if (at >= v.sweepAt) return;
    const sched = this.host.net.sched;
    if (v.sweepToken >= 0) sched.cancel(v.sweepToken);
    v.sweepAt = at;
    v.sweepToken = sched.scheduleAt(at, this.handlerId, vid * 2 + EV_SWEEP, null);
  }

  onEvent(code: number): void {
    const vid = code >> 1;
    const v = this.vlans.get(vid);
    if (v === undefined) return;
    if ((code & 1) === EV_SWEEP) this.sweep(vid, v);
    else this.queryTimer(vid, v);
  }

  private sweep(vid: number, v: VlanState): void {
    const now = this.host.net.sched.now;
    v.sweepToken = -1;
    v.sweepAt = Infinity;
    let next = Infinity;
    for (const [g, members] of [...v.groups]) {
      for (const [port, exp] of [...members]) {
        if (exp <= now) this.removeMember(vid, v, g, members, port, 'timed out of');
        else if (exp < next) next = exp;
      }
    }
    for (const [port, exp] of [...v.mrouters]) {
      if (exp <= now) {
        v.mrouters.delete(port);
        this.generation++;
        this.emit('igmp.mrouter', `${this.host.portName(port)} is no longer a multicast router port in vlan ${vid}`, port);
      } else if (exp < next) next = exp;
    }
    if (next !== Infinity) this.scheduleSweep(vid, v, next);
  }

  private isQuerying(v: VlanState, now: number): boolean {
    return v.enabled && v.settings.querier && v.settings.querierAddress !== 0 && v.otherQuerierUntil <= now;
  }

  private startQuerier(vid: number, v: VlanState): void {
    v.startupLeft = v.settings.robustness;
    if (v.queryToken >= 0) this.host.net.sched.cancel(v.queryToken);
    v.queryToken = this.host.net.sched.schedule(0, this.handlerId, vid * 2 + EV_QUERY, null);
  }

  private queryTimer(vid: number, v: VlanState): void {
    const now = this.host.net.sched.now;
    v.queryToken = -1;
    const s = v.settings;
    if (!v.enabled || !s.querier || s.querierAddress === 0) return;
    if (this.isQuerying(v, now)) this.sendGeneralQuery(vid, v);
    // RFC 2236 §8.5/8.6: startup queries go out at a quarter of the query interval.
    const startup = v.startupLeft > 0;
    if (startup) v.startupLeft--;
    v.queryToken = this.host.net.sched.schedule(startup ? Math.floor(s.queryIntervalNs / 4) : s.queryIntervalNs, this.handlerId, vid * 2 + EV_QUERY, null);
  }

  private sendGeneralQuery(vid: number, v: VlanState): void {
    const net = this.host.net;
    const f = net.pool.alloc();
    f.dst = ALL_SYSTEMS_MAC;
    f.src = this.host.systemMac;
    f.vlan = 0;
    f.pcp = 0;
    f.etherType = ETHERTYPE_IPV4;
    f.size = QUERY_FRAME_SIZE;
    f.tag = 0;
    const igmp: IgmpMessage = { kind: 'igmp', type: IGMP_QUERY, maxRespTime: Math.round(v.settings.queryResponseNs / (SECOND / 10)), group: 0 };
    const ip: Ipv4Packet = {
      kind: 'ipv4', src: v.settings.querierAddress, dst: ALL_SYSTEMS, ttl: 1, protocol: IPPROTO_IGMP, ident: v.queriesSent & 0xffff, dscp: 0, totalLength: 28, payload: igmp,
    };
    f.payload = ip;
    v.queriesSent++;
    this.host.originate(f, vid);
  }

  // ---- views --------------------------------------------------------------------------------

  groups(vid?: number): IgmpGroupView[] {
    const now = this.host.net.sched.now;
    const out: IgmpGroupView[] = [];
    for (const [id, v] of this.vlans) {
      if (vid !== undefined && vid !== id) continue;
      for (const [g, members] of v.groups) {
        let last = 0;
        for (const e of members.values()) if (e > last) last = e;
        out.push({ vlan: id, group: g, mac: groupMac(g), ports: [...members.keys()].sort((a, b) => a - b), expiresInSeconds: Math.max(0, Math.ceil((last - now) / SECOND)) });
      }
    }
    return out.sort((a, b) => a.vlan - b.vlan || a.mac - b.mac || a.group - b.group);
  }

  vlanViews(): IgmpVlanView[] {
    const now = this.host.net.sched.now;
    return [...this.vlans.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([id, v]) => ({
        vlan: id,
        enabled: v.enabled,
        settings: v.settings,
        isQuerier: this.isQuerying(v, now),
        otherQuerier: v.otherQuerierUntil > now ? v.otherQuerier : null,
        mrouterPorts: [...v.mrouters.keys()].sort((a, b) => a - b),
      }));
  }

  queriesSent(vid: number): number {
    return this.vlans.get(vid)?.queriesSent ?? 0;
  }

  private emit(kind: string, text: string, port?: number): void {
    this.host.net.emit(kind, `${this.host.name}: ${text}`, this.host.name, port === undefined ? undefined : this.host.portName(port));
  }
}
