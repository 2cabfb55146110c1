/**
 * The router side of IGMPv2 (RFC 2236 §3, §7) on each multicast-routing interface: general
 * queries (two startup queries a quarter interval apart, then every Query Interval), querier
 * election by lowest address, group membership from reports with the Group Membership Interval,
 * and leave processing with group-specific queries. It tells its owner when a group gains its
 * first member on an interface or loses its last, which is what PIM builds (*,G) state from.
 *
 * Timers are checked on the owner's one-second housekeeping tick; DOMAIN.md §5.1 gives the values.
 */
import { SECOND } from '../core/time.ts';
import type { IgmpMessage, Ipv4Packet } from '../core/packets.ts';
import { IGMP_LEAVE, IGMP_QUERY, IGMP_V1_REPORT, IGMP_V2_REPORT, IGMP_V3_REPORT } from '../wire/igmp.ts';

export const IGMP_QUERY_INTERVAL_NS = 125 * SECOND;
export const IGMP_QUERY_RESPONSE_NS = 10 * SECOND;
export const IGMP_ROBUSTNESS = 2;
export const IGMP_LAST_MEMBER_INTERVAL_NS = 1 * SECOND;
/** RV × QI + QRI = 260 s. */
export const IGMP_GROUP_MEMBERSHIP_NS = IGMP_ROBUSTNESS * IGMP_QUERY_INTERVAL_NS + IGMP_QUERY_RESPONSE_NS;
/** RV × QI + QRI / 2 = 255 s. */
export const IGMP_OTHER_QUERIER_NS = IGMP_ROBUSTNESS * IGMP_QUERY_INTERVAL_NS + IGMP_QUERY_RESPONSE_NS / 2;
const STARTUP_INTERVAL_NS = IGMP_QUERY_INTERVAL_NS / 4;

export interface IgmpGroupState {
  readonly group: number;
  readonly since: number;
  expires: number;
  lastReporter: number;
  /** Group-specific queries still to send after a leave, and when the next is due. */
  leaveQueriesLeft: number;
  nextLeaveQuery: number;
}

export interface IgmpQuerierInterface {
  readonly index: number;
  readonly name: string;
  /** The interface's own address; 0 while it has none. */
  address(): number;
}

interface InterfaceState {
  readonly ifc: IgmpQuerierInterface;
  querier: boolean;
  otherQuerier: number;
  otherQuerierExpires: number;
  nextQuery: number;
  startupLeft: number;
  readonly groups: Map<number, IgmpGroupState>;
}

export interface IgmpQuerierServices {
  now(): number;
  /** Send a query out of the interface: general (group 0, to 224.0.0.1) or group-specific. */
  sendQuery(ifc: IgmpQuerierInterface, group: number, maxRespTenths: number): void;
  /** The group gained its first member on the interface, or lost its last. */
  membershipChanged(ifc: IgmpQuerierInterface, group: number, present: boolean): void;
}

/** 224.0.0.0/24 is link-local: never joined through a router (RFC 5771). */
export function isLinkLocalGroup(group: number): boolean {
  return group >>> 8 === 0xe00000;
}

export class IgmpQuerier {
  private readonly ifs = new Map<number, InterfaceState>();

  constructor(private readonly svc: IgmpQuerierServices) {}

  /** Start querying on an interface; nothing changes when it already runs. */
  enable(ifc: IgmpQuerierInterface): void {
    if (this.ifs.has(ifc.index)) return;
    this.ifs.set(ifc.index, { ifc, querier: true, otherQuerier: 0, otherQuerierExpires: 0, nextQuery: this.svc.now(), startupLeft: IGMP_ROBUSTNESS, groups: new Map() });
  }

  /** Stop on an interface: its groups go, and the owner hears so. */
  disable(index: number): void {
    const st = this.ifs.get(index);
    if (st === undefined) return;
    this.ifs.delete(index);
    for (const g of st.groups.keys()) this.svc.membershipChanged(st.ifc, g, false);
  }

  enabledOn(index: number): boolean {
    return this.ifs.has(index);
  }

  /** Groups with members on each interface, for `show ip igmp groups`. */
  groups(): { ifc: IgmpQuerierInterface; state: IgmpGroupState }[] {
    const out: { ifc: IgmpQuerierInterface; state: IgmpGroupState }[] = [];
    for (const st of this.ifs.values()) for (const g of st.groups.values()) out.push({ ifc: st.ifc, state: g });
    return out;
  }

  hasMembers(index: number, group: number): boolean {
    return this.ifs.get(index)?.groups.has(group) === true;
  }

  querierOf(index: number): { querier: boolean; address: number } | null {
    const st = this.ifs.get(index);
    if (st === undefined) return null;
    return { querier: st.querier, address: st.querier ? st.ifc.address() : st.otherQuerier };
  }

  receive(index: number, pkt: Ipv4Packet, m: IgmpMessage): void {
    const st = this.ifs.get(index);
    if (st === undefined) return;
    const now = this.svc.now();
    switch (m.type) {
      case IGMP_QUERY: {
        const mine = st.ifc.address();
        // Lowest address queries (RFC 2236 §7); a query from ourselves never arrives here.
        if (pkt.src !== 0 && (mine === 0 || pkt.src >>> 0 < mine >>> 0)) {
          st.querier = false;
          st.otherQuerier = pkt.src;
          st.otherQuerierExpires = now + IGMP_OTHER_QUERIER_NS;
        }
        // A non-querier lowers a group's timer on the querier's group-specific query (§3).
        const g = m.group === 0 ? undefined : st.groups.get(m.group);
        if (g !== undefined && !st.querier) g.expires = Math.min(g.expires, now + IGMP_ROBUSTNESS * IGMP_LAST_MEMBER_INTERVAL_NS);
        return;
      }
      case IGMP_V1_REPORT:
      case IGMP_V2_REPORT:
      case IGMP_V3_REPORT: {
        if (isLinkLocalGroup(m.group)) return;
        let g = st.groups.get(m.group);
        const fresh = g === undefined;
        if (g === undefined) {
          g = { group: m.group, since: now, expires: 0, lastReporter: pkt.src, leaveQueriesLeft: 0, nextLeaveQuery: 0 };
          st.groups.set(m.group, g);
        }
        g.expires = now + IGMP_GROUP_MEMBERSHIP_NS;
        // A host still checking its address reports from 0.0.0.0; keep the last real reporter.
        if (pkt.src !== 0 || g.lastReporter === 0) g.lastReporter = pkt.src;
        g.leaveQueriesLeft = 0;
        if (fresh) this.svc.membershipChanged(st.ifc, m.group, true);
        return;
      }
      case IGMP_LEAVE: {
        const g = st.groups.get(m.group);
        if (g === undefined || !st.querier) return;
        g.expires = Math.min(g.expires, now + IGMP_ROBUSTNESS * IGMP_LAST_MEMBER_INTERVAL_NS);
        g.leaveQueriesLeft = IGMP_ROBUSTNESS;
        g.nextLeaveQuery = now;
        this.sendLeaveQueries(st, now);
        return;
      }
    }
  }

  private sendLeaveQueries(st: InterfaceState, now: number): void {
    for (const g of st.groups.values()) {
      if (g.leaveQueriesLeft === 0 || g.nextLeaveQuery > now) continue;
      g.leaveQueriesLeft--;
      g.nextLeaveQuery = now + IGMP_LAST_MEMBER_INTERVAL_NS;
      this.svc.sendQuery(st.ifc, g.group, IGMP_LAST_MEMBER_INTERVAL_NS / (SECOND / 10));
    }
  }

  /** Send what is due and let go of what expired. */
  tick(): void {
    const now = this.svc.now();
    for (const st of this.ifs.values()) {
      if (!st.querier && st.otherQuerierExpires <= now) {
        st.querier = true;
        st.nextQuery = now;
      }
      if (st.querier && st.nextQuery <= now && st.ifc.address() !== 0) {
        this.svc.sendQuery(st.ifc, 0, IGMP_QUERY_RESPONSE_NS / (SECOND / 10));
        if (st.startupLeft > 0) st.startupLeft--;
        st.nextQuery = now + (st.startupLeft > 0 ? STARTUP_INTERVAL_NS : IGMP_QUERY_INTERVAL_NS);
      }
      if (st.querier) this.sendLeaveQueries(st, now);
      for (const g of [...st.groups.values()]) {
        if (g.expires > now) continue;
        st.groups.delete(g.group);
        this.svc.membershipChanged(st.ifc, g.group, false);
      }
    }
  }
}
