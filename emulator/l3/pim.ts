/**
 * PIM sparse mode (RFC 7761) on a router with a static RP, and the multicast forwarding it
 * drives. What is modelled:
 * - Hellos on every PIM interface (holdtime, DR priority, generation ID), neighbours with their
 *   holdtime, DR election by priority then address. A router takes Join/Prunes only from
 *   neighbours, so an interface without `ip pim sparse-mode` on one end carries no joins.
 * - IGMP (igmp-querier.ts) on the same interfaces: the DR turns a member into a (*,G) oif.
 * - Join/Prune toward the RPF neighbour of the RP ((*,G)) or the source ((S,G)), triggered on a
 *   change and refreshed every t_periodic; downstream join state with the message's holdtime; a
 *   prune on a LAN with several neighbours waits the override interval first.
 * - The first-hop DR registers a directly connected source's data with the RP; the RP forwards it
 *   down the shared tree, joins toward the source when it has receivers, and answers with
 *   Register-Stop once data arrives natively or when nobody wants it. The DR then suppresses
 *   registers and probes with a Null-Register (register state machine, §4.4.1).
 * - Last-hop routers switch to the source tree on the first packet (spt-threshold 0), and prune
 *   the source off the shared tree with (S,G,rpt) where the two trees part.
 * - The RPF check: data is accepted only on the entry's incoming interface; anything else is
 *   dropped and counted.
 * - MSDP (msdp.ts) plugs in through SourceDiscovery: an RP hears of sources registered at other
 *   RPs and joins toward them when it has receivers.
 * Left out: Assert (parallel routers on one LAN would both forward), join suppression and prune
 * override by other routers on a LAN, Bootstrap and Auto-RP, SSM, aggregated J/P messages.
 *
 * All timers are checked on a one-second housekeeping tick that runs while multicast routing is
 * on; the values are DOMAIN.md §5.2's.
 */
import type { Network } from '../core/network.ts';
import type { Prng } from '../core/prng.ts';
import {
  IPPROTO_IGMP,
  IPPROTO_PIM,
  PIM_HELLO,
  PIM_JOIN_PRUNE,
  PIM_REGISTER,
  PIM_REGISTER_STOP,
  type Ipv4Packet,
  type PimJoinGroup,
  type PimMessage,
  type PimRegister,
} from '../core/packets.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import { formatIpv4, prefixMask } from '../core/ipv4.ts';
import { pimLength } from '../wire/pim.ts';
import { IgmpQuerier, isLinkLocalGroup, type IgmpQuerierInterface } from './igmp-querier.ts';
import type { IpInterface } from './ip-host.ts';
import { MrouteTable, NULL_IIF, type Mroute, type Oif } from './mroute.ts';
import type { Route, RouteTable } from './route-table.ts';
import { ALL_SYSTEMS_GROUP } from './igmp-host.ts';

export const ALL_PIM_ROUTERS = 0xe000000d;
export const PIM_HELLO_PERIOD_NS = 30 * SECOND;
export const PIM_TRIGGERED_HELLO_DELAY_NS = 5 * SECOND;
export const PIM_HELLO_HOLDTIME_S = 105;
export const PIM_JOIN_PERIOD_NS = 60 * SECOND;
export const PIM_JOIN_HOLDTIME_S = 210;
/** Propagation_Delay + t_override: how long a prune on a LAN waits for a join to override it. */
export const PIM_PRUNE_OVERRIDE_NS = 3 * SECOND;
export const PIM_KEEPALIVE_NS = 210 * SECOND;
export const PIM_RP_KEEPALIVE_NS = 185 * SECOND;
export const PIM_REGISTER_SUPPRESSION_NS = 60 * SECOND;
export const PIM_REGISTER_PROBE_NS = 5 * SECOND;
export const PIM_DEFAULT_DR_PRIORITY = 1;
const TICK_NS = 1 * SECOND;
/** PIM and IGMP control packets go with IP precedence 6 (DSCP CS6), as IOS sends them. */
const CONTROL_DSCP = 48;

export interface PimServices {
  readonly net: Network;
  readonly name: string;
  readonly random: Prng;
  readonly interfaces: readonly IpInterface[];
  readonly routes: RouteTable;
  isLocal(ip: number): boolean;
  /** Send a datagram out of one interface to its group's MAC. */
  transmitMulticast(ifc: IpInterface, pkt: Ipv4Packet): void;
  /** Originate a routed unicast datagram. */
  sendIp(dst: number, protocol: number, payload: Ipv4Packet['payload'], src?: number): boolean;
}

/** What MSDP gives PIM and takes from it. */
export interface SourceDiscovery {
  /** A source became active at this RP (registered, or directly connected): advertise it. */
  localSourceActive(source: number, group: number): void;
  /** Sources of `group` that peers advertised and are still cached. */
  remoteSources(group: number): readonly number[];
}

export interface PimNeighbor {
  readonly address: number;
  readonly ifc: number;
  readonly since: number;
  expires: number;
  drPriority: number;
  generationId: number;
}

export interface RpfInfo {
  /** Incoming interface, or NULL_IIF. */
  iif: number;
  /** RPF neighbour (the next hop); for a directly connected address, the address itself. */
  nbr: number;
  route: Route | null;
  connected: boolean;
  /** Why the interface is Null, when it is. */
  failure: 'no-route' | 'local' | 'not-pim' | 'down' | null;
}

export interface PimCounters {
  received: number;
  forwarded: number;
  rpfFailed: number;
  /** Data with no entry to take it (no receivers anywhere, or not a first hop). */
  noState: number;
  registersSent: number;
  registersReceived: number;
  registerStopsSent: number;
  registerStopsReceived: number;
  joinPrunesSent: number;
  joinPrunesReceived: number;
  /** Join/Prunes from routers that are not PIM neighbours, which are ignored. */
  joinPrunesFromStrangers: number;
}

interface PimInterfaceState {
  readonly ifc: IpInterface;
  nextHello: number;
  readonly generationId: number;
}

export class PimSparseMode implements EventHandler {
  readonly handlerId: number;
  readonly mroutes = new MrouteTable();
  readonly igmp: IgmpQuerier;
  readonly counters: PimCounters = {
    received: 0,
    forwarded: 0,
    rpfFailed: 0,
    noState: 0,
    registersSent: 0,
    registersReceived: 0,
    registerStopsSent: 0,
    registerStopsReceived: 0,
    joinPrunesSent: 0,
    joinPrunesReceived: 0,
    joinPrunesFromStrangers: 0,
  };
  /** Static RP for every group (224.0.0.0/4); null when none is configured. */
  rpAddress: number | null = null;
  drPriority = PIM_DEFAULT_DR_PRIORITY;
  discovery: SourceDiscovery | null = null;
  /** Run on every housekeeping tick after PIM's own timers (MSDP's). */
  readonly tickHooks: (() => void)[] = [];
  private enabled = false;
  private running = false;
  private ticking = false;
  private readonly pimIfs = new Map<number, PimInterfaceState>();
  private readonly neighbors = new Map<number, Map<number, PimNeighbor>>();
  private ident = 0;

  constructor(private readonly svc: PimServices) {
    this.handlerId = svc.net.sched.register(this);
    this.igmp = new IgmpQuerier({
      now: () => this.now,
      sendQuery: (q, group, maxResp) => this.sendIgmpQuery(q, group, maxResp),
      membershipChanged: (q, group, present) => this.membershipChanged(q.index, group, present),
    });
  }

  private get now(): number {
    return this.svc.net.sched.now;
  }

  // ---- configuration ----------------------------------------------------------------------

  /** `ip multicast-routing` and the interfaces with `ip pim sparse-mode`. */
  configure(enabled: boolean, pimInterfaces: ReadonlySet<string>): void {
    this.enabled = enabled;
    for (const ifc of this.svc.interfaces) {
      const on = enabled && pimInterfaces.has(ifc.name);
      ifc.allMulticast = on;
      if (on && !this.pimIfs.has(ifc.index)) this.enableInterface(ifc);
      else if (!on && this.pimIfs.has(ifc.index)) this.disableInterface(ifc);
    }
    if (enabled && this.running) this.startTicking();
  }

  isPimInterface(index: number): boolean {
    return this.pimIfs.has(index);
  }

  private enableInterface(ifc: IpInterface): void {
    // Hellos start within Triggered_Hello_Delay, as after a reboot (RFC 7761 §4.3.1).
    const delay = Math.floor(this.svc.random.nextFloat() * PIM_TRIGGERED_HELLO_DELAY_NS);
    this.pimIfs.set(ifc.index, { ifc, nextHello: this.now + delay, generationId: Math.floor(this.svc.random.nextFloat() * 0xffffffff) >>> 0 });
    this.igmp.enable(this.querierView(ifc));
  }

  private disableInterface(ifc: IpInterface): void {
    if (this.running && ifc.up) this.sendHello(ifc, 0);
    this.pimIfs.delete(ifc.index);
    this.neighbors.delete(ifc.index);
    this.igmp.disable(ifc.index);
    for (const e of this.mroutes.list()) {
      e.oifs.delete(ifc.index);
      e.rptPrunes.delete(ifc.index);
    }
    this.refreshAll();
  }

  private querierView(ifc: IpInterface): IgmpQuerierInterface {
    return { index: ifc.index, name: ifc.name, address: () => primaryAddress(ifc) };
  }

  start(): void {
    this.running = true;
    if (this.enabled) this.startTicking();
  }

  /** Power off: every piece of state goes, as the router's memory does. */
  stop(): void {
    this.running = false;
    this.ticking = false;
    for (const e of this.mroutes.list()) this.mroutes.delete(e);
    this.neighbors.clear();
  }

  private startTicking(): void {
    if (this.ticking) return;
    this.ticking = true;
    this.svc.net.sched.schedule(0, this.handlerId, 0, null);
  }

  onEvent(): void {
    if (!this.enabled || !this.running) {
      this.ticking = false;
      return;
    }
    this.tick();
    this.svc.net.sched.schedule(TICK_NS, this.handlerId, 0, null);
  }

  // ---- views ------------------------------------------------------------------------------

  neighborList(): PimNeighbor[] {
    const out: PimNeighbor[] = [];
    for (const m of this.neighbors.values()) out.push(...m.values());
    return out.sort((a, b) => a.ifc - b.ifc || (a.address >>> 0) - (b.address >>> 0));
  }

  /** The DR's address on an interface: this router's or a neighbour's. */
  drOf(index: number): number {
    const st = this.pimIfs.get(index);
    if (st === undefined) return 0;
    let best = { prio: this.drPriority, addr: primaryAddress(st.ifc) };
    for (const n of this.neighbors.get(index)?.values() ?? []) {
      if (n.drPriority > best.prio || (n.drPriority === best.prio && n.address >>> 0 > best.addr >>> 0)) best = { prio: n.drPriority, addr: n.address };
    }
    return best.addr;
  }

  isDr(index: number): boolean {
    const st = this.pimIfs.get(index);
    return st !== undefined && this.drOf(index) === primaryAddress(st.ifc);
  }

  iAmRp(): boolean {
    return this.rpAddress !== null && this.svc.isLocal(this.rpAddress);
  }

  /** The RPF interface and neighbour toward `addr`, from the unicast routing table. */
  rpf(addr: number): RpfInfo {
    const r = this.svc.routes.lookup(addr);
    if (r === null) return { iif: NULL_IIF, nbr: 0, route: null, connected: false, failure: 'no-route' };
    if (r.origin === 'local' || this.svc.isLocal(addr)) return { iif: NULL_IIF, nbr: 0, route: r, connected: false, failure: 'local' };
    let iif = r.iface;
    let nbr = addr;
    const connected = r.origin === 'connected';
    if (!connected) {
      nbr = r.nextHop;
      const via = this.svc.routes.lookup(r.nextHop);
      iif = via !== null && via.origin === 'connected' ? via.iface : NULL_IIF;
      if (iif === NULL_IIF) return { iif, nbr: 0, route: r, connected, failure: 'no-route' };
    }
    const ifc = this.svc.interfaces[iif];
    if (ifc === undefined || !ifc.up) return { iif: NULL_IIF, nbr: 0, route: r, connected, failure: 'down' };
    if (!this.pimIfs.has(iif)) return { iif: NULL_IIF, nbr: 0, route: r, connected, failure: 'not-pim' };
    return { iif, nbr, route: r, connected, failure: null };
  }

  /** Outgoing interfaces of an entry, as forwarding uses them (the incoming one never among them). */
  olist(e: Mroute): number[] {
    const out = new Set<number>();
    for (const o of e.oifs.values()) if (o.local || o.joinExpires !== null) out.add(o.ifc);
    if (e.source !== 0) {
      const star = this.mroutes.get(0, e.group);
      if (star !== undefined) for (const i of this.olist(star)) if (!e.rptPrunes.has(i)) out.add(i);
    }
    out.delete(e.iif);
    return [...out].sort((a, b) => a - b);
  }

  /** Sources this RP advertises: registered with it (or directly connected) and still active. */
  localSources(): { source: number; group: number }[] {
    return this.mroutes
      .list()
      .filter((e) => e.source !== 0 && e.registered && e.keepalive !== null)
      .map((e) => ({ source: e.source, group: e.group }));
  }

  // ---- receive ----------------------------------------------------------------------------

  /** Every multicast datagram a PIM interface takes in. */
  receiveMulticast(ifc: IpInterface, pkt: Ipv4Packet): void {
    if (!this.enabled || !this.running || !this.pimIfs.has(ifc.index)) return;
    const p = pkt.payload;
    if (pkt.protocol === IPPROTO_IGMP && p.kind === 'igmp') {
      this.igmp.receive(ifc.index, pkt, p);
      return;
    }
    if (pkt.protocol === IPPROTO_PIM && p.kind === 'pim') {
      if (pkt.dst === ALL_PIM_ROUTERS && !this.svc.isLocal(pkt.src)) this.receivePim(ifc, pkt, p);
      return;
    }
    if (isLinkLocalGroup(pkt.dst)) return;
    this.forwardData(ifc, pkt);
  }

  receivePimUnicast(pkt: Ipv4Packet, m: PimMessage): void {
    if (!this.enabled || !this.running) return;
    if (m.type === PIM_REGISTER) this.receiveRegister(pkt, m);
    else if (m.type === PIM_REGISTER_STOP) {
      this.counters.registerStopsReceived++;
      const e = this.mroutes.get(m.source, m.group);
      if (e !== undefined && (e.register === 'join' || e.register === 'join-pending')) {
        e.register = 'prune';
        // uniform(0.5, 1.5) × Register_Suppression_Time − Register_Probe_Time (RFC 7761 §4.4.1).
        e.registerTimer = this.now + Math.floor((0.5 + this.svc.random.nextFloat()) * PIM_REGISTER_SUPPRESSION_NS) - PIM_REGISTER_PROBE_NS;
      }
    }
  }

  private receivePim(ifc: IpInterface, pkt: Ipv4Packet, m: PimMessage): void {
    if (m.type === PIM_HELLO) this.receiveHello(ifc, pkt.src, m.holdtime, m.drPriority, m.generationId);
    else if (m.type === PIM_JOIN_PRUNE) {
      this.counters.joinPrunesReceived++;
      if (this.neighbors.get(ifc.index)?.has(pkt.src) !== true) {
        this.counters.joinPrunesFromStrangers++;
        return;
      }
      if (!ifc.addrs.some((a) => a.ip === m.upstream)) return;
      for (const g of m.groups) this.receiveJoinPruneGroup(ifc, g, m.holdtime);
    }
  }

  private receiveHello(ifc: IpInterface, src: number, holdtime: number, drPriority: number, generationId: number): void {
    let table = this.neighbors.get(ifc.index);
    if (table === undefined) {
      table = new Map();
      this.neighbors.set(ifc.index, table);
    }
    const known = table.get(src);
    if (holdtime === 0) {
      if (known !== undefined) {
        table.delete(src);
        this.refreshAll();
      }
      return;
    }
    const restarted = known !== undefined && known.generationId !== generationId;
    if (known === undefined || restarted) {
      table.set(src, { address: src, ifc: ifc.index, since: known?.since ?? this.now, expires: this.now + holdtime * SECOND, drPriority, generationId });
      // A new (or rebooted) neighbour hears from us at once, then gets our joins again, so state
      // it dropped before it knew us is rebuilt without waiting for the periodic refresh.
      this.sendHello(ifc, PIM_HELLO_HOLDTIME_S);
      for (const e of this.mroutes.list()) if (e.upstream === src) this.sendJoinPrune(e, src, true);
      this.refreshAll();
      return;
    }
    known.expires = this.now + holdtime * SECOND;
    if (known.drPriority !== drPriority) {
      known.drPriority = drPriority;
      this.refreshAll();
    }
  }

  private receiveJoinPruneGroup(ifc: IpInterface, g: PimJoinGroup, holdtime: number): void {
    const now = this.now;
    const expires = now + holdtime * SECOND;
    for (const s of g.joins) {
      if (s.wildcard) {
        const star = this.ensureStar(g.group);
        this.oif(star, ifc.index).joinExpires = expires;
        star.oifs.get(ifc.index)!.prunePending = null;
        this.updateUpstream(star);
        this.pullRemoteSources(g.group);
        for (const e of this.mroutes.sourcesOf(g.group)) this.updateUpstream(e);
      } else if (s.rpt) {
        this.mroutes.get(s.address, g.group)?.rptPrunes.delete(ifc.index);
      } else {
        const e = this.ensureSource(s.address, g.group);
        const o = this.oif(e, ifc.index);
        o.joinExpires = expires;
        o.prunePending = null;
        this.updateUpstream(e);
      }
    }
    for (const s of g.prunes) {
      if (s.rpt && !s.wildcard) {
        const e = this.ensureSource(s.address, g.group);
        e.rptPrunes.set(ifc.index, expires);
        continue;
      }
      const e = s.wildcard ? this.mroutes.get(0, g.group) : this.mroutes.get(s.address, g.group);
      const o = e?.oifs.get(ifc.index);
      if (e === undefined || o === undefined || o.joinExpires === null) continue;
      // On a LAN another downstream router may still want the traffic: give it time to override.
      const lan = (this.neighbors.get(ifc.index)?.size ?? 0) > 1;
      o.prunePending = lan ? now + PIM_PRUNE_OVERRIDE_NS : now;
      if (!lan) this.expireOifs(e);
    }
  }

  // ---- data -------------------------------------------------------------------------------

  private forwardData(ifc: IpInterface, pkt: Ipv4Packet): void {
    const S = pkt.src;
    const G = pkt.dst;
    const now = this.now;
    this.counters.received++;
    let sg = this.mroutes.get(S, G);
    const firstHop = this.isDr(ifc.index) && directlyConnected(ifc, S);
    if (firstHop && sg === undefined) {
      sg = this.ensureSource(S, G);
      if (this.iAmRp() && !sg.registered) this.sourceBecameActive(sg);
    }
    if (sg !== undefined && sg.iif === ifc.index) {
      sg.packets++;
      sg.keepalive = Math.max(sg.keepalive ?? 0, now + PIM_KEEPALIVE_NS);
      if (!sg.spt) {
        sg.spt = true;
        this.sptBitSet(sg);
      }
      if (firstHop && !this.iAmRp() && this.rpAddress !== null) this.registerData(sg, pkt);
      this.forward(pkt, this.olist(sg), ifc.index);
      this.updateUpstream(sg);
      return;
    }
    const star = this.mroutes.get(0, G);
    if (star !== undefined && star.iif === ifc.index && star.iif !== NULL_IIF && (sg === undefined || !sg.spt)) {
      star.packets++;
      const out = this.olist(star).filter((i) => sg === undefined || !sg.rptPrunes.has(i));
      this.forward(pkt, out, ifc.index);
      // spt-threshold 0: a last-hop router moves to the source tree on the first packet.
      if (hasLocalMembers(star) && sg === undefined) {
        const e = this.ensureSource(S, G);
        e.sptSwitch = true;
        e.keepalive = now + PIM_KEEPALIVE_NS;
        this.updateUpstream(e);
      }
      return;
    }
    const e = sg ?? star;
    if (e !== undefined) {
      e.rpfFailures++;
      this.counters.rpfFailed++;
      this.svc.net.emit('pim.rpf-fail', `${this.svc.name}: RPF failure for (${formatIpv4(S)}, ${formatIpv4(G)}) on ${ifc.name}`, this.svc.name, ifc.name);
    } else this.counters.noState++;
  }

  private forward(pkt: Ipv4Packet, oifs: readonly number[], from: number): void {
    if (pkt.ttl <= 1) return;
    for (const i of oifs) {
      if (i === from) continue;
      const out = this.svc.interfaces[i];
      if (out === undefined || !out.up) continue;
      this.counters.forwarded++;
      this.svc.transmitMulticast(out, { ...pkt, ttl: pkt.ttl - 1 });
    }
  }

  /** The SPT bit came on: where the source tree and the shared tree part, prune S off the shared tree. */
  private sptBitSet(sg: Mroute): void {
    const star = this.mroutes.get(0, sg.group);
    if (star !== undefined && star.upstream !== null && star.iif !== sg.iif) this.sendRptPrune(star, sg.source, star.upstream);
  }

  // ---- register ---------------------------------------------------------------------------

  private registerData(sg: Mroute, pkt: Ipv4Packet): void {
    if (sg.register === 'none') sg.register = 'join';
    if (sg.register !== 'join' || this.rpAddress === null) return;
    this.counters.registersSent++;
    this.svc.sendIp(this.rpAddress, IPPROTO_PIM, { kind: 'pim', type: PIM_REGISTER, border: false, nullRegister: false, inner: pkt });
  }

  private sendNullRegister(sg: Mroute): void {
    if (this.rpAddress === null) return;
    const inner: Ipv4Packet = { kind: 'ipv4', src: sg.source, dst: sg.group, ttl: 0, protocol: 0, ident: 0, dscp: 0, totalLength: 20, payload: { kind: 'opaque', length: 0, tag: 0 } };
    this.counters.registersSent++;
    this.svc.sendIp(this.rpAddress, IPPROTO_PIM, { kind: 'pim', type: PIM_REGISTER, border: false, nullRegister: true, inner });
  }

  private receiveRegister(pkt: Ipv4Packet, m: PimRegister): void {
    this.counters.registersReceived++;
    const S = m.inner.src;
    const G = m.inner.dst;
    if (!this.iAmRp() || pkt.dst !== this.rpAddress) {
      this.sendRegisterStop(pkt.src, pkt.dst, S, G);
      return;
    }
    const sg = this.ensureSource(S, G);
    sg.keepalive = Math.max(sg.keepalive ?? 0, this.now + PIM_RP_KEEPALIVE_NS);
    if (!sg.registered) this.sourceBecameActive(sg);
    const star = this.mroutes.get(0, G);
    const shared = star === undefined ? [] : this.olist(star).filter((i) => !sg.rptPrunes.has(i) && i !== sg.iif);
    if (sg.spt || this.olist(sg).length === 0) this.sendRegisterStop(pkt.src, pkt.dst, S, G);
    if (!m.nullRegister && !sg.spt) {
      if (star !== undefined) star.packets++;
      this.forward(m.inner, shared, NULL_IIF);
    }
    this.updateUpstream(sg);
  }

  private sendRegisterStop(dr: number, from: number, source: number, group: number): void {
    this.counters.registerStopsSent++;
    this.svc.sendIp(dr, IPPROTO_PIM, { kind: 'pim', type: PIM_REGISTER_STOP, group, source }, from);
  }

  private sourceBecameActive(sg: Mroute): void {
    sg.registered = true;
    this.discovery?.localSourceActive(sg.source, sg.group);
  }

  // ---- MSDP -------------------------------------------------------------------------------

  /** An MSDP peer advertised (S,G): with receivers here, join toward the source. */
  remoteSourceActive(source: number, group: number): void {
    if (!this.enabled || !this.iAmRp()) return;
    const star = this.mroutes.get(0, group);
    if (star === undefined || this.olist(star).length === 0) return;
    const sg = this.ensureSource(source, group);
    sg.msdp = true;
    this.updateUpstream(sg);
  }

  private pullRemoteSources(group: number): void {
    if (this.discovery === null) return;
    for (const s of this.discovery.remoteSources(group)) this.remoteSourceActive(s, group);
  }

  private remoteActive(e: Mroute): boolean {
    return e.msdp && this.discovery !== null && this.discovery.remoteSources(e.group).includes(e.source);
  }

  // ---- state ------------------------------------------------------------------------------

  private ensureStar(group: number): Mroute {
    const fresh = this.mroutes.get(0, group) === undefined;
    const e = this.mroutes.create(0, group, this.now);
    if (fresh) this.setRpf(e);
    return e;
  }

  private ensureSource(source: number, group: number): Mroute {
    const fresh = this.mroutes.get(source, group) === undefined;
    const e = this.mroutes.create(source, group, this.now);
    if (fresh) this.setRpf(e);
    return e;
  }

  private oif(e: Mroute, ifc: number): Oif {
    let o = e.oifs.get(ifc);
    if (o === undefined) {
      o = { ifc, since: this.now, joinExpires: null, prunePending: null, local: false };
      e.oifs.set(ifc, o);
    }
    return o;
  }

  /** Recompute the incoming interface and RPF neighbour; true when either changed. */
  private setRpf(e: Mroute): boolean {
    let iif = NULL_IIF;
    let nbr = 0;
    const target = e.source !== 0 ? e.source : this.rpAddress;
    if (target !== null) {
      const r = this.rpf(target);
      iif = r.iif;
      nbr = r.iif === NULL_IIF || r.connected ? 0 : r.nbr;
    }
    if (iif === e.iif && nbr === e.rpfNbr) return false;
    e.iif = iif;
    e.rpfNbr = nbr;
    e.oifs.delete(iif);
    return true;
  }

  private joinDesired(e: Mroute): boolean {
    if (e.iif === NULL_IIF || e.rpfNbr === 0) return false;
    if (e.source === 0) return !this.iAmRp() && this.olist(e).length > 0;
    const immediate = [...e.oifs.values()].some((o) => o.ifc !== e.iif && (o.local || o.joinExpires !== null));
    if (immediate) return true;
    return (e.keepalive !== null || this.remoteActive(e)) && this.olist(e).length > 0;
  }

  /** Join or prune upstream so the upstream state matches JoinDesired and the RPF neighbour. */
  private updateUpstream(e: Mroute): void {
    const want = this.joinDesired(e) ? e.rpfNbr : null;
    if (want === e.upstream) return;
    if (e.upstream !== null) this.sendJoinPrune(e, e.upstream, false);
    e.upstream = want;
    if (want !== null) {
      this.sendJoinPrune(e, want, true);
      e.nextJoin = this.now + PIM_JOIN_PERIOD_NS;
    }
  }

  private membershipChanged(index: number, group: number, present: boolean): void {
    if (present) {
      if (!this.isDr(index)) return;
      const star = this.ensureStar(group);
      this.oif(star, index).local = true;
      this.updateUpstream(star);
      this.pullRemoteSources(group);
      for (const e of this.mroutes.sourcesOf(group)) this.updateUpstream(e);
      return;
    }
    const star = this.mroutes.get(0, group);
    const o = star?.oifs.get(index);
    if (star === undefined || o === undefined) return;
    o.local = false;
    this.expireOifs(star);
  }

  /** Drop outgoing interfaces whose joins expired or were pruned, then the entry if it is empty. */
  private expireOifs(e: Mroute): void {
    const now = this.now;
    for (const o of [...e.oifs.values()]) {
      if (o.prunePending !== null && o.prunePending <= now) {
        o.prunePending = null;
        o.joinExpires = null;
      }
      if (o.joinExpires !== null && o.joinExpires <= now) o.joinExpires = null;
      if (!o.local && o.joinExpires === null) e.oifs.delete(o.ifc);
    }
    for (const [i, until] of [...e.rptPrunes]) if (until <= now) e.rptPrunes.delete(i);
    this.updateUpstream(e);
    if (e.source === 0) for (const s of this.mroutes.sourcesOf(e.group)) this.updateUpstream(s);
    this.collect(e);
  }

  private collect(e: Mroute): void {
    if (e.oifs.size > 0) return;
    if (e.source === 0) {
      if (this.mroutes.sourcesOf(e.group).some((s) => s.sptSwitch || s.msdp)) return;
    } else if (e.keepalive !== null || e.register !== 'none' || this.remoteActive(e)) return;
    if (e.upstream !== null) this.sendJoinPrune(e, e.upstream, false);
    e.upstream = null;
    this.mroutes.delete(e);
  }

  /** After a topology or neighbour change: RPF, local members on DR interfaces, upstream state. */
  private refreshAll(): void {
    for (const e of this.mroutes.list()) {
      if (this.setRpf(e) && e.upstream !== null && e.upstream !== e.rpfNbr) {
        this.sendJoinPrune(e, e.upstream, false);
        e.upstream = null;
      }
      this.updateUpstream(e);
    }
    for (const { ifc, state } of this.igmp.groups()) {
      const dr = this.isDr(ifc.index);
      const star = this.mroutes.get(0, state.group);
      const has = star?.oifs.get(ifc.index)?.local === true;
      if (dr && !has) this.membershipChanged(ifc.index, state.group, true);
      else if (!dr && has && star !== undefined) {
        star.oifs.get(ifc.index)!.local = false;
        this.expireOifs(star);
      }
    }
  }

  private tick(): void {
    const now = this.now;
    for (const [index, table] of this.neighbors) {
      let lost = false;
      for (const n of [...table.values()]) {
        if (n.expires > now) continue;
        table.delete(n.address);
        lost = true;
      }
      if (lost) this.svc.net.emit('pim.neighbor-down', `${this.svc.name}: PIM neighbor down on ${this.svc.interfaces[index]?.name ?? index}`, this.svc.name);
    }
    for (const st of this.pimIfs.values()) {
      if (st.nextHello > now) continue;
      this.sendHello(st.ifc, PIM_HELLO_HOLDTIME_S);
    }
    this.igmp.tick();
    this.refreshAll();
    for (const e of this.mroutes.list()) {
      if (e.source !== 0) this.sourceTimers(e);
      if (this.mroutes.get(e.source, e.group) !== e) continue;
      if (e.upstream !== null && e.nextJoin <= now) {
        this.sendJoinPrune(e, e.upstream, true);
        e.nextJoin = now + PIM_JOIN_PERIOD_NS;
      }
      this.expireOifs(e);
    }
    for (const star of this.mroutes.list()) if (star.source === 0 && this.iAmRp()) this.pullRemoteSources(star.group);
    for (const h of this.tickHooks) h();
  }

  private sourceTimers(e: Mroute): void {
    const now = this.now;
    if (e.keepalive !== null && e.keepalive <= now) {
      e.keepalive = null;
      e.spt = false;
      e.registered = false;
      e.register = 'none';
      e.sptSwitch = false;
    }
    if (e.register === 'prune' && e.registerTimer <= now) {
      e.register = 'join-pending';
      e.registerTimer = now + PIM_REGISTER_PROBE_NS;
      this.sendNullRegister(e);
    } else if (e.register === 'join-pending' && e.registerTimer <= now) e.register = 'join';
  }

  // ---- send -------------------------------------------------------------------------------

  private control(ifc: IpInterface, dst: number, protocol: number, payload: Ipv4Packet['payload'], length: number): Ipv4Packet {
    this.ident = (this.ident + 1) & 0xffff;
    return { kind: 'ipv4', src: primaryAddress(ifc), dst, ttl: 1, protocol, ident: this.ident, dscp: CONTROL_DSCP, totalLength: 20 + length, payload };
  }

  private sendHello(ifc: IpInterface, holdtime: number): void {
    const st = this.pimIfs.get(ifc.index);
    if (st === undefined) return;
    st.nextHello = this.now + PIM_HELLO_PERIOD_NS;
    if (!ifc.up || primaryAddress(ifc) === 0) return;
    const m: PimMessage = { kind: 'pim', type: PIM_HELLO, holdtime, drPriority: this.drPriority, generationId: st.generationId };
    this.svc.transmitMulticast(ifc, this.control(ifc, ALL_PIM_ROUTERS, IPPROTO_PIM, m, pimLength(m)));
  }

  private sendJoinPrune(e: Mroute, upstream: number, join: boolean): void {
    const ifc = this.svc.interfaces[e.iif] ?? this.interfaceToward(upstream);
    if (ifc === undefined || !ifc.up) return;
    const source = e.source === 0 ? { address: this.rpAddress ?? 0, wildcard: true, rpt: true } : { address: e.source, wildcard: false, rpt: false };
    const g: PimJoinGroup = { group: e.group, joins: join ? [source] : [], prunes: join ? [] : [source] };
    // The (*,G) refresh carries the (S,G,rpt) prunes of sources this router takes on another path.
    if (e.source === 0 && join) {
      for (const sg of this.mroutes.sourcesOf(e.group)) if (sg.spt && sg.iif !== e.iif) g.prunes.push({ address: sg.source, wildcard: false, rpt: true });
    }
    this.emitJoinPrune(ifc, upstream, [g]);
  }

  private sendRptPrune(star: Mroute, source: number, upstream: number): void {
    const ifc = this.svc.interfaces[star.iif];
    if (ifc === undefined || !ifc.up) return;
    this.emitJoinPrune(ifc, upstream, [{ group: star.group, joins: [], prunes: [{ address: source, wildcard: false, rpt: true }] }]);
  }

  private emitJoinPrune(ifc: IpInterface, upstream: number, groups: PimJoinGroup[]): void {
    const m: PimMessage = { kind: 'pim', type: PIM_JOIN_PRUNE, upstream, holdtime: PIM_JOIN_HOLDTIME_S, groups };
    this.counters.joinPrunesSent++;
    this.svc.transmitMulticast(ifc, this.control(ifc, ALL_PIM_ROUTERS, IPPROTO_PIM, m, pimLength(m)));
  }

  private interfaceToward(nbr: number): IpInterface | undefined {
    return this.svc.interfaces.find((i) => i.addrs.some((a) => a.prefix < 32 && ((a.ip ^ nbr) & prefixMask(a.prefix)) === 0));
  }

  private sendIgmpQuery(q: IgmpQuerierInterface, group: number, maxResp: number): void {
    const ifc = this.svc.interfaces[q.index];
    if (ifc === undefined || !ifc.up) return;
    const dst = group === 0 ? ALL_SYSTEMS_GROUP : group;
    this.svc.transmitMulticast(ifc, this.control(ifc, dst, IPPROTO_IGMP, { kind: 'igmp', type: 0x11, maxRespTime: maxResp, group }, 8));
  }
}

export function primaryAddress(ifc: IpInterface): number {
  return ifc.addrs.find((a) => a.state === 'preferred')?.ip ?? 0;
}

function directlyConnected(ifc: IpInterface, ip: number): boolean {
  return ifc.addrs.some((a) => a.state === 'preferred' && ((a.ip ^ ip) & prefixMask(a.prefix)) === 0);
}

function hasLocalMembers(e: Mroute): boolean {
  for (const o of e.oifs.values()) if (o.local) return true;
  return false;
}


