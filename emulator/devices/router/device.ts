/**
 * A router in a running network: the engine's IPv4 stack with forwarding on, programmed from an
 * IOS-like running configuration, with a console that speaks that dialect.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import { prefixMask } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import type { Port } from '../../core/port.ts';
import { groupMac } from '../../l2/igmp-snooping.ts';
import type { Frame } from '../../core/frame.ts';
import type { Ipv4Packet, MplsPacket } from '../../core/packets.ts';
import { IpHost, type IpInterface } from '../../l3/ip-host.ts';
import type { RouteTable } from '../../l3/route-table.ts';
import { MsdpSpeaker } from '../../l3/msdp.ts';
import { PimSparseMode } from '../../l3/pim.ts';
import type { RipSpeaker } from '../../l3/rip.ts';
import type { Settings } from '../kind.ts';
import { RouterConsole } from './console.ts';
import { isLoopback, isSubinterface, maskLength, parentOf, RouterConfig, type StaticRoute } from './config.ts';
import { routerDialect, type ModeData, type RouterState, type RouterTerminal } from './grammar.ts';
import { ROUTER_MAX_PORTS, routerPortNames } from './info.ts';
import { createRouterRip, programRouterRip } from './rip-device.ts';
import { VpnPlane } from './vpn-plane.ts';

/** Cisco OUI 00:1E:F7 with the rest from the device name, so every router differs, run after run; each port takes the next address. */
export function routerBaseMac(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 0x001ef7000000 + (h % 0xfffff) * 0x10;
}

/** IOS sources its own ICMP (echo, errors) with TTL 255. */
export const IOS_TTL = 255;

function hostnameFor(name: string, settings: Settings | undefined): string {
  const h = settings?.['hostname'];
  return typeof h === 'string' && h !== '' ? h : name;
}

export class Router extends IpHost implements ConsoleCapable {
  readonly state: RouterState;
  readonly configIssues: readonly ConfigIssue[];
  readonly pim: PimSparseMode;
  readonly msdp: MsdpSpeaker;
  readonly rip: RipSpeaker;
  /** VRFs, BGP and label switching. */
  readonly vpn: VpnPlane;

  constructor(net: Network, name: string, settings: Settings = {}, startupConfig?: string) {
    super(net, name);
    this.pim = new PimSparseMode({
      net,
      name,
      random: net.random.forId(`${name}/pim`),
      interfaces: this.interfaces,
      routes: this.routes,
      isLocal: (ip) => this.isLocal(ip),
      transmitMulticast: (ifc, pkt) => this.transmitIp(ifc, pkt, groupMac(pkt.dst)),
      sendIp: (dst, protocol, payload, src) => this.sendIp(dst, protocol, payload, src),
    });
    this.msdp = new MsdpSpeaker({
      net,
      name,
      tcp: () => this.tcp,
      now: () => net.now,
      isLocal: (ip) => this.isLocal(ip),
      addressOf: (ifName) => this.addressOf(ifName),
      sourceAddressFor: (peer) => this.sourceAddressFor(peer),
      nextHopToward: (ip) => this.routes.lookup(ip)?.nextHop ?? 0,
      originatorAddress: () => {
        const id = this.state.config.msdpOriginatorId;
        if (id !== null) return this.addressOf(id);
        return this.pim.iAmRp() ? (this.pim.rpAddress ?? 0) : 0;
      },
      localSources: () => this.pim.localSources(),
      sourceLearned: (source, group) => this.pim.remoteSourceActive(source, group),
    });
    this.pim.discovery = {
      localSourceActive: (source, group) => this.msdp.localSourceActive(source, group),
      remoteSources: (group) => this.msdp.remoteSources(group),
    };
    this.pim.tickHooks.push(() => this.msdp.tick());
    this.multicastRouting = this.pim;
    this.rip = createRouterRip(this, net, name, this.routes, { transmit: (ifc, pkt) => this.transmitIp(ifc, pkt, groupMac(pkt.dst)) });
    this.forwarding = true;
    // IOS announces its address with one gratuitous ARP and uses it at once: no Windows-style detection.
    this.arpRetryCount = 0;
    this.defaultTtl = IOS_TTL;
    this.vpn = new VpnPlane({
      net,
      name,
      interfaces: this.interfaces,
      loopbacks: this.loopbacks,
      routes: this.routes,
      config: () => this.state.config.vpn,
      tcp: () => this.tcp,
      addressOf: (n) => this.addressOf(n),
      sourceAddressFor: (dst) => this.sourceAddressFor(dst),
      neighbourMac: (ifc, nh) => this.neighbourMac(ifc, nh),
      sendFrame: (ifc, mac, etherType, payload, size) => this.sendFrame(ifc, mac, etherType, payload, size),
      outputVia: (pkt, table) => this.output(pkt, false, table),
    });
    this.vpn.udpBinding((port, h) => this.bindUdp(port, (d, src) => h(d.data, src)));
    const ports = routerPortNames(settings);
    const base = routerBaseMac(name);
    ports.forEach((p, i) => this.addInterface(p, base + i, 1e9));
    this.state = { config: new RouterConfig(hostnameFor(name, settings), ports), router: this, startup: null };
    this.program();
    this.configIssues = startupConfig ? this.newEngine({ ping: null }).applyConfig(startupConfig) : [];
    this.state.startup = this.state.config.render();
  }

  /** The address configured on an interface (a loopback's included), or 0. */
  addressOf(ifName: string): number {
    return this.state.config.interfaces.get(ifName)?.address?.ip ?? 0;
  }

  /** Make the stack match the running configuration: admin states, subinterfaces, addresses, routes, multicast. */
  program(): void {
    const cfg = this.state.config;
    this.vpn.syncVrfs();
    this.programLoopbacks();
    for (const c of cfg.ordered()) {
      if (isLoopback(c.name)) continue;
      let ifc = this.interfaces.find((i) => i.name === c.name);
      if (isSubinterface(c.name)) {
        if (c.dot1q === null) continue;
        if (ifc === undefined) ifc = this.addSubinterface(c.name, parentOf(c.name), c.dot1q);
        this.setInterfaceEnabled(c.name, !c.shutdown);
      } else if (ifc !== undefined) ifc.port.setAdmin(!c.shutdown);
      if (ifc === undefined) continue;
      this.setAddress(ifc.name, c.address);
    }
    // Subinterfaces removed with `no interface` stop carrying traffic.
    for (const ifc of this.interfaces) {
      if (ifc.vlan === 0 || cfg.interfaces.has(ifc.name)) continue;
      this.setInterfaceEnabled(ifc.name, false);
      this.setAddress(ifc.name, null);
    }
    this.installStatics();
    this.pim.rpAddress = cfg.pimRp;
    this.pim.configure(cfg.multicastRouting, new Set(cfg.ordered().filter((c) => c.pimSparse).map((c) => c.name)));
    this.msdp.configure(cfg.multicastRouting ? cfg.msdpPeers : []);
    programRouterRip(this);
    this.vpn.configure();
  }

  /** Loopback addresses are the host's /32 local addresses; a shut or removed loopback's goes. */
  private programLoopbacks(): void {
    const want = new Set<number>();
    for (const c of this.state.config.interfaces.values()) if (isLoopback(c.name) && !c.shutdown && c.address !== null) want.add(c.address.ip);
    for (const ip of [...this.loopbacks]) {
      if (want.has(ip)) continue;
      this.loopbacks.splice(this.loopbacks.indexOf(ip), 1);
      this.routes.remove(ip, 32, 'local');
    }
    for (const ip of want) this.addLoopback(ip);
  }

  /**
   * Static routes as IOS installs them: only while the next hop is on a connected network whose
   * interface is up, and per prefix the lowest distance wins, so a floating route takes over
   * when the preferred one's interface goes down.
   */
  private installStatics(): void {
    this.routes.removeWhere((r) => r.origin === 'static');
    const best = new Map<string, StaticRoute>();
    for (const r of this.state.config.routes) {
      if (!this.nextHopUsable(r.nextHop)) continue;
      const key = `${r.prefix}/${r.mask}`;
      const have = best.get(key);
      if (have === undefined || r.distance < have.distance) best.set(key, r);
    }
    for (const r of best.values()) this.addRoute(r.prefix, maskLength(r.mask) ?? 0, r.nextHop);
  }

  private nextHopUsable(nh: number): boolean {
    for (const ifc of this.interfaces) {
      if (!ifc.up) continue;
      for (const a of ifc.addrs) if (a.prefix < 32 && ((a.ip ^ nh) & prefixMask(a.prefix)) === 0) return true;
    }
    return false;
  }

  override start(): void {
    this.installStatics();
    super.start();
    this.pim.start();
    this.msdp.start();
    this.rip.start();
    this.vpn.start();
  }

  override portAttached(port: Port): void {
    super.portAttached(port);
    this.installStatics();
  }

  override portStateChanged(port: Port, up: boolean): void {
    super.portStateChanged(port, up);
    this.installStatics();
    this.rip.interfacesChanged();
    this.vpn.interfacesChanged();
  }

  // ---- hooks of the IPv4 stack for the VPN plane ------------------------------------------

  protected override receiveMpls(ifc: IpInterface, p: MplsPacket): void {
    this.vpn.labels.receive(ifc, p);
  }

  protected override forwardElsewhere(ifc: IpInterface, pkt: Ipv4Packet): boolean {
    const vrf = this.vpn.vrfOf(ifc);
    if (vrf === null) return false;
    this.vpn.forward(vrf, pkt);
    return true;
  }

  protected override tableForSource(src: number): RouteTable {
    return this.vpn.tableForSource(src) ?? this.routes;
  }

  protected override connectedTable(ifc: IpInterface): RouteTable {
    return this.vpn.vrfOf(ifc)?.connected ?? this.routes;
  }

  override isGroupMember(group: number, ifc?: IpInterface): boolean {
    return this.vpn.isHelloGroup(group, ifc) || super.isGroupMember(group, ifc);
  }

  private sendFrame(ifc: IpInterface, dstMac: number, etherType: number, payload: MplsPacket | Ipv4Packet, size: number): void {
    if (!ifc.up) return;
    const f: Frame = this.net.pool.alloc();
    f.dst = dstMac;
    f.src = ifc.mac;
    f.vlan = ifc.vlan;
    f.pcp = 0;
    f.etherType = etherType;
    f.size = size;
    f.payload = payload;
    f.tag = 0;
    this.toNic(ifc, f);
  }

  /** The interface a name denotes, for the multicast views. */
  interfaceAt(index: number): IpInterface | undefined {
    return this.interfaces[index];
  }

  private setAddress(name: string, want: { ip: number; mask: number } | null): void {
    const ifc = this.iface(name);
    const len = want === null ? null : maskLength(want.mask);
    const have = ifc.addrs[0];
    if (have !== undefined && (want === null || have.ip !== want.ip || have.prefix !== len)) this.removeAddress(name, have.ip);
    if (want !== null && len !== null && (have === undefined || have.ip !== want.ip || have.prefix !== len)) this.addAddress(name, want.ip, len);
  }

  private newEngine(term: RouterTerminal): CliEngine<ModeData> {
    return new CliEngine<ModeData>(routerDialect(this.state, term));
  }

  openConsole(): CliSession {
    const term: RouterTerminal = { ping: null };
    return new RouterConsole(this.newEngine(term), term);
  }
}

/** Checks a startup configuration the way the router would load it, without building a network. */
export function checkRouterConfig(_kind: string, text: string, name = 'Router'): ConfigIssue[] {
  const st: RouterState = { config: new RouterConfig(name, routerPortNames({ ports: ROUTER_MAX_PORTS })), router: null, startup: null };
  return new CliEngine<ModeData>(routerDialect(st, { ping: null })).applyConfig(text);
}
