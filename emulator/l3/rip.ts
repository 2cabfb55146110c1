/**
 * RIP version 2 (RFC 2453) as one engine for every kind that speaks it: an IOS router's
 * `router rip` and Windows RRAS's RIPv2 for Internet Protocol differ only in their timers, how
 * many equal-cost paths they keep and install, and whether a route that timed out still forwards.
 *
 * - Updates are real UDP 520 datagrams to 224.0.0.9, sent every `update` (jittered by the run's
 *   PRNG, RFC 2453 §3.8) and at once when something changed (triggered updates, then at most one
 *   more per 1–5 s, §3.10.1).
 * - Split horizon with poison reverse: a route is sent back out of the interface it was learned on
 *   with metric 16. A metric of 16 is unreachable.
 * - Metrics as IOS shows them: a network one router away is [120/1]; connected networks are 0 here
 *   and every route leaves with its metric plus one.
 * - A route no longer refreshed is invalid after `invalid`, is then advertised as unreachable,
 *   held down for `holddown` (updates from other routers ignored), and removed at `flush` after
 *   it was last heard. A path whose interface goes down is dropped at once.
 */
import type { Network } from '../core/network.ts';
import { prefixMask } from '../core/ipv4.ts';
import { IPPROTO_UDP, type Ipv4Packet } from '../core/packets.ts';
import type { Prng } from '../core/prng.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { SECOND } from '../core/time.ts';
import { RIP_GROUP, RIP_INFINITY, RIP_MAX_ENTRIES, RIP_PORT, RIP_REQUEST, RIP_RESPONSE, ripLength, wholeTableRequest, type RipEntry, type RipMessage } from '../wire/rip.ts';
import type { IpInterface } from './ip-host.ts';
import type { RouteTable } from './route-table.ts';

export interface RipTimers {
  updateNs: number;
  invalidNs: number;
  holddownNs: number;
  /** From when the route was last heard to its removal. */
  flushNs: number;
}

/** IOS `timers basic` defaults: 30 / 180 / 180 / 240. */
export const IOS_RIP_TIMERS: RipTimers = { updateNs: 30 * SECOND, invalidNs: 180 * SECOND, holddownNs: 180 * SECOND, flushNs: 240 * SECOND };
/** RRAS defaults: announce every 30 s, routes expire after 180 s and are removed 120 s later; no holddown. */
export const RRAS_RIP_TIMERS: RipTimers = { updateNs: 30 * SECOND, invalidNs: 180 * SECOND, holddownNs: 0, flushNs: 300 * SECOND };

/** RIP's administrative distance on IOS. */
export const RIP_DISTANCE = 120;

export interface RipLink {
  readonly name: string;
  /** The stack interface; null for a loopback, whose networks are advertised but never sent on. */
  readonly ifc: IpInterface | null;
  /** A loopback's own networks (its /32); a stack interface's come from its addresses. */
  readonly networks: readonly { prefix: number; length: number }[];
  /** Updates go out here (not passive; RRAS announce other than none). */
  readonly send: boolean;
  /** Updates received here are taken (RRAS accept other than none). */
  readonly receive: boolean;
}

export interface RipOptions {
  timers: RipTimers;
  /** Equal-cost paths kept per route. */
  maxPaths: number;
  /** Of those, how many the forwarding table gets (IOS: all; Windows' stack uses one). */
  installPaths: number;
  /** An invalid route still forwards until it is flushed, as IOS documents for `timers basic`. */
  forwardWhileInvalid: boolean;
  /** Only these routes are announced (RRAS announce filters); absent: every route. */
  announceFilter?: (prefix: number, length: number) => boolean;
}

export interface RipServices {
  readonly net: Network;
  readonly name: string;
  readonly random: Prng;
  readonly routes: RouteTable;
  /** Send a datagram out of exactly this interface to 224.0.0.9. */
  transmit(ifc: IpInterface, pkt: Ipv4Packet): void;
  joinGroup(ifc: IpInterface): void;
  leaveGroup(ifc: IpInterface): void;
  /** Do the router's other routes (connected, static) already cover this exact prefix? */
  hasBetterRoute(prefix: number, length: number): boolean;
}

export interface RipPath {
  nextHop: number;
  /** Stack interface index. */
  iface: number;
  heardNs: number;
}

export interface RipRoute {
  readonly prefix: number;
  readonly length: number;
  metric: number;
  /** Name of the RIP link whose network this is; null for a learned route. */
  connected: string | null;
  paths: RipPath[];
  /** When the route went unreachable (invalid or poisoned); null while it is valid. */
  downNs: number | null;
  holddownUntil: number;
  flushAt: number;
  /** Changed since the last triggered update. */
  changed: boolean;
}

export interface RipNeighbor {
  readonly address: number;
  heardNs: number;
}

const TICK_NS = SECOND;
const EV_TICK = 0;
const EV_PERIODIC = 1;

export class RipSpeaker implements EventHandler {
  readonly handlerId: number;
  readonly table = new Map<string, RipRoute>();
  readonly neighbors = new Map<number, RipNeighbor>();
  readonly counters = { updatesSent: 0, triggeredSent: 0, updatesReceived: 0, badPackets: 0 };
  options: RipOptions;
  private links: RipLink[] = [];
  private enabled = false;
  private running = false;
  private ticking = false;
  private periodicToken = -1;
  nextPeriodicAt = 0;
  private suppressUntil = 0;
  private triggeredPending = false;
  private ident = 0;
  private joined = new Set<IpInterface>();

  constructor(
    private readonly svc: RipServices,
    options: RipOptions,
  ) {
    this.options = options;
    this.handlerId = svc.net.sched.register(this);
  }

  private get now(): number {
    return this.svc.net.sched.now;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  linkList(): readonly RipLink[] {
    return this.links;
  }

  // ---- configuration ----------------------------------------------------------------------

  /** Turn RIP on or off and say where it runs; called again whenever the configuration changes. */
  configure(enabled: boolean, links: readonly RipLink[], options: RipOptions): void {
    const timersChanged = options.timers.updateNs !== this.options.timers.updateNs;
    this.options = options;
    this.links = enabled ? [...links] : [];
    const wasEnabled = this.enabled;
    this.enabled = enabled;
    const want = new Set(this.links.filter((l) => l.ifc !== null && (l.receive || l.send)).map((l) => l.ifc as IpInterface));
    for (const ifc of [...this.joined]) {
      if (want.has(ifc)) continue;
      this.svc.leaveGroup(ifc);
      this.joined.delete(ifc);
    }
    for (const ifc of want) {
      if (this.joined.has(ifc)) continue;
      this.svc.joinGroup(ifc);
      this.joined.add(ifc);
    }
    if (!enabled) {
      for (const r of this.table.values()) if (r.connected === null) this.svc.routes.remove(r.prefix, r.length, 'rip');
      this.table.clear();
      this.neighbors.clear();
      return;
    }
    // Routes learned on a link RIP no longer runs on go, as they do when its interface goes down.
    const live = new Set(this.links.filter((l) => l.ifc !== null && l.receive).map((l) => (l.ifc as IpInterface).index));
    this.dropPaths((p) => !live.has(p.iface));
    this.syncConnected();
    if (!this.running) return;
    this.upLinks = this.upLinkSet();
    this.startTicking();
    if (!wasEnabled) this.startUp();
    else if (timersChanged) this.schedulePeriodic();
    this.flushTriggered();
  }

  start(): void {
    this.running = true;
    this.upLinks = this.upLinkSet();
    if (!this.enabled) return;
    this.syncConnected();
    this.startTicking();
    this.startUp();
  }

  /** Power off: the process and its table go. */
  stop(): void {
    this.running = false;
    for (const r of this.table.values()) if (r.connected === null) this.svc.routes.remove(r.prefix, r.length, 'rip');
    this.table.clear();
    this.neighbors.clear();
  }

  /** Ask every neighbour for its table, then start the periodic updates. */
  private startUp(): void {
    for (const l of this.links) if (l.ifc !== null && l.send && l.ifc.up) this.sendMessage(l.ifc, wholeTableRequest());
    this.schedulePeriodic();
    this.triggeredPending = true;
    this.flushTriggered();
  }

  /** An interface's carrier or addresses changed: its networks and the routes through it follow at once. */
  interfacesChanged(): void {
    if (!this.enabled) return;
    this.dropPaths((p) => !this.interfaceUsable(p.iface));
    this.syncConnected();
    for (const l of this.links) {
      if (l.ifc === null || !l.ifc.up || !l.send) continue;
      // A link that came back asks for its neighbours' tables.
      if (!this.upLinks.has(l.ifc.index)) this.sendMessage(l.ifc, wholeTableRequest());
    }
    this.upLinks = this.upLinkSet();
    this.flushTriggered();
  }

  private upLinks = new Set<number>();

  private upLinkSet(): Set<number> {
    return new Set(this.links.filter((l) => l.ifc !== null && l.ifc.up).map((l) => (l.ifc as IpInterface).index));
  }

  private interfaceUsable(index: number): boolean {
    return this.links.some((l) => l.ifc !== null && l.ifc.index === index && l.ifc.up);
  }

  // ---- the table --------------------------------------------------------------------------

  private key(prefix: number, length: number): string {
    return `${prefix >>> 0}/${length}`;
  }

  /** Networks of the links that are up, as RIP advertises them. */
  private connectedNetworks(): Map<string, { prefix: number; length: number; link: string }> {
    const out = new Map<string, { prefix: number; length: number; link: string }>();
    for (const l of this.links) {
      if (l.ifc === null) {
        for (const n of l.networks) out.set(this.key(n.prefix, n.length), { ...n, link: l.name });
        continue;
      }
      if (!l.ifc.up) continue;
      for (const a of l.ifc.addrs) {
        if (a.state !== 'preferred') continue;
        const prefix = (a.ip & prefixMask(a.prefix)) >>> 0;
        out.set(this.key(prefix, a.prefix), { prefix, length: a.prefix, link: l.name });
      }
    }
    return out;
  }

  private syncConnected(): void {
    const want = this.connectedNetworks();
    for (const [k, n] of want) {
      const r = this.table.get(k);
      if (r !== undefined && r.connected === n.link && r.metric === 0) continue;
      if (r !== undefined && r.connected === null) this.svc.routes.remove(r.prefix, r.length, 'rip');
      this.table.set(k, { prefix: n.prefix, length: n.length, metric: 0, connected: n.link, paths: [], downNs: null, holddownUntil: 0, flushAt: Infinity, changed: true });
      this.triggeredPending = true;
    }
    for (const [k, r] of this.table) {
      if (r.connected === null || want.has(k)) continue;
      // Our own network went away: advertise it unreachable until it is flushed.
      r.connected = null;
      this.markDown(r, this.now, 0, this.now + this.options.timers.flushNs - this.options.timers.invalidNs);
    }
  }

  /** A route usable again at this metric: out of holddown, no longer due to be flushed, and told to neighbours at once. */
  private revive(r: RipRoute, metric: number): void {
    r.metric = metric;
    r.downNs = null;
    r.flushAt = Infinity;
    r.changed = true;
    this.triggeredPending = true;
    this.install(r);
  }

  private markDown(r: RipRoute, now: number, holddownNs: number, flushAt: number): void {
    r.metric = RIP_INFINITY;
    r.downNs = now;
    r.holddownUntil = now + holddownNs;
    r.flushAt = flushAt;
    r.changed = true;
    this.triggeredPending = true;
    if (!this.options.forwardWhileInvalid || r.paths.length === 0) this.svc.routes.remove(r.prefix, r.length, 'rip');
  }

  /** Drop paths (their interface went down, or RIP left it); a route left with none is unreachable at once. */
  private dropPaths(gone: (p: RipPath) => boolean): void {
    for (const r of this.table.values()) {
      if (r.connected !== null || r.paths.length === 0) continue;
      const keep = r.paths.filter((p) => !gone(p));
      if (keep.length === r.paths.length) continue;
      r.paths = keep;
      if (keep.length > 0) {
        this.install(r);
        continue;
      }
      if (r.downNs !== null) {
        this.svc.routes.remove(r.prefix, r.length, 'rip');
        continue;
      }
      this.markDown(r, this.now, 0, this.now + this.options.timers.flushNs - this.options.timers.invalidNs);
    }
  }

  private install(r: RipRoute): void {
    if (r.connected !== null) return;
    if (r.paths.length === 0 || (r.downNs !== null && !this.options.forwardWhileInvalid)) {
      this.svc.routes.remove(r.prefix, r.length, 'rip');
      return;
    }
    if (this.svc.hasBetterRoute(r.prefix, r.length)) return;
    // In address order, so the path a flow hashes to does not depend on which update came first.
    const paths = r.paths.slice(0, Math.max(1, this.options.installPaths)).map((p) => ({ nextHop: p.nextHop, iface: p.iface }));
    if (paths.length > 1) paths.sort((a, b) => a.nextHop - b.nextHop);
    this.svc.routes.add({ prefix: r.prefix, length: r.length, nextHop: paths[0].nextHop, iface: paths[0].iface, origin: 'rip', paths: paths.length > 1 ? paths : undefined });
  }

  // ---- receive ----------------------------------------------------------------------------

  /** A datagram to port 520 arrived; the interface is the one whose network holds the sender. */
  receive(msg: RipMessage, src: number): void {
    if (!this.enabled || !this.running) return;
    const link = this.links.find((l) => l.ifc !== null && l.receive && l.ifc.up && l.ifc.addrs.some((a) => a.state === 'preferred' && a.prefix < 32 && ((a.ip ^ src) & prefixMask(a.prefix)) === 0));
    if (link === undefined || link.ifc === null) return;
    const ifc = link.ifc;
    if (ifc.addrs.some((a) => a.ip === src)) return; // our own, looped back by a switch
    if (msg.version < 2) {
      this.counters.badPackets++;
      return;
    }
    if (msg.command === RIP_REQUEST) {
      if (link.send) this.sendUpdate(ifc, false);
      return;
    }
    if (msg.command !== RIP_RESPONSE) return;
    this.counters.updatesReceived++;
    const n = this.neighbors.get(src);
    if (n === undefined) this.neighbors.set(src, { address: src, heardNs: this.now });
    else n.heardNs = this.now;
    for (const e of msg.entries) this.learn(e, src, ifc);
    this.flushTriggered();
  }

  private learn(e: RipEntry, src: number, ifc: IpInterface): void {
    if (e.afi !== 2 || e.metric < 1 || e.metric > RIP_INFINITY) return;
    const length = maskLen(e.mask);
    if (length === null) return;
    const prefix = (e.prefix & prefixMask(length)) >>> 0;
    // A next hop on the receiving network is used as given (RFC 2453 §4.4); otherwise the sender.
    const onLink = e.nextHop !== 0 && ifc.addrs.some((a) => a.prefix < 32 && ((a.ip ^ e.nextHop) & prefixMask(a.prefix)) === 0);
    const nextHop = onLink ? e.nextHop : src;
    const metric = Math.min(e.metric, RIP_INFINITY);
    const k = this.key(prefix, length);
    const r = this.table.get(k);
    const now = this.now;
    if (r === undefined) {
      if (metric >= RIP_INFINITY) return;
      const fresh: RipRoute = { prefix, length, metric, connected: null, paths: [{ nextHop, iface: ifc.index, heardNs: now }], downNs: null, holddownUntil: 0, flushAt: Infinity, changed: true };
      this.table.set(k, fresh);
      this.triggeredPending = true;
      this.install(fresh);
      return;
    }
    if (r.connected !== null) return;
    const mine = r.paths.find((p) => p.nextHop === nextHop && p.iface === ifc.index);
    if (mine !== undefined) {
      if (metric >= RIP_INFINITY) {
        // Already unreachable: its timers run on, and the path it still forwards on stays.
        if (r.downNs !== null) return;
        if (r.paths.length > 1) {
          r.paths = r.paths.filter((p) => p !== mine);
          this.install(r);
          return;
        }
        // Poisoned by the only router we used: possibly down, held down, flushed later.
        this.markDown(r, now, this.options.timers.holddownNs, now + this.options.timers.flushNs - this.options.timers.invalidNs);
        return;
      }
      mine.heardNs = now;
      if (r.downNs === null && metric === r.metric) return;
      if (r.downNs === null && metric > r.metric && r.paths.length > 1) {
        // This router's path got longer; the others are still the shortest.
        r.paths = r.paths.filter((p) => p !== mine);
        this.install(r);
        return;
      }
      // Back from the same router, or its metric changed: a new metric belongs to this path alone.
      if (metric !== r.metric) r.paths = [mine];
      this.revive(r, metric);
      return;
    }
    if (metric >= RIP_INFINITY) return;
    if (r.downNs !== null) {
      // Holddown: news from other routers is not believed until it ends.
      if (now < r.holddownUntil) return;
      r.paths = [{ nextHop, iface: ifc.index, heardNs: now }];
      this.revive(r, metric);
      return;
    }
    if (metric < r.metric) {
      r.paths = [{ nextHop, iface: ifc.index, heardNs: now }];
      r.metric = metric;
      r.changed = true;
      this.triggeredPending = true;
      this.install(r);
    } else if (metric === r.metric && r.paths.length < this.options.maxPaths) {
      r.paths.push({ nextHop, iface: ifc.index, heardNs: now });
      this.install(r);
    }
  }

  // ---- timers -----------------------------------------------------------------------------

  private startTicking(): void {
    if (this.ticking) return;
    this.ticking = true;
    this.svc.net.sched.schedule(TICK_NS, this.handlerId, EV_TICK, null);
  }

  private schedulePeriodic(): void {
    if (this.periodicToken >= 0) this.svc.net.sched.cancel(this.periodicToken);
    const t = this.options.timers.updateNs;
    // RFC 2453 §3.8: the update timer is offset by a random amount each time (30 s ± 5 s, scaled).
    const spread = Math.floor(t / 6);
    const delay = t - spread + Math.floor(this.svc.random.nextFloat() * (2 * spread + 1));
    this.nextPeriodicAt = this.now + delay;
    this.periodicToken = this.svc.net.sched.schedule(delay, this.handlerId, EV_PERIODIC, null);
  }

  onEvent(code: number): void {
    if (code === EV_PERIODIC) {
      this.periodicToken = -1;
      if (!this.enabled || !this.running) return;
      for (const l of this.links) if (l.ifc !== null && l.send && l.ifc.up) this.sendUpdate(l.ifc, false);
      this.schedulePeriodic();
      return;
    }
    if (!this.enabled || !this.running) {
      this.ticking = false;
      return;
    }
    this.tick();
    this.svc.net.sched.schedule(TICK_NS, this.handlerId, EV_TICK, null);
  }

  private tick(): void {
    const now = this.now;
    const t = this.options.timers;
    // Addresses finish duplicate detection and carriers change between ticks; both move the table.
    this.dropPaths((p) => !this.interfaceUsable(p.iface));
    this.syncConnected();
    for (const [k, r] of this.table) {
      if (r.connected !== null) continue;
      if (r.downNs === null) {
        const stale = r.paths.filter((p) => now - p.heardNs >= t.invalidNs);
        if (stale.length === 0) continue;
        if (stale.length < r.paths.length) {
          r.paths = r.paths.filter((p) => !stale.includes(p));
          this.install(r);
          continue;
        }
        const last = Math.max(...r.paths.map((p) => p.heardNs));
        this.markDown(r, now, t.holddownNs, last + t.flushNs);
      } else if (now >= r.flushAt) {
        this.table.delete(k);
        this.svc.routes.remove(r.prefix, r.length, 'rip');
      }
    }
    for (const [ip, n] of this.neighbors) if (now - n.heardNs >= t.flushNs) this.neighbors.delete(ip);
    this.flushTriggered();
  }

  // ---- send -------------------------------------------------------------------------------

  /** Send the changed routes now, or when the 1–5 s after the last triggered update are over. */
  private flushTriggered(): void {
    if (!this.triggeredPending || !this.running || !this.enabled) return;
    const now = this.now;
    if (now < this.suppressUntil) return;
    this.triggeredPending = false;
    for (const l of this.links) if (l.ifc !== null && l.send && l.ifc.up) this.sendUpdate(l.ifc, true);
    for (const r of this.table.values()) r.changed = false;
    this.suppressUntil = now + SECOND + Math.floor(this.svc.random.nextFloat() * 4 * SECOND);
  }

  /** The routes as they leave `ifc`: split horizon with poison reverse, connected networks of `ifc` left out. */
  entriesFor(ifc: IpInterface, changedOnly: boolean): RipEntry[] {
    const out: RipEntry[] = [];
    const own = this.links.find((l) => l.ifc === ifc)?.name;
    for (const r of this.table.values()) {
      if (changedOnly && !r.changed) continue;
      if (r.connected !== null && r.connected === own) continue;
      if (this.options.announceFilter !== undefined && !this.options.announceFilter(r.prefix, r.length)) continue;
      const back = r.connected === null && r.downNs === null && r.paths.some((p) => p.iface === ifc.index);
      const metric = back || r.metric >= RIP_INFINITY ? RIP_INFINITY : Math.min(r.metric + 1, RIP_INFINITY);
      out.push({ afi: 2, tag: 0, prefix: r.prefix, mask: prefixMask(r.length) >>> 0, nextHop: 0, metric });
    }
    return out;
  }

  private sendUpdate(ifc: IpInterface, triggered: boolean): void {
    const entries = this.entriesFor(ifc, triggered);
    if (entries.length === 0) return;
    for (let i = 0; i < entries.length; i += RIP_MAX_ENTRIES) {
      this.sendMessage(ifc, { kind: 'rip', command: RIP_RESPONSE, version: 2, entries: entries.slice(i, i + RIP_MAX_ENTRIES) });
    }
    if (triggered) this.counters.triggeredSent++;
    else this.counters.updatesSent++;
  }

  private sendMessage(ifc: IpInterface, m: RipMessage): void {
    const src = ifc.addrs.find((a) => a.state === 'preferred');
    if (src === undefined || !ifc.up) return;
    const dataLength = ripLength(m);
    const pkt: Ipv4Packet = {
      kind: 'ipv4', src: src.ip, dst: RIP_GROUP, ttl: 1, protocol: IPPROTO_UDP, ident: (this.ident = (this.ident + 1) & 0xffff), dscp: 0,
      totalLength: 28 + dataLength,
      payload: { kind: 'udp', srcPort: RIP_PORT, dstPort: RIP_PORT, dataLength, data: m },
    };
    this.svc.transmit(ifc, pkt);
  }

  // ---- views ------------------------------------------------------------------------------

  routeList(): RipRoute[] {
    return [...this.table.values()].sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  }
}

function maskLen(mask: number): number | null {
  let n = 0;
  while (n < 32 && ((mask >>> (31 - n)) & 1) === 1) n++;
  const rebuilt = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return rebuilt === mask >>> 0 ? n : null;
}
