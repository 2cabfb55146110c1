/**
 * The router's MPLS VPN plane: VRF tables bound to interfaces, the BGP speaker and label
 * switching, wired to the router's IPv4 stack. The router keeps one of these and hands it
 * the packets its hooks see (a datagram arriving on a VRF interface, a labelled frame).
 */
import { prefixMask } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import { ETHERTYPE_IPV4, ETHERTYPE_MPLS, IPPROTO_UDP, type Ipv4Packet, type MplsPacket } from '../../core/packets.ts';
import { groupMac } from '../../l2/igmp-snooping.ts';
import type { IpInterface } from '../../l3/ip-host.ts';
import { flowPath, type Route, type RouteTable } from '../../l3/route-table.ts';
import type { TcpStack } from '../../l3/tcp.ts';
import { BgpSpeaker, EBGP_DISTANCE, IBGP_DISTANCE } from './bgp.ts';
import { ALL_ROUTERS_GROUP, LabelSwitching, LDP_PORT, type LdpHello } from './mpls.ts';
import type { VpnConfig } from './vpn-config.ts';
import { VrfTable } from './vrf.ts';

/** What the plane needs of the router it lives in. */
export interface VpnHost {
  readonly net: Network;
  readonly name: string;
  readonly interfaces: readonly IpInterface[];
  readonly loopbacks: readonly number[];
  readonly routes: RouteTable;
  config(): VpnConfig;
  tcp(): TcpStack;
  addressOf(ifName: string): number;
  sourceAddressFor(dst: number): number;
  neighbourMac(ifc: IpInterface, nextHop: number): number;
  /** Put a built frame on an interface. */
  sendFrame(ifc: IpInterface, dstMac: number, etherType: number, payload: MplsPacket | Ipv4Packet, size: number): void;
  /** Route a datagram by a VRF's connected table (ARP and out). */
  outputVia(pkt: Ipv4Packet, table: RouteTable): void;
}

export interface GlobalBgpRoute {
  readonly distance: number;
  readonly since: number;
}

function isLdpHello(x: unknown): x is LdpHello {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'ldp-hello';
}

export class VpnPlane {
  readonly vrfs = new Map<string, VrfTable>();
  readonly bgp: BgpSpeaker;
  readonly labels: LabelSwitching;
  /** Global BGP routes installed, with their distance and age, for `show ip route`. */
  readonly globalBgp = new Map<string, GlobalBgpRoute>();
  private readonly vrfByIf = new Map<number, VrfTable>();
  private readonly vrfByLabel = new Map<number, VrfTable>();
  private readonly helloMacs = new Set<number>();
  private started = false;
  private ldpRunning = false;
  private bgpRunning = false;
  private udpBound = false;

  constructor(private readonly host: VpnHost) {
    this.labels = new LabelSwitching({
      net: host.net,
      name: host.name,
      interfaces: host.interfaces,
      routes: host.routes,
      mplsEnabled: (ifc) => this.mplsEnabled(ifc),
      lsrId: () => this.bgp.routerId || this.defaultRouterId(),
      now: () => host.net.now,
      neighbourMac: (ifc, nh) => host.neighbourMac(ifc, nh),
      transmit: (ifc, mac, payload) => {
        const tag = ifc.vlan !== 0 ? 4 : 0;
        if (payload.kind === 'mpls') host.sendFrame(ifc, mac, ETHERTYPE_MPLS, payload, Math.max(64, 18 + 4 * payload.labels.length + payload.inner.totalLength) + tag);
        else host.sendFrame(ifc, mac, ETHERTYPE_IPV4, payload, Math.max(64, 18 + payload.totalLength) + tag);
      },
      sendHello: (ifc, hello) => this.sendHello(ifc, hello),
      vpnLabel: (label) => {
        const v = this.vrfByLabel.get(label);
        return v === undefined ? null : (pkt) => this.forward(v, pkt);
      },
    });
    this.bgp = new BgpSpeaker({
      net: host.net,
      name: host.name,
      random: host.net.random.forId(`${host.name}/bgp`),
      tcp: () => host.tcp(),
      now: () => host.net.now,
      config: () => host.config(),
      addressOf: (n) => host.addressOf(n),
      sourceAddressFor: (vrf, peer) => (vrf === null ? host.sourceAddressFor(peer) : this.vrfAddressToward(vrf, peer)),
      defaultRouterId: () => this.defaultRouterId(),
      nextHopReachable: (vrf, nh) => this.reachable(vrf, nh),
      hasRoute: (_vrf, prefix, length) => host.routes.list().some((r) => r.prefix === prefix && r.length === length && r.origin !== 'bgp' && this.routeUp(r)),
      vpnLabel: (vrf) => this.vrfs.get(vrf)?.label ?? 0,
      installGlobal: (routes) => this.installGlobal(routes),
      installVrf: (vrf, routes) => this.vrfs.get(vrf)?.install(routes, host.net.now),
    });
  }

  mplsEnabled(ifc: IpInterface): boolean {
    return this.host.config().mplsInterfaces.has(ifc.name);
  }

  vrfOf(ifc: IpInterface): VrfTable | null {
    return this.vrfByIf.get(ifc.index) ?? null;
  }

  /** The VRF table a datagram from `src` (one of our VRF interface addresses) is routed by. */
  tableForSource(src: number): RouteTable | null {
    for (const ifc of this.host.interfaces) {
      const v = this.vrfByIf.get(ifc.index);
      if (v !== undefined && ifc.addrs.some((a) => a.ip === src)) return v.connected;
    }
    return null;
  }

  private defaultRouterId(): number {
    if (this.host.loopbacks.length > 0) return Math.max(...this.host.loopbacks.map((x) => x >>> 0));
    let best = 0;
    for (const i of this.host.interfaces) for (const a of i.addrs) if (a.ip >>> 0 > best) best = a.ip >>> 0;
    return best;
  }

  private routeUp(r: Route): boolean {
    return r.origin !== 'connected' || (this.host.interfaces[r.iface]?.up ?? false);
  }

  private reachable(vrf: string | null, nh: number): boolean {
    if (vrf !== null) return this.vrfs.get(vrf)?.lookup(nh, (i) => this.host.interfaces[i]?.up ?? false)?.kind === 'connected';
    const r = this.host.routes.lookup(nh);
    return r !== null && r.origin !== 'bgp' && this.routeUp(r);
  }

  private vrfAddressToward(vrf: string, peer: number): number {
    for (const ifc of this.host.interfaces) {
      if (this.vrfByIf.get(ifc.index)?.name !== vrf) continue;
      for (const a of ifc.addrs) if (a.prefix < 32 && (((a.ip ^ peer) & prefixMask(a.prefix)) >>> 0) === 0) return a.ip;
    }
    return 0;
  }

  private installGlobal(routes: readonly { prefix: number; length: number; nextHop: number; ebgp: boolean }[]): void {
    const now = this.host.net.now;
    const keep = new Map(this.globalBgp);
    this.host.routes.removeWhere((r) => r.origin === 'bgp');
    this.globalBgp.clear();
    for (const r of routes) {
      const key = `${r.prefix >>> 0}/${r.length}`;
      this.host.routes.add({ prefix: r.prefix, length: r.length, nextHop: r.nextHop, iface: -1, origin: 'bgp' });
      this.globalBgp.set(key, { distance: r.ebgp ? EBGP_DISTANCE : IBGP_DISTANCE, since: keep.get(key)?.since ?? now });
    }
  }

  // ---- configuration ----------------------------------------------------------------------

  /** Before interfaces are programmed: VRF tables and their interfaces, so connected routes land in the right table. */
  syncVrfs(): void {
    const cfg = this.host.config();
    for (const name of [...this.vrfs.keys()]) {
      if (cfg.vrfs.has(name)) continue;
      const t = this.vrfs.get(name)!;
      this.vrfByLabel.delete(t.label);
      this.vrfs.delete(name);
    }
    for (const name of cfg.vrfs.keys()) {
      if (this.vrfs.has(name)) continue;
      const t = new VrfTable(name, this.labels.allocate());
      this.vrfs.set(name, t);
      this.vrfByLabel.set(t.label, t);
    }
    this.vrfByIf.clear();
    for (const ifc of this.host.interfaces) {
      const v = cfg.interfaceVrf.get(ifc.name);
      const t = v === undefined ? undefined : this.vrfs.get(v);
      if (t !== undefined) this.vrfByIf.set(ifc.index, t);
    }
  }

  /** After interfaces are programmed: MPLS hellos, BGP. */
  configure(): void {
    const cfg = this.host.config();
    for (const ifc of this.host.interfaces) {
      const mac = groupMac(ALL_ROUTERS_GROUP);
      const want = cfg.mplsInterfaces.has(ifc.name);
      if (want && !this.helloMacs.has(ifc.index)) {
        this.helloMacs.add(ifc.index);
        ifc.multicastMacs.set(mac, (ifc.multicastMacs.get(mac) ?? 0) + 1);
      } else if (!want && this.helloMacs.has(ifc.index)) {
        this.helloMacs.delete(ifc.index);
        const n = (ifc.multicastMacs.get(mac) ?? 1) - 1;
        if (n <= 0) ifc.multicastMacs.delete(mac);
        else ifc.multicastMacs.set(mac, n);
      }
    }
    this.bgp.configure();
    if (this.started) this.startWhatIsConfigured();
  }

  start(): void {
    this.started = true;
    this.startWhatIsConfigured();
  }

  /** Timers run only on routers that use them, so other labs' runs are unchanged. */
  private startWhatIsConfigured(): void {
    const cfg = this.host.config();
    if (!this.ldpRunning && cfg.mplsInterfaces.size > 0) {
      this.ldpRunning = true;
      this.labels.start();
    }
    if (!this.bgpRunning && cfg.bgp !== null) {
      this.bgpRunning = true;
      this.bgp.start();
    }
  }

  /** Link state changed: reset eBGP sessions whose network went, and re-run best path for next hops. */
  interfacesChanged(): void {
    if (this.host.config().bgp === null) return;
    this.bgp.interfacesChanged();
    this.bgp.decide();
  }

  isHelloGroup(group: number, ifc: IpInterface | undefined): boolean {
    return group === ALL_ROUTERS_GROUP && ifc !== undefined && this.mplsEnabled(ifc);
  }

  /** UDP 646, for the hellos. */
  udpBinding(bind: (port: number, h: (data: unknown, src: number) => void) => void): void {
    if (this.udpBound) return;
    this.udpBound = true;
    bind(LDP_PORT, (data, src) => {
      if (isLdpHello(data)) this.labels.receiveHello(src, data);
    });
  }

  private sendHello(ifc: IpInterface, hello: LdpHello): void {
    const src = ifc.addrs.find((a) => a.state === 'preferred')?.ip ?? 0;
    const dataLength = 6 + 8 * hello.bindings.length;
    const pkt: Ipv4Packet = {
      kind: 'ipv4', src, dst: ALL_ROUTERS_GROUP, ttl: 1, protocol: IPPROTO_UDP, ident: 0, dscp: 48, totalLength: 28 + dataLength,
      payload: { kind: 'udp', srcPort: LDP_PORT, dstPort: LDP_PORT, dataLength, data: hello },
    };
    this.host.sendFrame(ifc, groupMac(ALL_ROUTERS_GROUP), ETHERTYPE_IPV4, pkt, Math.max(64, 18 + pkt.totalLength) + (ifc.vlan !== 0 ? 4 : 0));
  }

  // ---- forwarding -------------------------------------------------------------------------

  /**
   * A datagram to forward in a VRF (from a CE, or popped off its VPN label): connected networks
   * out of their interface, a CE-learned route to the CE, a remote PE's route under two labels.
   */
  forward(vrf: VrfTable, pkt: Ipv4Packet): void {
    const up = (i: number): boolean => this.host.interfaces[i]?.up ?? false;
    const hit = vrf.lookup(pkt.dst, up);
    if (hit === null) return;
    if (hit.kind === 'connected') {
      this.host.outputVia(pkt, vrf.connected);
      return;
    }
    const paths = hit.route.paths;
    const p = paths[paths.length === 1 ? 0 : flowPath(pkt.src, pkt.dst, paths.length)]!;
    if (p.label !== null) {
      this.labels.push(p.nextHop, p.label, pkt);
      return;
    }
    const via = vrf.lookup(p.nextHop, up);
    if (via === null || via.kind !== 'connected') return;
    const ifc = this.host.interfaces[via.route.iface]!;
    const mac = this.host.neighbourMac(ifc, p.nextHop);
    if (mac >= 0) this.host.sendFrame(ifc, mac, ETHERTYPE_IPV4, pkt, Math.max(64, 18 + pkt.totalLength) + (ifc.vlan !== 0 ? 4 : 0));
  }
}
