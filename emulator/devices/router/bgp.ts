/**
 * BGP on the router: sessions over TCP 179 (between loopbacks with `update-source`, or on a
 * VRF interface toward a CE), IPv4 unicast and VPNv4 address families, best-path selection per
 * NLRI, route reflection, VRF export (RD, export route targets, the VRF's VPN label) and import
 * by route target into VRF tables, and `maximum-paths eibgp` in a VRF.
 *
 * Timers, IOS defaults: keepalive 60 s, hold 180 s, connect retry 30 s; imports of VPNv4 paths
 * into VRFs run on the BGP import scanner every `bgp scan-time import` seconds (15), each router's
 * scanner with its own phase. A CE-learned path enters its VRF at once; a path learned from
 * another PE waits for the next scan, and so does its removal. A directly connected eBGP session
 * is reset as soon as its interface goes down (fast-external-fallover). Updates go out at once:
 * the minimum advertisement interval is not modelled.
 *
 * As in the MSDP speaker, the emulator's TCP carries byte counts: each message record rides on a
 * per-direction queue beside the stream and is taken off when TCP has delivered its bytes. The
 * session is opened by the side with the lower address; the other listens (no collision
 * resolution is needed that way). Capabilities are not negotiated: an OPEN lists the families
 * configured, and each side sends what it has activated for the peer.
 */
import { formatIpv4, prefixMask } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import type { Prng } from '../../core/prng.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import type { TcpConnection, TcpStack } from '../../l3/tcp.ts';
import {
  AFI_IPV4,
  BGP_KEEPALIVE,
  BGP_NOTIFICATION,
  BGP_OPEN,
  BGP_TCP_PORT,
  BGP_UPDATE,
  bgpLength,
  SAFI_MPLS_VPN,
  SAFI_UNICAST,
  type BgpAttributes,
  type BgpMessage,
  type BgpUpdate,
  type Ipv4Prefix,
  type VpnPrefix,
} from '../../wire/bgp.ts';
import { multipaths, rankPaths, type PathView } from './bgp-bestpath.ts';
import type { VpnConfig } from './vpn-config.ts';

export const BGP_KEEPALIVE_NS = 60 * SECOND;
export const BGP_HOLD_SECONDS = 180;
export const BGP_CONNECT_RETRY_NS = 30 * SECOND;
export const DEFAULT_LOCAL_PREF = 100;
export const LOCAL_WEIGHT = 32768;
/** Administrative distances of BGP routes (DOMAIN.md §6). */
export const EBGP_DISTANCE = 20;
export const IBGP_DISTANCE = 200;
const TICK_NS = 1 * SECOND;

export type BgpState = 'Idle' | 'Active' | 'Connect' | 'OpenSent' | 'OpenConfirm' | 'Established';

export interface BgpPeer {
  readonly address: number;
  /** The VRF a CE neighbour belongs to; null for a global neighbour. */
  readonly vrf: string | null;
  remoteAs: number;
  updateSource: string | null;
  ipv4: boolean;
  vpnv4: boolean;
  routeReflectorClient: boolean;
  sendCommunityExtended: boolean;
  shutdown: boolean;
  state: BgpState;
  conn: TcpConnection | null;
  /** The peer's BGP identifier, from its OPEN. */
  routerId: number;
  lastReceived: number;
  lastSent: number;
  nextConnect: number;
  pendingBytes: number;
  sawOpen: boolean;
  messagesSent: number;
  messagesReceived: number;
  /** When the session last went up or down. */
  since: number;
  resets: number;
  lastReset: string | null;
  /** What each NLRI was last advertised with (key to signature); withdrawals are sent from here. */
  readonly adjOut: Map<string, string>;
  /** Paths received, by NLRI key (`p/len`, or `rd|p/len` for VPNv4). */
  readonly adjIn: Map<string, BgpPath>;
}

export interface BgpPath {
  /** Null for a path originated here (`network`). */
  readonly from: BgpPeer | null;
  readonly attrs: BgpAttributes;
  /** The VPN label the egress PE allocated; null outside VPNv4. */
  readonly label: number | null;
  readonly ebgp: boolean;
  readonly local: boolean;
  readonly since: number;
  /** For a VPNv4 path or an imported copy: the route distinguisher it came with. */
  readonly rd: string | null;
  readonly imported: boolean;
}

export interface BgpDest {
  readonly prefix: number;
  readonly length: number;
  readonly rd: string | null;
  paths: BgpPath[];
  /** Installed paths, best first; empty when none is usable. */
  chosen: BgpPath[];
}

/** One next hop of a VRF's BGP route: a CE address, or a remote PE with its VPN label. */
export interface VrfNextHop {
  readonly nextHop: number;
  readonly label: number | null;
  readonly ebgp: boolean;
}

export interface VrfBgpRoute {
  readonly prefix: number;
  readonly length: number;
  readonly distance: number;
  readonly paths: VrfNextHop[];
}

export interface BgpServices {
  readonly net: Network;
  readonly name: string;
  readonly random: Prng;
  tcp(): TcpStack;
  now(): number;
  config(): VpnConfig;
  /** The address of a named interface (a loopback), or 0. */
  addressOf(ifName: string): number;
  /** The address a session to `peer` comes from: the VRF interface's toward a CE, else the outgoing interface's. */
  sourceAddressFor(vrf: string | null, peer: number): number;
  /** Highest loopback address, else highest interface address: the default router ID. */
  defaultRouterId(): number;
  /** A next hop is usable: routed in the global table (or, in a VRF, on an up connected network). */
  nextHopReachable(vrf: string | null, nextHop: number): boolean;
  /** A prefix is in the routing table exactly (what `network` needs). */
  hasRoute(vrf: string | null, prefix: number, length: number): boolean;
  vpnLabel(vrf: string): number;
  installGlobal(routes: readonly { prefix: number; length: number; nextHop: number; ebgp: boolean }[]): void;
  installVrf(vrf: string, routes: readonly VrfBgpRoute[]): void;
}

function nlriKey(prefix: number, length: number): string {
  return `${prefix >>> 0}/${length}`;
}

function vpnKey(rd: string, prefix: number, length: number): string {
  return `${rd}|${prefix >>> 0}/${length}`;
}

function peerKey(vrf: string | null, address: number): string {
  return `${vrf ?? ''}|${address >>> 0}`;
}

/** Records in flight on each direction of each connection, keyed by "src:port>dst:port". */
const streams = new WeakMap<Network, Map<string, BgpMessage[]>>();

function streamsOf(net: Network): Map<string, BgpMessage[]> {
  let m = streams.get(net);
  if (m === undefined) {
    m = new Map();
    streams.set(net, m);
  }
  return m;
}

function streamKey(fromIp: number, fromPort: number, toIp: number, toPort: number): string {
  return `${fromIp >>> 0}:${fromPort}>${toIp >>> 0}:${toPort}`;
}

/** What a peer is sent for one NLRI. */
interface Advert {
  readonly family: 'ipv4' | 'vpnv4';
  readonly prefix: number;
  readonly length: number;
  readonly rd: string | null;
  readonly label: number;
  readonly attrs: BgpAttributes;
}

function signature(a: Advert): string {
  const x = a.attrs;
  return `${a.label};${x.origin};${x.asPath.join(' ')};${x.nextHop};${x.med};${x.localPref};${x.routeTargets.join(' ')};${x.originatorId};${x.clusterList.join(' ')}`;
}

export class BgpSpeaker implements EventHandler {
  readonly handlerId: number;
  readonly peers = new Map<string, BgpPeer>();
  /** Global IPv4 unicast table. */
  readonly ipv4 = new Map<string, BgpDest>();
  /** VPNv4 paths received from peers, by RD and prefix. */
  readonly vpnv4 = new Map<string, BgpDest>();
  /** Per VRF: its CE-learned paths and those imported at the last scan, by prefix. */
  readonly vrfs = new Map<string, Map<string, BgpDest>>();
  /** Paths copied into each VRF by the import scanner. */
  private readonly imported = new Map<string, { prefix: number; length: number; path: BgpPath }[]>();
  tableVersion = 1;
  asn: number | null = null;
  private routerIdValue = 0;
  private listening = false;
  private running = false;
  private localPort = 0;
  private nextImport = 0;
  /** Locally originated paths (`network`), by key. */
  private readonly originated = new Map<string, BgpPath>();

  constructor(private readonly svc: BgpServices) {
    this.handlerId = svc.net.sched.register(this);
  }

  get routerId(): number {
    const cfg = this.svc.config().bgp;
    if (cfg?.routerId != null) return cfg.routerId;
    if (this.routerIdValue === 0) this.routerIdValue = this.svc.defaultRouterId();
    return this.routerIdValue;
  }

  /** True when any neighbour is a route-reflector client. */
  get isReflector(): boolean {
    for (const p of this.peers.values()) if (p.routeReflectorClient) return true;
    return false;
  }

  // ---- configuration ----------------------------------------------------------------------

  configure(): void {
    const cfg = this.svc.config().bgp;
    if (cfg === null) {
      for (const p of [...this.peers.values()]) this.removePeer(p);
      this.asn = null;
      this.setListening(false);
      this.originated.clear();
      this.decide();
      return;
    }
    this.asn = cfg.asn;
    const wanted = new Map<string, Omit<BgpPeer, 'state' | 'conn' | 'routerId' | 'lastReceived' | 'lastSent' | 'nextConnect' | 'pendingBytes' | 'sawOpen' | 'messagesSent' | 'messagesReceived' | 'since' | 'resets' | 'lastReset' | 'adjOut' | 'adjIn'>>();
    for (const n of cfg.neighbors.values()) {
      if (n.remoteAs === null) continue;
      const v4 = cfg.ipv4.get(n.address);
      const vpn = cfg.vpnv4.get(n.address);
      wanted.set(peerKey(null, n.address), {
        address: n.address, vrf: null, remoteAs: n.remoteAs, updateSource: n.updateSource, ipv4: cfg.ipv4Active(n.address), vpnv4: vpn?.activate === true,
        routeReflectorClient: (vpn?.routeReflectorClient ?? false) || (v4?.routeReflectorClient ?? false), sendCommunityExtended: vpn?.sendCommunityExtended ?? false, shutdown: n.shutdown,
      });
    }
    for (const v of cfg.vrfs.values()) {
      for (const n of v.neighbors.values()) {
        if (n.remoteAs === null) continue;
        wanted.set(peerKey(v.vrf, n.address), {
          address: n.address, vrf: v.vrf, remoteAs: n.remoteAs, updateSource: null, ipv4: true, vpnv4: false, routeReflectorClient: false, sendCommunityExtended: false, shutdown: n.shutdown,
        });
      }
    }
    for (const [k, p] of [...this.peers]) {
      const w = wanted.get(k);
      if (w === undefined || w.remoteAs !== p.remoteAs || w.updateSource !== p.updateSource) this.removePeer(p);
    }
    for (const [k, w] of wanted) {
      const have = this.peers.get(k);
      if (have !== undefined) {
        const familiesChanged = have.ipv4 !== w.ipv4 || have.vpnv4 !== w.vpnv4;
        Object.assign(have, { ipv4: w.ipv4, vpnv4: w.vpnv4, routeReflectorClient: w.routeReflectorClient, sendCommunityExtended: w.sendCommunityExtended, shutdown: w.shutdown });
        if (w.shutdown && have.conn !== null) this.reset(have, 'Admin. shutdown', true);
        else if (familiesChanged && have.state === 'Established') this.reset(have, 'Address family activated', true);
        continue;
      }
      this.peers.set(k, {
        ...w, state: 'Idle', conn: null, routerId: 0, lastReceived: 0, lastSent: 0, nextConnect: this.svc.now(), pendingBytes: 0, sawOpen: false,
        messagesSent: 0, messagesReceived: 0, since: this.svc.now(), resets: 0, lastReset: null, adjOut: new Map(), adjIn: new Map(),
      });
    }
    this.setListening(this.peers.size > 0);
    this.originate();
    this.decide();
  }

  private setListening(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) this.svc.tcp().listen(BGP_TCP_PORT, (c) => this.accept(c));
    else this.svc.tcp().unlisten(BGP_TCP_PORT);
  }

  private removePeer(p: BgpPeer): void {
    this.reset(p, 'Neighbor deleted', true);
    this.peers.delete(peerKey(p.vrf, p.address));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Each router's import scanner runs with its own phase, as unsynchronised boxes do.
    const scan = (this.svc.config().bgp?.scanTimeImport ?? 15) * SECOND;
    this.nextImport = this.svc.now() + 1 + Math.floor(this.svc.random.nextFloat() * scan);
    this.svc.net.sched.schedule(0, this.handlerId, 0, null);
  }

  onEvent(): void {
    this.tick();
    this.svc.net.sched.schedule(TICK_NS, this.handlerId, 0, null);
  }

  // ---- sessions ---------------------------------------------------------------------------

  localAddressFor(p: BgpPeer): number {
    if (p.vrf === null && p.updateSource !== null) return this.svc.addressOf(p.updateSource);
    return this.svc.sourceAddressFor(p.vrf, p.address);
  }

  private accept(c: TcpConnection): void {
    let peer: BgpPeer | undefined;
    for (const p of this.peers.values()) if (p.address === c.remoteIp && this.localAddressFor(p) === c.localIp) peer = p;
    if (peer === undefined || peer.conn !== null || peer.shutdown || !this.running) {
      c.events = { onOpen: (x) => x.abort() };
      return;
    }
    this.attach(peer, c);
    peer.state = 'Active';
  }

  private attach(p: BgpPeer, c: TcpConnection): void {
    p.conn = c;
    p.pendingBytes = 0;
    p.sawOpen = false;
    c.events = {
      onOpen: () => this.tcpUp(p, c),
      onData: (_c, bytes) => this.bytesIn(p, c, bytes),
      onPeerClose: () => this.reset(p, 'Peer closed the session', true),
      onClosed: () => {
        if (p.conn === c) this.down(p, p.state === 'Established' ? 'Peer closed the session' : null);
      },
    };
  }

  private connect(p: BgpPeer): void {
    p.nextConnect = this.svc.now() + BGP_CONNECT_RETRY_NS;
    const local = this.localAddressFor(p);
    if (local === 0 || p.shutdown) return;
    if (local >>> 0 > p.address >>> 0) {
      p.state = 'Active';
      return;
    }
    p.state = 'Connect';
    this.localPort = this.localPort >= 65000 ? 49152 : Math.max(49152, this.localPort + 1);
    this.attach(p, this.svc.tcp().connect(p.address, BGP_TCP_PORT, this.localPort, {}, local));
  }

  private tcpUp(p: BgpPeer, c: TcpConnection): void {
    if (p.conn !== c) return;
    p.state = 'OpenSent';
    p.lastReceived = this.svc.now();
    const families = [];
    if (p.ipv4) families.push({ afi: AFI_IPV4, safi: SAFI_UNICAST });
    if (p.vpnv4) families.push({ afi: AFI_IPV4, safi: SAFI_MPLS_VPN });
    this.send(p, { type: BGP_OPEN, myAs: this.asn ?? 0, holdTime: BGP_HOLD_SECONDS, bgpId: this.routerId, families });
  }

  private down(p: BgpPeer, reason: string | null): void {
    const was = p.state === 'Established';
    p.conn = null;
    p.pendingBytes = 0;
    p.state = 'Idle';
    p.nextConnect = this.svc.now() + BGP_CONNECT_RETRY_NS;
    p.adjOut.clear();
    const hadRoutes = p.adjIn.size > 0;
    p.adjIn.clear();
    if (was) {
      p.resets++;
      p.since = this.svc.now();
      p.lastReset = reason;
      this.svc.net.emit('bgp.down', `${this.svc.name}: %BGP-5-ADJCHANGE: neighbor ${formatIpv4(p.address)}${p.vrf !== null ? ` vrf ${p.vrf}` : ''} Down ${reason ?? ''}`.trimEnd(), this.svc.name);
    }
    if (hadRoutes) this.decide();
  }

  /** Tear the session down (FIN when `graceful`, else RST) and wait to retry. */
  private reset(p: BgpPeer, reason: string, graceful: boolean): void {
    const c = p.conn;
    if (c === null) return;
    this.down(p, reason);
    if (graceful) c.close();
    else c.abort();
  }

  private send(p: BgpPeer, m: BgpMessage): void {
    const c = p.conn;
    if (c === null || (c.state !== 'established' && c.state !== 'close-wait')) return;
    const key = streamKey(c.localIp, c.localPort, c.remoteIp, c.remotePort);
    const all = streamsOf(this.svc.net);
    const q = all.get(key);
    if (q === undefined) all.set(key, [m]);
    else q.push(m);
    p.messagesSent++;
    p.lastSent = this.svc.now();
    c.send(bgpLength(m));
  }

  private bytesIn(p: BgpPeer, c: TcpConnection, bytes: number): void {
    if (p.conn !== c) return;
    p.pendingBytes += bytes;
    p.lastReceived = this.svc.now();
    const q = streamsOf(this.svc.net).get(streamKey(c.remoteIp, c.remotePort, c.localIp, c.localPort));
    while (q !== undefined && q.length > 0 && p.conn === c && p.pendingBytes >= bgpLength(q[0]!)) {
      const m = q.shift()!;
      p.pendingBytes -= bgpLength(m);
      p.messagesReceived++;
      this.receive(p, m);
    }
  }

  private receive(p: BgpPeer, m: BgpMessage): void {
    switch (m.type) {
      case BGP_OPEN:
        if (m.myAs !== p.remoteAs) {
          this.send(p, { type: BGP_NOTIFICATION, code: 2, subcode: 2 });
          this.svc.net.emit('bgp.notification', `${this.svc.name}: %BGP-3-NOTIFICATION: sent to neighbor ${formatIpv4(p.address)} 2/2 (peer in wrong AS) 2 bytes ${m.myAs.toString(16).toUpperCase().padStart(4, '0')}`, this.svc.name);
          this.reset(p, 'BGP Notification sent', true);
          return;
        }
        p.routerId = m.bgpId;
        p.sawOpen = true;
        if (p.state === 'Active' || p.state === 'Connect') this.tcpUp(p, p.conn!);
        p.state = 'OpenConfirm';
        this.send(p, { type: BGP_KEEPALIVE });
        return;
      case BGP_KEEPALIVE:
        if (p.state === 'OpenConfirm') this.established(p);
        return;
      case BGP_NOTIFICATION:
        this.reset(p, 'BGP Notification received', false);
        return;
      case BGP_UPDATE:
        if (p.state === 'Established') this.update(p, m);
        return;
    }
  }

  private established(p: BgpPeer): void {
    p.state = 'Established';
    p.since = this.svc.now();
    this.svc.net.emit('bgp.up', `${this.svc.name}: %BGP-5-ADJCHANGE: neighbor ${formatIpv4(p.address)}${p.vrf !== null ? ` vrf ${p.vrf}` : ''} Up `, this.svc.name);
    this.advertise(p);
  }

  /** fast-external-fallover: a directly connected eBGP neighbour whose network went down is reset at once. */
  interfacesChanged(): void {
    for (const p of this.peers.values()) {
      if (p.conn === null || p.remoteAs === this.asn) continue;
      if (!this.svc.nextHopReachable(p.vrf, p.address)) this.reset(p, 'Interface flap', false);
    }
  }

  private tick(): void {
    if (!this.running) return;
    const now = this.svc.now();
    for (const p of this.peers.values()) {
      if (p.conn !== null) {
        if (p.state === 'Established' || p.state === 'OpenConfirm') {
          if (now - p.lastReceived >= BGP_HOLD_SECONDS * SECOND) {
            this.send(p, { type: BGP_NOTIFICATION, code: 4, subcode: 0 });
            this.reset(p, 'BGP Notification sent', false);
            continue;
          }
          if (now - p.lastSent >= BGP_KEEPALIVE_NS) this.send(p, { type: BGP_KEEPALIVE });
        }
      } else if (p.nextConnect <= now && !p.shutdown) this.connect(p);
    }
    if (this.svc.config().bgp !== null) {
      if (this.originate()) this.decide();
      if (now >= this.nextImport) {
        this.nextImport = now + (this.svc.config().bgp?.scanTimeImport ?? 15) * SECOND;
        this.importScan();
      }
    }
  }

  // ---- receiving routes -------------------------------------------------------------------

  private update(p: BgpPeer, m: BgpUpdate): void {
    const ibgp = p.remoteAs === this.asn;
    for (const w of m.withdrawn) p.adjIn.delete(nlriKey(w.prefix, w.length));
    for (const w of m.vpnWithdrawn) p.adjIn.delete(vpnKey(w.rd, w.prefix, w.length));
    const a = m.attrs;
    if (a !== null && this.acceptable(p, a, ibgp)) {
      const attrs: BgpAttributes = { ...a, localPref: ibgp ? (a.localPref ?? DEFAULT_LOCAL_PREF) : DEFAULT_LOCAL_PREF };
      const now = this.svc.now();
      for (const n of m.nlri) p.adjIn.set(nlriKey(n.prefix, n.length), { from: p, attrs, label: null, ebgp: !ibgp, local: false, since: now, rd: null, imported: false });
      for (const n of m.vpnReach) {
        const key = vpnKey(n.rd, n.prefix, n.length);
        // A PE keeps only VPNv4 paths some VRF of its imports (the default route-target filter); a reflector keeps all.
        if (!this.isReflector && !this.someVrfImports(attrs.routeTargets)) {
          p.adjIn.delete(key);
          continue;
        }
        const old = p.adjIn.get(key);
        p.adjIn.set(key, { from: p, attrs, label: n.label, ebgp: !ibgp, local: false, since: old !== undefined && old.label === n.label && old.attrs.nextHop === attrs.nextHop ? old.since : now, rd: n.rd, imported: false });
      }
    } else if (a !== null) {
      for (const n of m.nlri) p.adjIn.delete(nlriKey(n.prefix, n.length));
      for (const n of m.vpnReach) p.adjIn.delete(vpnKey(n.rd, n.prefix, n.length));
    }
    this.decide();
  }

  /** Loop checks: our AS in an eBGP path, our router ID as originator or our cluster in the list. */
  private acceptable(p: BgpPeer, a: BgpAttributes, ibgp: boolean): boolean {
    if (!ibgp) return this.asn === null || !a.asPath.includes(this.asn);
    if (a.originatorId !== null && a.originatorId === this.routerId) return false;
    if (a.clusterList.includes(this.routerId)) return false;
    return p.state === 'Established';
  }

  private someVrfImports(targets: readonly string[]): boolean {
    for (const v of this.svc.config().vrfs.values()) if (v.importTargets.some((t) => targets.includes(t))) return true;
    return false;
  }

  // ---- origination and import -------------------------------------------------------------

  /** `network` statements whose prefix is in the routing table; true when the set changed. */
  private originate(): boolean {
    const cfg = this.svc.config().bgp;
    const want = new Set<string>();
    for (const n of cfg?.networks ?? []) {
      const length = maskBits(n.mask);
      if (this.svc.hasRoute(null, n.prefix, length)) want.add(nlriKey(n.prefix, length));
    }
    let changed = false;
    for (const k of [...this.originated.keys()]) {
      if (want.has(k)) continue;
      this.originated.delete(k);
      changed = true;
    }
    for (const k of want) {
      if (this.originated.has(k)) continue;
      this.originated.set(k, { from: null, attrs: { origin: 0, asPath: [], nextHop: 0, med: 0, localPref: DEFAULT_LOCAL_PREF, routeTargets: [], originatorId: null, clusterList: [] }, label: null, ebgp: false, local: true, since: this.svc.now(), rd: null, imported: false });
      changed = true;
    }
    return changed;
  }

  /** The import scanner: copy each VPNv4 path whose route targets a VRF imports into that VRF. */
  importScan(): void {
    const vrfs = this.svc.config().vrfs;
    this.imported.clear();
    for (const v of vrfs.values()) {
      const list: { prefix: number; length: number; path: BgpPath }[] = [];
      for (const d of this.vpnv4.values()) {
        for (const path of d.paths) {
          if (!v.importTargets.some((t) => path.attrs.routeTargets.includes(t))) continue;
          list.push({ prefix: d.prefix, length: d.length, path: { ...path, imported: true } });
        }
      }
      this.imported.set(v.name, list);
    }
    this.decide();
  }

  // ---- decision ---------------------------------------------------------------------------

  /** A path can be used: originated here, or its next hop is reachable. */
  isValid(p: BgpPath): boolean {
    return this.view(p).valid;
  }

  private view(p: BgpPath): PathView {
    return {
      valid: p.local || (p.from !== null && p.from.vrf !== null ? this.svc.nextHopReachable(p.from.vrf, p.attrs.nextHop) : this.svc.nextHopReachable(null, p.attrs.nextHop)),
      weight: p.local ? LOCAL_WEIGHT : 0,
      localPref: p.attrs.localPref ?? DEFAULT_LOCAL_PREF,
      local: p.local,
      asPath: p.attrs.asPath,
      origin: p.attrs.origin,
      med: p.attrs.med ?? 0,
      ebgp: p.ebgp,
      igpMetric: 0,
      routerId: p.attrs.originatorId ?? p.from?.routerId ?? this.routerId,
      clusterListLength: p.attrs.clusterList.length,
      peerAddress: p.from?.address ?? 0,
    };
  }

  private choose(d: BgpDest, max: number): void {
    const views = d.paths.map((p) => this.view(p));
    const picked = max > 1 ? multipaths(views, max) : rankPaths(views).slice(0, 1);
    d.chosen = picked.map((i) => d.paths[i]!);
    // Show order: the best first, then the rest as ranked.
    const order = rankPaths(views);
    const rest = d.paths.map((_, i) => i).filter((i) => !order.includes(i));
    d.paths = [...order, ...rest].map((i) => d.paths[i]!);
  }

  /** Rebuild every table from what peers sent, what is originated and what was imported; install; advertise. */
  decide(): void {
    this.tableVersion++;
    const cfg = this.svc.config();
    // Global IPv4.
    const v4 = new Map<string, BgpDest>();
    const add = (table: Map<string, BgpDest>, key: string, prefix: number, length: number, rd: string | null, path: BgpPath): void => {
      let d = table.get(key);
      if (d === undefined) {
        d = { prefix, length, rd, paths: [], chosen: [] };
        table.set(key, d);
      }
      d.paths.push(path);
    };
    for (const [k, path] of this.originated) {
      const [prefix, length] = k.split('/').map(Number) as [number, number];
      add(v4, k, prefix, length, null, path);
    }
    const vpn = new Map<string, BgpDest>();
    const vrfTables = new Map<string, Map<string, BgpDest>>();
    for (const v of cfg.vrfs.keys()) vrfTables.set(v, new Map());
    for (const p of this.peers.values()) {
      for (const [k, path] of p.adjIn) {
        const [rdPart, pfx] = k.includes('|') ? (k.split('|') as [string, string]) : [null, k];
        const [prefix, length] = pfx.split('/').map(Number) as [number, number];
        if (p.vrf !== null) {
          const t = vrfTables.get(p.vrf);
          if (t !== undefined) add(t, pfx, prefix, length, null, path);
        } else if (rdPart !== null) add(vpn, k, prefix, length, rdPart, path);
        else add(v4, k, prefix, length, null, path);
      }
    }
    for (const [v, list] of this.imported) {
      const t = vrfTables.get(v);
      if (t === undefined) continue;
      for (const e of list) add(t, nlriKey(e.prefix, e.length), e.prefix, e.length, null, e.path);
    }
    for (const d of v4.values()) this.choose(d, 1);
    for (const d of vpn.values()) this.choose(d, 1);
    for (const [v, t] of vrfTables) {
      const max = cfg.bgp?.vrfs.get(v)?.maximumPathsEibgp ?? 1;
      for (const d of t.values()) this.choose(d, max);
    }
    this.ipv4.clear();
    for (const [k, d] of v4) this.ipv4.set(k, d);
    this.vpnv4.clear();
    for (const [k, d] of vpn) this.vpnv4.set(k, d);
    this.vrfs.clear();
    for (const [k, t] of vrfTables) this.vrfs.set(k, t);
    this.install();
    for (const p of this.peers.values()) if (p.state === 'Established') this.advertise(p);
  }

  private install(): void {
    const global: { prefix: number; length: number; nextHop: number; ebgp: boolean }[] = [];
    for (const d of this.ipv4.values()) {
      const b = d.chosen[0];
      if (b === undefined || b.local) continue;
      global.push({ prefix: d.prefix, length: d.length, nextHop: b.attrs.nextHop, ebgp: b.ebgp });
    }
    this.svc.installGlobal(global);
    for (const [v, t] of this.vrfs) {
      const routes: VrfBgpRoute[] = [];
      for (const d of t.values()) {
        const b = d.chosen[0];
        if (b === undefined) continue;
        routes.push({
          prefix: d.prefix,
          length: d.length,
          // eiBGP multipath installs iBGP paths beside the eBGP one at the eBGP distance (the field note's caution).
          distance: b.ebgp || d.chosen.length > 1 ? EBGP_DISTANCE : IBGP_DISTANCE,
          paths: d.chosen.map((p) => ({ nextHop: p.attrs.nextHop, label: p.imported ? p.label : null, ebgp: p.ebgp })),
        });
      }
      this.svc.installVrf(v, routes);
    }
  }

  // ---- advertising ------------------------------------------------------------------------

  /** What `p` should hold now, by NLRI key. */
  private desired(p: BgpPeer): Map<string, Advert> {
    const out = new Map<string, Advert>();
    const asn = this.asn ?? 0;
    const self = this.localAddressFor(p);
    const ibgpPeer = p.remoteAs === asn;
    if (p.vrf !== null) {
      for (const [k, d] of this.vrfs.get(p.vrf) ?? []) {
        const b = d.chosen[0];
        if (b === undefined || b.from === p) continue;
        out.set(k, { family: 'ipv4', prefix: d.prefix, length: d.length, rd: null, label: 0, attrs: { ...b.attrs, asPath: [asn, ...b.attrs.asPath], nextHop: self, localPref: null, originatorId: null, clusterList: [], routeTargets: [], med: b.attrs.med } });
      }
      return out;
    }
    if (p.ipv4) {
      for (const [k, d] of this.ipv4) {
        const b = d.chosen[0];
        if (b === undefined || b.from === p) continue;
        if (!this.mayAdvertise(b, p)) continue;
        const attrs: BgpAttributes = ibgpPeer
          ? { ...b.attrs, nextHop: b.local ? self : b.attrs.nextHop, localPref: b.attrs.localPref ?? DEFAULT_LOCAL_PREF, ...this.reflection(b) }
          : { ...b.attrs, asPath: [asn, ...b.attrs.asPath], nextHop: self, localPref: null, originatorId: null, clusterList: [] };
        out.set(k, { family: 'ipv4', prefix: d.prefix, length: d.length, rd: null, label: 0, attrs });
      }
    }
    if (p.vpnv4) {
      const cfg = this.svc.config();
      for (const [v, t] of this.vrfs) {
        const def = cfg.vrfs.get(v);
        if (def === undefined || def.rd === null) continue;
        for (const d of t.values()) {
          const b = d.chosen[0];
          if (b === undefined || b.imported) continue;
          const attrs: BgpAttributes = { ...b.attrs, nextHop: self, localPref: DEFAULT_LOCAL_PREF, routeTargets: p.sendCommunityExtended ? [...def.exportTargets] : [], originatorId: null, clusterList: [] };
          out.set(vpnKey(def.rd, d.prefix, d.length), { family: 'vpnv4', prefix: d.prefix, length: d.length, rd: def.rd, label: this.svc.vpnLabel(v), attrs });
        }
      }
      for (const [k, d] of this.vpnv4) {
        const b = d.chosen[0];
        if (b === undefined || b.from === p || out.has(k) || !this.mayAdvertise(b, p)) continue;
        const attrs: BgpAttributes = { ...b.attrs, ...this.reflection(b), routeTargets: p.sendCommunityExtended ? b.attrs.routeTargets : [] };
        out.set(k, { family: 'vpnv4', prefix: d.prefix, length: d.length, rd: d.rd, label: b.label ?? 0, attrs });
      }
    }
    return out;
  }

  /** iBGP split horizon, relaxed by route reflection: a client's path goes to everyone, a non-client's to clients. */
  private mayAdvertise(b: BgpPath, to: BgpPeer): boolean {
    const from = b.from;
    if (from === null || from.remoteAs !== this.asn || to.remoteAs !== this.asn) return true;
    return from.routeReflectorClient || to.routeReflectorClient;
  }

  private reflection(b: BgpPath): Pick<BgpAttributes, 'originatorId' | 'clusterList'> {
    const from = b.from;
    if (from === null || from.remoteAs !== this.asn) return { originatorId: b.attrs.originatorId, clusterList: b.attrs.clusterList };
    return { originatorId: b.attrs.originatorId ?? from.routerId, clusterList: [this.routerId, ...b.attrs.clusterList] };
  }

  /** Bring a peer's Adj-RIB-Out to what it should hold: an UPDATE per changed NLRI, withdrawals together. */
  private advertise(p: BgpPeer): void {
    const want = this.desired(p);
    const withdrawn: Ipv4Prefix[] = [];
    const vpnWithdrawn: VpnPrefix[] = [];
    for (const k of [...p.adjOut.keys()]) {
      if (want.has(k)) continue;
      p.adjOut.delete(k);
      const [rd, pfx] = k.includes('|') ? (k.split('|') as [string, string]) : [null, k];
      const [prefix, length] = pfx.split('/').map(Number) as [number, number];
      if (rd === null) withdrawn.push({ prefix, length });
      else vpnWithdrawn.push({ rd, prefix, length, label: 0x80000 });
    }
    if (withdrawn.length > 0 || vpnWithdrawn.length > 0) this.send(p, { type: BGP_UPDATE, withdrawn, attrs: null, nlri: [], vpnReach: [], vpnWithdrawn });
    for (const [k, a] of want) {
      const sig = signature(a);
      if (p.adjOut.get(k) === sig) continue;
      p.adjOut.set(k, sig);
      const n = { prefix: a.prefix, length: a.length };
      if (a.family === 'ipv4') this.send(p, { type: BGP_UPDATE, withdrawn: [], attrs: a.attrs, nlri: [n], vpnReach: [], vpnWithdrawn: [] });
      else this.send(p, { type: BGP_UPDATE, withdrawn: [], attrs: a.attrs, nlri: [], vpnReach: [{ ...n, rd: a.rd ?? '0:0', label: a.label }], vpnWithdrawn: [] });
    }
  }

  /** Prefixes a peer has sent that are in its Adj-RIB-In now. */
  prefixesFrom(p: BgpPeer): number {
    return p.adjIn.size;
  }
}

function maskBits(mask: number): number {
  let n = 0;
  while (n < 32 && ((mask >>> (31 - n)) & 1) === 1) n++;
  return n;
}

export function prefixOf(ip: number, length: number): number {
  return (ip & prefixMask(length)) >>> 0;
}
