/**
 * The host side of IGMPv2 (RFC 2236): group membership per interface, the unsolicited report on
 * join (repeated once, because a lost first report would leave a snooping switch unaware), reports
 * in answer to queries after a random delay up to the query's Max Response Time, report
 * suppression when another member on the segment answered first, and the Leave Group message from
 * the last host to report.
 *
 * Why the suppression matters here: a snooping switch normally forwards reports only towards
 * router ports, so hosts rarely hear each other's; where they do (no snooping: the report is
 * flooded), one report per segment is all a router needs.
 */
import type { Network } from '../core/network.ts';
import { IPPROTO_IGMP, type IgmpMessage, type Ipv4Packet } from '../core/packets.ts';
import type { Prng } from '../core/prng.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import { IGMP_LEAVE, IGMP_QUERY, IGMP_V1_REPORT, IGMP_V2_REPORT, IGMP_V3_REPORT } from '../wire/igmp.ts';

/** 224.0.0.1: every IPv4 multicast host is a member, on every interface (RFC 1112 §4). */
export const ALL_SYSTEMS_GROUP = 0xe0000001;
/** 224.0.0.2: where leaves go (RFC 2236 §3). */
export const ALL_ROUTERS_GROUP = 0xe0000002;
/** RFC 2236 §8.10 Unsolicited Report Interval: the repeat of a join's report comes within this. */
export const UNSOLICITED_REPORT_INTERVAL_NS = 10 * SECOND;
/** A v1 query carries no Max Response Time; v1 hosts answer within 10 s (RFC 1112 appendix I). */
const V1_MAX_RESPONSE_NS = 10 * SECOND;

export function isMulticastIp(ip: number): boolean {
  return ip >>> 28 === 0xe;
}

/** Whether `group` is a usable group for a join: 224.0.0.0/4, not the link-local all-systems group. */
export function isJoinableGroup(group: number): boolean {
  return isMulticastIp(group) && group !== ALL_SYSTEMS_GROUP && group !== 0xe0000000;
}

/** What the group protocol needs from its interface; the IPv4 stack's interface satisfies it. */
export interface IgmpInterface {
  readonly index: number;
  readonly name: string;
  readonly port: { readonly operUp: boolean };
  readonly addrs: readonly { ip: number; state: string }[];
  /** Destination MACs the NIC lets in for joined groups, with how many groups share each. */
  readonly multicastMacs: Map<number, number>;
}

/** What the group protocol needs from its host. */
export interface IgmpHostServices {
  readonly net: Network;
  readonly name: string;
  readonly random: Prng;
  /** Send an IPv4 datagram out of `ifc` to its (multicast) destination's group MAC. */
  sendMulticast(ifc: IgmpInterface, pkt: Ipv4Packet): void;
  /** The group's Ethernet address (01:00:5e + low 23 bits). */
  groupMac(group: number): number;
}

interface Membership {
  id: number;
  ifc: IgmpInterface;
  group: number;
  /** Pending report timer's token and when it fires (Infinity: none). */
  token: number;
  dueNs: number;
  /** Whether the last report heard for this group on the segment was ours (RFC 2236 "flag"). */
  lastReporter: boolean;
  /** Reports left in the join's unsolicited burst. */
  unsolicitedLeft: number;
}

export interface IgmpCounters {
  reportsSent: number;
  leavesSent: number;
  queriesHeard: number;
  reportsSuppressed: number;
}

export class IgmpHost implements EventHandler {
  private readonly handlerId: number;
  private readonly members = new Map<number, Membership>();
  private nextId = 0;
  readonly counters: IgmpCounters = { reportsSent: 0, leavesSent: 0, queriesHeard: 0, reportsSuppressed: 0 };

  constructor(private readonly host: IgmpHostServices) {
    this.handlerId = host.net.sched.register(this);
  }

  /** Joined groups as (interface name, group), in join order. */
  groups(): { iface: string; group: number }[] {
    return [...this.members.values()].map((m) => ({ iface: m.ifc.name, group: m.group }));
  }

  isMember(ifc: IgmpInterface, group: number): boolean {
    return this.find(ifc, group) !== undefined;
  }

  /**
   * An application joins `group` on `ifc`. With `announce` the unsolicited reports go out now and
   * once more within the Unsolicited Report Interval; without (the host is not running yet) they
   * wait for announceAll().
   */
  join(ifc: IgmpInterface, group: number, announce: boolean): void {
    if (this.find(ifc, group) !== undefined) return;
    const m: Membership = { id: this.nextId++, ifc, group, token: -1, dueNs: Infinity, lastReporter: false, unsolicitedLeft: 0 };
    this.members.set(m.id, m);
    const mac = this.host.groupMac(group);
    ifc.multicastMacs.set(mac, (ifc.multicastMacs.get(mac) ?? 0) + 1);
    if (announce) this.announce(m);
  }

  /** The last application on the host leaves `group` on `ifc`. */
  leave(ifc: IgmpInterface, group: number): void {
    const m = this.find(ifc, group);
    if (m === undefined) return;
    this.cancel(m);
    this.members.delete(m.id);
    const mac = this.host.groupMac(group);
    const n = (ifc.multicastMacs.get(mac) ?? 1) - 1;
    if (n > 0) ifc.multicastMacs.set(mac, n);
    else ifc.multicastMacs.delete(mac);
    // RFC 2236 §3: only the last host to report sends a Leave; another member's report stands.
    if (m.lastReporter) this.send(ifc, IGMP_LEAVE, group, ALL_ROUTERS_GROUP);
  }

  /** The host came up: every membership made before it ran announces itself. */
  announceAll(): void {
    for (const m of this.members.values()) this.announce(m);
  }

  /** An IGMP message delivered to this host on `ifc` (queries to 224.0.0.1, reports to a joined group). */
  receive(ifc: IgmpInterface, pkt: Ipv4Packet, msg: IgmpMessage): void {
    if (msg.type === IGMP_QUERY) {
      this.counters.queriesHeard++;
      const maxNs = msg.maxRespTime === 0 ? V1_MAX_RESPONSE_NS : msg.maxRespTime * (SECOND / 10);
      for (const m of this.members.values()) {
        if (m.ifc !== ifc || (msg.group !== 0 && msg.group !== m.group)) continue;
        // A report already due sooner stands; otherwise pick a fresh delay (RFC 2236 §3).
        const delay = this.host.random.nextInt(Math.max(1, maxNs));
        if (this.host.net.now + delay < m.dueNs) this.schedule(m, delay);
      }
      return;
    }
    if (msg.type === IGMP_V1_REPORT || msg.type === IGMP_V2_REPORT || msg.type === IGMP_V3_REPORT) {
      const m = this.find(ifc, msg.group);
      if (m === undefined || (pkt.src !== 0 && ifc.addrs.some((a) => a.ip === pkt.src))) return;
      // Someone else reported the group: our pending report is redundant, and they are now the
      // one to send the Leave.
      if (m.token >= 0) {
        this.cancel(m);
        m.unsolicitedLeft = 0;
        this.counters.reportsSuppressed++;
      }
      m.lastReporter = false;
    }
  }

  onEvent(code: number): void {
    const m = this.members.get(code);
    if (m === undefined) return;
    m.token = -1;
    m.dueNs = Infinity;
    this.report(m);
    if (m.unsolicitedLeft > 0) {
      m.unsolicitedLeft--;
      if (m.unsolicitedLeft > 0) this.schedule(m, 1 + this.host.random.nextInt(UNSOLICITED_REPORT_INTERVAL_NS));
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private find(ifc: IgmpInterface, group: number): Membership | undefined {
    for (const m of this.members.values()) if (m.ifc === ifc && m.group === group) return m;
    return undefined;
  }

  private announce(m: Membership): void {
    // The report now, and one repeat (RFC 2236 §3 recommends "once or twice").
    m.unsolicitedLeft = 2;
    this.schedule(m, 0);
  }

  private schedule(m: Membership, delayNs: number): void {
    this.cancel(m);
    m.dueNs = this.host.net.now + delayNs;
    m.token = this.host.net.sched.schedule(delayNs, this.handlerId, m.id, null);
  }

  private cancel(m: Membership): void {
    if (m.token >= 0) this.host.net.sched.cancel(m.token);
    m.token = -1;
    m.dueNs = Infinity;
  }

  private report(m: Membership): void {
    if (this.send(m.ifc, IGMP_V2_REPORT, m.group, m.group)) m.lastReporter = true;
  }

  private send(ifc: IgmpInterface, type: number, group: number, dst: number): boolean {
    if (!ifc.port.operUp) return false;
    const src = ifc.addrs.find((a) => a.state === 'preferred')?.ip ?? 0;
    const igmp: IgmpMessage = { kind: 'igmp', type, maxRespTime: 0, group };
    // TTL 1: group management never leaves the segment (RFC 2236 §2).
    const pkt: Ipv4Packet = { kind: 'ipv4', src, dst, ttl: 1, protocol: IPPROTO_IGMP, ident: 0, dscp: 0, totalLength: 28, payload: igmp };
    if (type === IGMP_LEAVE) this.counters.leavesSent++;
    else this.counters.reportsSent++;
    this.host.sendMulticast(ifc, pkt);
    return true;
  }
}
