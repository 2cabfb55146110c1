/**
 * Label switching on the router: a label per /32 in the global table (the loopbacks a VPN's BGP
 * next hops are), handed to neighbours on `mpls ip` interfaces, and the forwarding that uses them.
 *
 * Label distribution is minimal, not the LDP session protocol: every 5 s each `mpls ip`
 * interface sends a discovery hello (UDP 646 to 224.0.0.2, TTL 1, LDP's hello interval) that
 * carries the sender's bindings; a neighbour is kept 15 s after its last hello (LDP's hold time)
 * or until its interface goes down. A router binds implicit null (label 3) to its own loopbacks,
 * so the hop before it pops the outer label (PHP) and it receives only the VPN label.
 *
 * Forwarding: a labelled packet's top label is either a VRF's VPN label (pop, look the datagram
 * up in that VRF) or a local binding for a /32 (swap to the label the next hop bound to it, or pop
 * for implicit null). A label with no entry, or a packet on an interface without `mpls ip`, is
 * dropped. An unresolved next hop is ARPed for and the packet dropped, as a glean adjacency does.
 */
import { formatIpv4 } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import type { Ipv4Packet, MplsLabelEntry, MplsPacket } from '../../core/packets.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import type { IpInterface } from '../../l3/ip-host.ts';
import type { RouteTable } from '../../l3/route-table.ts';
import { FIRST_UNRESERVED_LABEL, LABEL_IMPLICIT_NULL } from '../../wire/mpls.ts';

export const LDP_PORT = 646;
export const ALL_ROUTERS_GROUP = 0xe0000002;
export const LDP_HELLO_NS = 5 * SECOND;
export const LDP_HOLD_NS = 15 * SECOND;

/** The record a discovery hello carries in its UDP payload. */
export interface LdpHello {
  readonly kind: 'ldp-hello';
  readonly lsrId: number;
  readonly bindings: readonly { prefix: number; label: number }[];
}

export interface LdpNeighbor {
  readonly address: number;
  readonly iface: number;
  lsrId: number;
  readonly bindings: Map<number, number>;
  expires: number;
  readonly since: number;
}

export interface Transport {
  readonly ifc: IpInterface;
  readonly nextHop: number;
  /** The label to push; LABEL_IMPLICIT_NULL: none (the next hop is the egress). */
  readonly label: number;
}

export interface LabelServices {
  readonly net: Network;
  readonly name: string;
  readonly interfaces: readonly IpInterface[];
  readonly routes: RouteTable;
  mplsEnabled(ifc: IpInterface): boolean;
  lsrId(): number;
  now(): number;
  neighbourMac(ifc: IpInterface, nextHop: number): number;
  transmit(ifc: IpInterface, dstMac: number, payload: MplsPacket | Ipv4Packet): void;
  /** Send a hello out of one interface (link-local multicast, TTL 1). */
  sendHello(ifc: IpInterface, hello: LdpHello): void;
  /** The VRF a VPN label leads to, with what to do with its datagram. */
  vpnLabel(label: number): ((pkt: Ipv4Packet) => void) | null;
}

export class LabelSwitching implements EventHandler {
  readonly handlerId: number;
  /** Local label per /32 FEC (prefix as uint32). */
  readonly bindings = new Map<number, number>();
  private readonly byLabel = new Map<number, number>();
  readonly neighbors = new Map<string, LdpNeighbor>();
  /** Bytes switched per local label, as `show mpls forwarding-table` counts them. */
  readonly switched = new Map<number, number>();
  readonly counters = { noLabel: 0, notEnabled: 0, ttlExpired: 0, glean: 0 };
  private nextLabel = FIRST_UNRESERVED_LABEL;
  private running = false;

  constructor(private readonly svc: LabelServices) {
    this.handlerId = svc.net.sched.register(this);
  }

  /** A fresh label from this router's label space (VPN labels come from the same space). */
  allocate(): number {
    return this.nextLabel++;
  }

  /** The local label for a /32; implicit null for our own. */
  localLabel(prefix: number, own: boolean): number {
    if (own) return LABEL_IMPLICIT_NULL;
    let l = this.bindings.get(prefix);
    if (l === undefined) {
      l = this.allocate();
      this.bindings.set(prefix, l);
      this.byLabel.set(l, prefix);
    }
    return l;
  }

  /** FECs this router binds now: every /32 in the global table but BGP's. */
  fecs(): { prefix: number; own: boolean }[] {
    const out: { prefix: number; own: boolean }[] = [];
    for (const r of this.svc.routes.list()) {
      if (r.length !== 32 || r.origin === 'bgp' || r.origin === 'connected') continue;
      if (!out.some((f) => f.prefix === r.prefix)) out.push({ prefix: r.prefix, own: r.origin === 'local' });
    }
    return out;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.svc.net.sched.schedule(0, this.handlerId, 0, null);
  }

  onEvent(): void {
    this.hello();
    this.svc.net.sched.schedule(LDP_HELLO_NS, this.handlerId, 0, null);
  }

  private hello(): void {
    const now = this.svc.now();
    for (const [k, n] of [...this.neighbors]) if (n.expires <= now) this.neighbors.delete(k);
    const bindings = this.fecs().map((f) => ({ prefix: f.prefix, label: this.localLabel(f.prefix, f.own) }));
    for (const ifc of this.svc.interfaces) {
      if (!ifc.up || !this.svc.mplsEnabled(ifc) || !ifc.addrs.some((a) => a.state === 'preferred')) continue;
      this.svc.sendHello(ifc, { kind: 'ldp-hello', lsrId: this.svc.lsrId(), bindings });
    }
  }

  /** A hello from `src`, heard on the interface whose network holds it. */
  receiveHello(src: number, hello: LdpHello): void {
    const ifc = this.svc.interfaces.find((i) => i.up && this.svc.mplsEnabled(i) && i.addrs.some((a) => a.prefix < 32 && ((a.ip ^ src) >>> (32 - a.prefix)) === 0));
    if (ifc === undefined) return;
    const key = `${ifc.index}|${src >>> 0}`;
    const now = this.svc.now();
    let n = this.neighbors.get(key);
    if (n === undefined) {
      n = { address: src, iface: ifc.index, lsrId: hello.lsrId, bindings: new Map(), expires: 0, since: now };
      this.neighbors.set(key, n);
      this.svc.net.emit('ldp.up', `${this.svc.name}: %LDP-5-NBRCHG: LDP Neighbor ${formatIpv4(hello.lsrId)}:0 (1) is UP`, this.svc.name, ifc.name);
    }
    n.lsrId = hello.lsrId;
    n.expires = now + LDP_HOLD_NS;
    n.bindings.clear();
    for (const b of hello.bindings) n.bindings.set(b.prefix >>> 0, b.label);
  }

  private neighborAt(ifc: IpInterface, address: number): LdpNeighbor | null {
    const n = this.neighbors.get(`${ifc.index}|${address >>> 0}`);
    return n !== undefined && n.expires > this.svc.now() && ifc.up ? n : null;
  }

  /** How to reach a /32 over labels: the egress interface, next hop and label to push; null when there is no LSP. */
  transportFor(dst: number): Transport | null {
    const r = this.svc.routes.lookup(dst);
    if (r === null || r.origin === 'local') return null;
    const nextHop = r.nextHop === 0 ? dst : r.nextHop;
    let ifc: IpInterface | undefined;
    if (r.iface >= 0) ifc = this.svc.interfaces[r.iface];
    else {
      const via = this.svc.routes.lookup(nextHop);
      if (via !== null && via.origin === 'connected') ifc = this.svc.interfaces[via.iface];
    }
    if (ifc === undefined || !ifc.up || !this.svc.mplsEnabled(ifc)) return null;
    const n = this.neighborAt(ifc, nextHop);
    const label = n?.bindings.get(dst >>> 0);
    if (label === undefined) return null;
    return { ifc, nextHop, label };
  }

  /** Ingress PE: push [transport label for the egress PE, VPN label] and send toward the egress PE. */
  push(egressPe: number, vpnLabel: number, inner: Ipv4Packet): boolean {
    const t = this.transportFor(egressPe);
    if (t === null) {
      this.counters.noLabel++;
      return false;
    }
    const ttl = inner.ttl;
    const labels: MplsLabelEntry[] = t.label === LABEL_IMPLICIT_NULL ? [{ label: vpnLabel, tc: 0, ttl }] : [{ label: t.label, tc: 0, ttl }, { label: vpnLabel, tc: 0, ttl }];
    return this.send(t, { kind: 'mpls', labels, inner });
  }

  private send(t: Transport, payload: MplsPacket | Ipv4Packet): boolean {
    const mac = this.svc.neighbourMac(t.ifc, t.nextHop);
    if (mac < 0) {
      this.counters.glean++;
      return false;
    }
    this.svc.transmit(t.ifc, mac, payload);
    return true;
  }

  receive(ifc: IpInterface, p: MplsPacket): void {
    if (!this.svc.mplsEnabled(ifc)) {
      this.counters.notEnabled++;
      return;
    }
    const top = p.labels[0];
    if (top === undefined) return;
    const ttl = top.ttl - 1;
    if (ttl <= 0) {
      this.counters.ttlExpired++;
      return;
    }
    const bytes = 4 * p.labels.length + p.inner.totalLength;
    const vpn = this.svc.vpnLabel(top.label);
    if (vpn !== null) {
      this.count(top.label, bytes);
      vpn({ ...p.inner, ttl: Math.min(p.inner.ttl, ttl) });
      return;
    }
    const fec = this.byLabel.get(top.label);
    const t = fec === undefined ? null : this.transportFor(fec);
    if (t === null) {
      this.counters.noLabel++;
      return;
    }
    this.count(top.label, bytes);
    const rest = p.labels.slice(1);
    const labels = t.label === LABEL_IMPLICIT_NULL ? rest : [{ label: t.label, tc: top.tc, ttl }, ...rest];
    if (labels.length === 0) this.send(t, { ...p.inner, ttl: Math.min(p.inner.ttl, ttl) });
    else {
      if (t.label === LABEL_IMPLICIT_NULL) labels[0] = { ...labels[0]!, ttl: Math.min(labels[0]!.ttl, ttl) };
      this.send(t, { kind: 'mpls', labels, inner: p.inner });
    }
  }

  private count(label: number, bytes: number): void {
    this.switched.set(label, (this.switched.get(label) ?? 0) + bytes);
  }

  /** Local label to FEC, for the forwarding table view. */
  fecOf(label: number): number | undefined {
    return this.byLabel.get(label);
  }
}

