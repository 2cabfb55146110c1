import type { Frame } from '../core/frame.ts';
import { formatIpv4, prefixMask } from '../core/ipv4.ts';
import { formatMac } from '../core/mac.ts';
import type { Network } from '../core/network.ts';
import { NetworkNode } from '../core/node.ts';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  IPPROTO_ICMP,
  IPPROTO_IGMP,
  IPPROTO_PIM,
  IPPROTO_TCP,
  IPPROTO_UDP,
  type ArpPacket,
  type IcmpMessage,
  type Ipv4Packet,
  type MplsPacket,
  type PimMessage,
  type UdpDatagram,
} from '../core/packets.ts';
import type { Port } from '../core/port.ts';
import type { EventHandler } from '../core/scheduler.ts';
import { MS, SECOND } from '../core/time.ts';
import { groupMac } from '../l2/igmp-snooping.ts';
import { ARP_PENDING_LIMIT, ARP_REQUEST_ATTEMPTS, ARP_REQUEST_INTERVAL_NS, ArpCache, type ArpEntryView } from './arp-cache.ts';
import { ALL_SYSTEMS_GROUP, IgmpHost, isJoinableGroup, isMulticastIp } from './igmp-host.ts';
import { PingFlow, type PingOptions } from './ping.ts';
import { RouteTable, type Route } from './route-table.ts';
import { TcpStack } from './tcp.ts';
import { pimLength } from '../wire/pim.ts';

const BROADCAST_MAC = 0xffffffffffff;
const LIMITED_BROADCAST = 0xffffffff;
const ALL_SYSTEMS_MAC = groupMac(ALL_SYSTEMS_GROUP);
/** Windows' default IPv4 TTL. */
export const DEFAULT_TTL = 128;
/** Windows ArpRetryCount default: gratuitous ARPs sent for a new address (DOMAIN.md §1.6, TechNet cc957526). */
export const DEFAULT_ARP_RETRY_COUNT = 3;
/** Spacing of those duplicate-detection ARPs; the address is usable once the last one went unanswered this long. */
export const DAD_INTERVAL_NS = 1 * SECOND;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const UNREACH_NET = 0;
export const UNREACH_HOST = 1;
export const UNREACH_PORT = 3;

export type AddressState = 'tentative' | 'preferred' | 'duplicate';

export interface IfAddress {
  ip: number;
  prefix: number;
  state: AddressState;
  probesSent: number;
}

/** What a driver layered between the NIC and TCP/IP decides about a received frame. */
export type ShimVerdict = 'consume' | 'pass' | 'accept';

/**
 * A driver between one interface's NIC and TCP/IP (an NDIS intermediate driver such as Windows
 * NLB). It sees every frame in both directions and may rewrite or keep it.
 */
export interface InterfaceShim {
  /**
   * A frame arrived from the NIC. 'consume': the shim keeps it (and releases it); 'pass': TCP/IP
   * applies its usual destination-MAC filter; 'accept': TCP/IP takes it whatever its destination.
   */
  receive(ifc: IpInterface, f: Frame): ShimVerdict;
  /** A frame TCP/IP built is about to reach the NIC; the shim may rewrite it. False: the shim kept it. */
  transmit(ifc: IpInterface, f: Frame): boolean;
  /** The hardware address ARP advertises for one of this interface's addresses. */
  arpAddressFor(ifc: IpInterface, ip: number): number;
}

/** A multicast routing process (PIM on a router): what the IPv4 stack hands it. */
export interface MulticastRouting {
  /** A multicast datagram arrived on `ifc`; the host has already delivered it where it joined the group. */
  receiveMulticast(ifc: IpInterface, pkt: Ipv4Packet): void;
  /** A PIM message unicast to one of this host's addresses (Register, Register-Stop). */
  receivePimUnicast(pkt: Ipv4Packet, msg: PimMessage): void;
}

/** 01:00:5e:00:00:00-01:00:5e:7f:ff:ff, where IPv4 groups map (RFC 1112 §6.4). */
function isIpv4GroupMac(mac: number): boolean {
  return Math.floor(mac / 0x1000000) === 0x01005e;
}

export class IpInterface {
  readonly addrs: IfAddress[] = [];
  readonly arp = new ArpCache();
  /** Driver between the NIC and TCP/IP, if any. */
  shim: InterfaceShim | null = null;
  /** Group MACs the NIC's multicast filter lets in for joined groups, with how many groups share each. */
  readonly multicastMacs = new Map<number, number>();
  /** The NIC takes every IPv4 group's frames (a multicast router's interface), not only the joined ones. */
  allMulticast = false;
  /** Administratively enabled (a router's `no shutdown` on a subinterface); the port keeps its own admin state. */
  enabled = true;
  /** Packets and octets this interface took in and sent, as a router's per-interface counters report them. */
  readonly counters = { inPackets: 0, inOctets: 0, outPackets: 0, outOctets: 0 };
  constructor(
    readonly index: number,
    readonly name: string,
    readonly port: Port,
    /** The adapter's current address; a driver may replace it (NLB unicast mode). */
    public mac: number,
    /** 802.1Q VLAN this interface sends and receives tagged on its port; 0: untagged. */
    readonly vlan = 0,
  ) {}

  /** Usable: enabled, with carrier on its port. */
  get up(): boolean {
    return this.enabled && this.port.operUp;
  }

  /** The hardware address ARP advertises for `ip` on this interface. */
  arpAddressFor(ip: number): number {
    return this.shim === null ? this.mac : this.shim.arpAddressFor(this, ip);
  }

  /** The NIC's receive filter: its own address, broadcast, all-systems and the joined groups' MACs. */
  takes(dst: number): boolean {
    return dst === this.mac || dst === BROADCAST_MAC || dst === ALL_SYSTEMS_MAC || this.multicastMacs.has(dst) || (this.allMulticast && isIpv4GroupMac(dst));
  }
}

export type UdpHandler = (dgram: UdpDatagram, srcIp: number, dstIp: number) => void;

type Timer =
  | { kind: 'dad'; iface: number; ip: number }
  | { kind: 'arp'; iface: number; ip: number }
  | { kind: 'ping'; flow: number }
  | { kind: 'ping-timeout'; flow: number; seq: number };

/**
 * An IPv4 end system (optionally forwarding, as a simple router): interfaces with ARP caches,
 * duplicate-address detection, /32 loopbacks, static routes with longest-prefix match, ICMP echo
 * and errors, minimal UDP, and `ping -t`-style probe flows.
 */
export class IpHost extends NetworkNode implements EventHandler {
  readonly handlerId: number;
  readonly interfaces: IpInterface[] = [];
  readonly loopbacks: number[] = [];
  readonly routes = new RouteTable();
  readonly pings: PingFlow[] = [];
  /** Route packets not addressed to this host (a router); end hosts drop them. */
  forwarding = false;
  /** Routes multicast between interfaces when set (a router with `ip multicast-routing`); hosts never do. */
  multicastRouting: MulticastRouting | null = null;
  /** Gratuitous ARPs for duplicate detection; 0 disables detection (the address is usable at once). */
  arpRetryCount = DEFAULT_ARP_RETRY_COUNT;
  defaultTtl = DEFAULT_TTL;
  private ifByPort: (IpInterface | null)[] = [];
  /** Tagged (802.1Q subinterface) interfaces by port index and VLAN. */
  private ifByTag = new Map<number, IpInterface>();
  private udp = new Map<number, UdpHandler[]>();
  private igmpHost: IgmpHost | null = null;
  private tcpStack: TcpStack | null = null;
  private timers: (Timer | null)[] = [];
  private freeTimers: number[] = [];
  private ident = 0;
  private running = false;

  constructor(net: Network, name: string) {
    super(net, name);
    this.handlerId = net.sched.register(this);
  }

  // ---- configuration ----------------------------------------------------------------------

  addInterface(name: string, mac: number, speedBps: number): IpInterface {
    const port = this.addPort(name, speedBps);
    port.mac = mac;
    const ifc = new IpInterface(this.interfaces.length, name, port, mac);
    this.interfaces.push(ifc);
    this.ifByPort[port.index] = ifc;
    return ifc;
  }

  /** An 802.1Q subinterface on another interface's port: frames in VLAN `vlan` there are its own. */
  addSubinterface(name: string, parentName: string, vlan: number): IpInterface {
    const parent = this.iface(parentName);
    const key = parent.port.index * 4096 + vlan;
    if (vlan < 1 || vlan > 4094 || this.ifByTag.has(key)) throw new Error(`${this.name}: VLAN ${vlan} is not free on ${parentName}`);
    const ifc = new IpInterface(this.interfaces.length, name, parent.port, parent.mac, vlan);
    this.interfaces.push(ifc);
    this.ifByTag.set(key, ifc);
    return ifc;
  }

  /** Enable or disable one interface (`shutdown` on a subinterface); enabling announces its addresses as link-up does. */
  setInterfaceEnabled(name: string, on: boolean): void {
    const ifc = this.iface(name);
    if (ifc.enabled === on) return;
    ifc.enabled = on;
    if (on && this.running && ifc.port.operUp) this.interfaceUp(ifc);
  }

  iface(name: string): IpInterface {
    const ifc = this.interfaces.find((i) => i.name.toLowerCase() === name.toLowerCase());
    if (!ifc) throw new Error(`${this.name} has no interface ${name}`);
    return ifc;
  }

  /** Add an address; duplicate detection runs when the interface has carrier. */
  addAddress(ifName: string, ip: number, prefix: number): void {
    const ifc = this.iface(ifName);
    const addr: IfAddress = { ip, prefix, state: 'tentative', probesSent: 0 };
    ifc.addrs.push(addr);
    if (this.running) this.beginDad(ifc, addr);
  }

  removeAddress(ifName: string, ip: number): void {
    const ifc = this.iface(ifName);
    const i = ifc.addrs.findIndex((a) => a.ip === ip);
    if (i < 0) return;
    const a = ifc.addrs[i];
    ifc.addrs.splice(i, 1);
    const gone = (r: Route): boolean => r.origin === 'connected' && r.iface === ifc.index && r.prefix === ((a.ip & prefixMask(a.prefix)) >>> 0);
    this.routes.removeWhere(gone);
    this.connectedTable(ifc).removeWhere(gone);
  }

  addLoopback(ip: number): void {
    if (!this.loopbacks.includes(ip)) this.loopbacks.push(ip);
    this.routes.add({ prefix: ip, length: 32, nextHop: 0, iface: -1, origin: 'local' });
  }

  addRoute(prefix: number, length: number, nextHop: number): void {
    this.routes.add({ prefix, length, nextHop, iface: -1, origin: 'static' });
  }

  setGateway(ip: number): void {
    this.addRoute(0, 0, ip);
  }

  addStaticArp(ifName: string, ip: number, mac: number): void {
    this.iface(ifName).arp.setStatic(ip, mac);
  }

  /** Listen on a UDP port; several listeners on one port each get every datagram (SO_REUSEADDR). */
  bindUdp(port: number, handler: UdpHandler): void {
    const list = this.udp.get(port);
    if (list === undefined) this.udp.set(port, [handler]);
    else if (!list.includes(handler)) list.push(handler);
  }

  unbindUdp(port: number, handler: UdpHandler): void {
    const list = this.udp.get(port);
    if (list === undefined) return;
    const i = list.indexOf(handler);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.udp.delete(port);
  }

  // ---- multicast groups -------------------------------------------------------------------

  /** The group protocol, created with the first join so hosts that never join cost nothing. */
  private get igmp(): IgmpHost {
    if (this.igmpHost === null) {
      this.igmpHost = new IgmpHost({
        net: this.net,
        name: this.name,
        // A stream of its own, so joining a group does not shift other draws of this device.
        random: this.net.random.forId(`${this.name}/igmp`),
        sendMulticast: (ifc, pkt) => this.transmitIp(this.interfaces[ifc.index], pkt, groupMac(pkt.dst)),
        groupMac,
      });
    }
    return this.igmpHost;
  }

  /** An application joins `group` on an interface (default: the first), as IP_ADD_MEMBERSHIP does. */
  joinGroup(group: number, ifName?: string): void {
    if (!isJoinableGroup(group)) throw new Error(`${formatIpv4(group)} is not a multicast group a host can join`);
    const ifc = ifName === undefined ? this.interfaces[0] : this.iface(ifName);
    if (ifc === undefined) throw new Error(`${this.name} has no interface to join ${formatIpv4(group)} on`);
    this.igmp.join(ifc, group, this.running);
  }

  leaveGroup(group: number, ifName?: string): void {
    if (this.igmpHost === null) return;
    const ifc = ifName === undefined ? this.interfaces[0] : this.iface(ifName);
    if (ifc !== undefined) this.igmpHost.leave(ifc, group);
  }

  /** Groups joined, with the interface each is joined on. */
  joinedGroups(): { iface: string; group: number }[] {
    return this.igmpHost === null ? [] : this.igmpHost.groups();
  }

  isGroupMember(group: number, ifc?: IpInterface): boolean {
    if (this.igmpHost === null) return false;
    if (ifc !== undefined) return this.igmpHost.isMember(ifc, group);
    return this.interfaces.some((i) => this.igmpHost?.isMember(i, group) === true);
  }

  get igmpCounters(): IgmpHost['counters'] | null {
    return this.igmpHost === null ? null : this.igmpHost.counters;
  }

  /** The host's TCP, created on first use so hosts that never see TCP cost nothing. */
  get tcp(): TcpStack {
    if (this.tcpStack === null) this.tcpStack = new TcpStack(this);
    return this.tcpStack;
  }

  // ---- views ------------------------------------------------------------------------------

  arpTable(ifName?: string): (ArpEntryView & { iface: string })[] {
    const now = this.net.sched.now;
    return this.interfaces
      .filter((i) => ifName === undefined || i.name === ifName)
      .flatMap((i) => i.arp.view(now).map((e) => ({ ...e, iface: i.name })));
  }

  routeList(): readonly Route[] {
    return this.routes.list();
  }

  /** True when `ip` is one of this host's usable addresses. */
  isLocal(ip: number): boolean {
    if (this.loopbacks.includes(ip)) return true;
    for (const i of this.interfaces) for (const a of i.addrs) if (a.ip === ip && a.state === 'preferred') return true;
    return false;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  override start(): void {
    this.running = true;
    for (const ifc of this.interfaces) if (ifc.up) for (const a of ifc.addrs) this.beginDad(ifc, a);
    this.igmpHost?.announceAll();
  }

  override portStateChanged(port: Port, up: boolean): void {
    if (!this.running || !up) return;
    // The port's untagged interface and every subinterface on it come up together.
    for (const ifc of this.interfaces) if (ifc.port === port && ifc.enabled) this.interfaceUp(ifc);
  }

  private interfaceUp(ifc: IpInterface): void {
    for (const a of ifc.addrs) {
      if (a.state === 'tentative' && a.probesSent === 0) this.beginDad(ifc, a);
      else if (a.state === 'preferred') this.sendArp(ifc, 1, a.ip, 0, a.ip, BROADCAST_MAC); // gratuitous ARP on link up
    }
  }

  private beginDad(ifc: IpInterface, a: IfAddress): void {
    if (!ifc.up) return;
    if (this.arpRetryCount === 0) {
      this.makePreferred(ifc, a);
      return;
    }
    a.state = 'tentative';
    a.probesSent = 0;
    this.dadStep(ifc, a);
  }

  private dadStep(ifc: IpInterface, a: IfAddress): void {
    if (a.state !== 'tentative') return;
    if (a.probesSent >= this.arpRetryCount) {
      this.makePreferred(ifc, a);
      return;
    }
    a.probesSent++;
    // A gratuitous ARP: who-has our own address, from our own address.
    this.sendArp(ifc, 1, a.ip, 0, a.ip, BROADCAST_MAC);
    this.setTimer(DAD_INTERVAL_NS, { kind: 'dad', iface: ifc.index, ip: a.ip });
  }

  private makePreferred(ifc: IpInterface, a: IfAddress): void {
    a.state = 'preferred';
    this.connectedTable(ifc).add({ prefix: a.ip, length: a.prefix, nextHop: 0, iface: ifc.index, origin: 'connected' });
    this.addressUsable(ifc, a);
  }

  /** An address passed duplicate detection: kinds that register names or announce it hook here. */
  protected addressUsable(_ifc: IpInterface, _a: IfAddress): void {}

  // ---- timers -----------------------------------------------------------------------------

  private setTimer(delayNs: number, t: Timer): number {
    const id = this.freeTimers.length > 0 ? (this.freeTimers.pop() as number) : this.timers.length;
    this.timers[id] = t;
    this.net.sched.schedule(delayNs, this.handlerId, id, null);
    return id;
  }

  onEvent(code: number): void {
    const t = this.timers[code];
    this.timers[code] = null;
    this.freeTimers.push(code);
    if (t === null || t === undefined) return;
    switch (t.kind) {
      case 'dad': {
        const ifc = this.interfaces[t.iface];
        const a = ifc.addrs.find((x) => x.ip === t.ip);
        if (a) this.dadStep(ifc, a);
        break;
      }
      case 'arp':
        this.arpRetry(this.interfaces[t.iface], t.ip);
        break;
      case 'ping':
        this.pingTick(this.pings[t.flow]);
        break;
      case 'ping-timeout': {
        const p = this.pings[t.flow].probes[t.seq];
        if (p.result === 'pending') p.result = 'timeout';
        break;
      }
    }
  }

  // ---- receive ----------------------------------------------------------------------------

  receive(port: Port, f: Frame): void {
    // A tagged frame belongs to the subinterface of its VLAN; one without is dropped.
    const ifc = f.vlan === 0 ? this.ifByPort[port.index] : this.ifByTag.get(port.index * 4096 + f.vlan);
    const verdict = ifc === null || ifc === undefined || ifc.shim === null ? 'pass' : ifc.shim.receive(ifc, f);
    if (verdict === 'consume') return;
    const p = f.payload;
    if (ifc === null || ifc === undefined || !ifc.enabled || (verdict === 'pass' && !ifc.takes(f.dst)) || p === null) {
      this.net.pool.release(f);
      return;
    }
    ifc.counters.inPackets++;
    ifc.counters.inOctets += f.size;
    this.net.pool.release(f);
    if (p.kind === 'arp') this.receiveArp(ifc, p);
    else if (p.kind === 'ipv4') this.receiveIp(ifc, p);
    else if (p.kind === 'mpls') this.receiveMpls(ifc, p);
  }

  // ---- hooks for a router's VRFs and label switching ----------------------------------------

  /** A labelled packet arrived; hosts do not switch labels. */
  protected receiveMpls(_ifc: IpInterface, _p: MplsPacket): void {}

  /** A datagram to forward (TTL already lowered); true when the router took it elsewhere (a VRF, a label push). */
  protected forwardElsewhere(_ifc: IpInterface, _pkt: Ipv4Packet): boolean {
    return false;
  }

  /** The routing table a datagram this host originates from `src` is routed by: a VRF's for a VRF interface's address. */
  protected tableForSource(_src: number): RouteTable {
    return this.routes;
  }

  /** Where an interface's connected network goes: the global table, or its VRF's. */
  protected connectedTable(_ifc: IpInterface): RouteTable {
    return this.routes;
  }

  /**
   * The MAC of `nextHop` on `ifc` when known; otherwise resolution starts and the answer is -1, so
   * the caller drops the packet as a glean adjacency does until ARP has answered.
   */
  protected neighbourMac(ifc: IpInterface, nextHop: number): number {
    const now = this.net.sched.now;
    const mac = ifc.arp.resolved(nextHop, now);
    if (mac >= 0) return mac;
    const e = ifc.arp.entries.get(nextHop);
    if (e === undefined || e.state !== 'incomplete') {
      ifc.arp.entries.set(nextHop, { ip: nextHop, mac: 0, state: 'incomplete', learnedNs: now, expiresNs: Infinity, referenced: false, attempts: 0, pending: [], timerToken: -1 });
      this.arpRetry(ifc, nextHop);
    }
    return -1;
  }

  private receiveArp(ifc: IpInterface, arp: ArpPacket): void {
    const now = this.net.sched.now;
    let forUs = false;
    for (const a of ifc.addrs) {
      if (arp.senderIp === a.ip && arp.senderMac !== ifc.arpAddressFor(a.ip) && arp.senderIp !== 0) this.conflict(ifc, a, arp.senderMac);
      if (arp.targetIp === a.ip && a.state === 'preferred') forUs = true;
    }
    // RFC 826 merge: refresh an existing entry; create one only when the ARP was for us.
    const known = ifc.arp.entries.has(arp.senderIp);
    if ((known || forUs) && arp.senderIp !== 0 && !this.ownsAddressOn(ifc, arp.senderIp)) {
      const e = ifc.arp.update(arp.senderIp, arp.senderMac, now);
      if (e.pending.length > 0) {
        const queued = e.pending;
        e.pending = [];
        this.net.sched.cancel(e.timerToken);
        for (const pkt of queued) this.transmitIp(ifc, pkt, e.mac);
      }
    }
    if (forUs && arp.op === 1) this.sendArp(ifc, 2, arp.targetIp, arp.senderMac, arp.senderIp, arp.senderMac);
  }

  private ownsAddressOn(ifc: IpInterface, ip: number): boolean {
    return ifc.addrs.some((a) => a.ip === ip);
  }

  /** Someone else uses one of our addresses. Kinds with their own reaction (Windows' warning) override this. */
  protected conflict(ifc: IpInterface, a: IfAddress, otherMac: number): void {
    const ip = formatIpv4(a.ip);
    const mac = formatMac(otherMac, '-').toUpperCase();
    if (a.state === 'tentative') {
      // Windows disables an address another host answered for during detection (Tcpip 4199 then 4198).
      a.state = 'duplicate';
      this.net.emit(
        'arp.duplicate',
        `${this.name}: The system detected an address conflict for IP address ${ip} with the system having network hardware address ${mac}. The local interface is being disabled.`,
        this.name,
        ifc.name,
      );
    } else if (a.state === 'preferred') {
      this.net.emit(
        'arp.duplicate',
        `${this.name}: The system detected an address conflict for IP address ${ip} with the system having network hardware address ${mac}. Network operations on this system may be disrupted as a result.`,
        this.name,
        ifc.name,
      );
    }
  }

  private receiveIp(ifc: IpInterface, pkt: Ipv4Packet): void {
    if (isMulticastIp(pkt.dst)) {
      // Delivered where a group was joined (everyone is in all-systems); routed only by a multicast routing process.
      if (pkt.dst === ALL_SYSTEMS_GROUP || this.isGroupMember(pkt.dst, ifc)) this.deliverLocal(pkt, ifc);
      this.multicastRouting?.receiveMulticast(ifc, pkt);
      return;
    }
    if (this.isLocal(pkt.dst) || pkt.dst === LIMITED_BROADCAST || this.isSubnetBroadcast(ifc, pkt.dst)) {
      this.deliverLocal(pkt);
      return;
    }
    if (!this.forwarding) return;
    if (pkt.ttl <= 1) {
      this.sendIcmpError(pkt, ICMP_TIME_EXCEEDED, 0);
      return;
    }
    const fwd = { ...pkt, ttl: pkt.ttl - 1 };
    if (!this.forwardElsewhere(ifc, fwd)) this.output(fwd, false);
  }

  private isSubnetBroadcast(ifc: IpInterface, ip: number): boolean {
    for (const a of ifc.addrs) {
      if (a.prefix >= 31) continue;
      const bcast = (a.ip | ~prefixMask(a.prefix)) >>> 0;
      if (ip === bcast) return true;
    }
    return false;
  }

  private deliverLocal(pkt: Ipv4Packet, ifc?: IpInterface): void {
    const p = pkt.payload;
    if (pkt.protocol === IPPROTO_ICMP && p.kind === 'icmp') this.receiveIcmp(pkt, p);
    else if (pkt.protocol === IPPROTO_IGMP && p.kind === 'igmp') {
      if (ifc !== undefined && this.igmpHost !== null) this.igmpHost.receive(ifc, pkt, p);
    } else if (pkt.protocol === IPPROTO_UDP && p.kind === 'udp') {
      const hs = this.udp.get(p.dstPort);
      if (hs !== undefined) for (const h of [...hs]) h(p, pkt.src, pkt.dst);
      else if (isMulticastIp(pkt.dst)) return;
      else if (pkt.dst !== LIMITED_BROADCAST && this.isLocal(pkt.dst)) this.sendIcmpError(pkt, ICMP_DEST_UNREACHABLE, UNREACH_PORT);
    } else if (pkt.protocol === IPPROTO_PIM && p.kind === 'pim') {
      if (!isMulticastIp(pkt.dst) && this.isLocal(pkt.dst)) this.multicastRouting?.receivePimUnicast(pkt, p);
    } else if (pkt.protocol === IPPROTO_TCP && p.kind === 'tcp') {
      // TCP is point to point: a segment to a group or broadcast address is never delivered.
      if (this.isLocal(pkt.dst)) this.tcp.receive(pkt, p);
    }
  }

  private receiveIcmp(pkt: Ipv4Packet, m: IcmpMessage): void {
    if (m.type === ICMP_ECHO_REQUEST) {
      if (!this.isLocal(pkt.dst)) return; // no replies to broadcast pings
      this.sendIp(pkt.src, IPPROTO_ICMP, { kind: 'icmp', type: ICMP_ECHO_REPLY, code: 0, ident: m.ident, seq: m.seq, dataLength: m.dataLength, quoted: null }, pkt.dst);
      return;
    }
    if (m.type === ICMP_ECHO_REPLY) {
      this.pingAnswered(m.ident, m.seq, 'reply', pkt.src, pkt.ttl);
      return;
    }
    if ((m.type === ICMP_DEST_UNREACHABLE || m.type === ICMP_TIME_EXCEEDED) && m.quoted !== null) {
      const q = m.quoted.payload;
      if (q.kind === 'icmp' && q.type === ICMP_ECHO_REQUEST) {
        this.pingAnswered(q.ident, q.seq, m.type === ICMP_TIME_EXCEEDED ? 'ttl-expired' : 'unreachable', pkt.src, pkt.ttl);
      }
    }
  }

  // ---- send -------------------------------------------------------------------------------

  /**
   * Originate a datagram. `src` defaults to the outgoing interface's address. False when it cannot
   * be sent at all: a unicast datagram needs a source address, and an address still in duplicate
   * detection (or found duplicate) is not one, so until the host has a usable address the send
   * fails at once, as a socket's send does, and nothing reaches the wire.
   */
  sendIp(dst: number, protocol: number, payload: Ipv4Packet['payload'], src?: number, ttl?: number): boolean {
    const from = src ?? this.sourceFor(dst);
    if (from === 0 && dst !== LIMITED_BROADCAST && !isMulticastIp(dst) && !this.isLocal(dst)) return false;
    const length = 20 + payloadLength(payload);
    const pkt: Ipv4Packet = {
      kind: 'ipv4',
      src: from,
      dst,
      ttl: ttl ?? this.defaultTtl,
      protocol,
      ident: (this.ident = (this.ident + 1) & 0xffff),
      dscp: 0,
      totalLength: length,
      payload,
    };
    this.output(pkt, true);
    return true;
  }

  /** Send a datagram; `src` and `ttl` as the socket sets them (IP_MULTICAST_TTL for a group). False as for sendIp. */
  sendUdp(dst: number, srcPort: number, dstPort: number, dataLength: number, data: unknown = null, opts: { src?: number; ttl?: number } = {}): boolean {
    return this.sendIp(dst, IPPROTO_UDP, { kind: 'udp', srcPort, dstPort, dataLength, data }, opts.src, opts.ttl);
  }

  /** The source address a socket gets for `dst`: the outgoing interface's address. */
  sourceAddressFor(dst: number): number {
    return this.sourceFor(dst);
  }

  private sourceFor(dst: number): number {
    const r = this.routes.lookup(dst);
    const ifc = r === null ? null : this.egressInterface(r, this.routes);
    if (ifc !== null) {
      const a = ifc.addrs.find((x) => x.state === 'preferred');
      if (a) return a.ip;
    }
    if (this.loopbacks.length > 0) return this.loopbacks[0];
    for (const i of this.interfaces) for (const a of i.addrs) if (a.state === 'preferred') return a.ip;
    return 0;
  }

  /** The interface a route leaves by: its own, or the one whose connected network holds the next hop. */
  private egressInterface(r: Route, table: RouteTable): IpInterface | null {
    if (r.origin === 'local') return null;
    if (r.iface >= 0) return this.interfaces[r.iface];
    const via = table.lookup(r.nextHop);
    if (via === null || via.origin !== 'connected') return null;
    return this.interfaces[via.iface];
  }

  /** Route a datagram by `table` (the global one, or a VRF's): local delivery, broadcast, multicast, or ARP and out. */
  protected output(pkt: Ipv4Packet, local: boolean, table: RouteTable = local ? this.tableForSource(pkt.src) : this.routes): void {
    if (this.isLocal(pkt.dst)) {
      this.deliverLocal(pkt);
      return;
    }
    if (pkt.dst === LIMITED_BROADCAST) {
      const ifc = this.interfaces.find((i) => i.up);
      if (ifc) this.transmitIp(ifc, pkt, BROADCAST_MAC);
      return;
    }
    if (isMulticastIp(pkt.dst)) {
      if (!local) return; // a host does not route multicast
      const ifc = this.multicastInterface(pkt.dst);
      if (ifc !== null && ifc.up) this.transmitIp(ifc, pkt, groupMac(pkt.dst));
      return;
    }
    const r = table.lookupFlow(pkt.dst, pkt.src);
    const ifc = r === null ? null : this.egressInterface(r, table);
    if (r === null || ifc === null) {
      this.unreachable(pkt, local, UNREACH_NET);
      return;
    }
    if (!ifc.up) return; // transmit failure: nothing leaves
    const nextHop = r.nextHop === 0 ? pkt.dst : r.nextHop;
    if (this.isSubnetBroadcast(ifc, nextHop)) {
      this.transmitIp(ifc, pkt, BROADCAST_MAC);
      return;
    }
    const now = this.net.sched.now;
    const mac = ifc.arp.resolved(nextHop, now);
    if (mac >= 0) {
      this.transmitIp(ifc, pkt, mac);
      return;
    }
    let e = ifc.arp.entries.get(nextHop);
    if (e === undefined || e.state !== 'incomplete') {
      e = { ip: nextHop, mac: 0, state: 'incomplete', learnedNs: now, expiresNs: Infinity, referenced: false, attempts: 0, pending: [], timerToken: -1 };
      ifc.arp.entries.set(nextHop, e);
      this.arpRetry(ifc, nextHop);
    }
    if (e.pending.length < ARP_PENDING_LIMIT) e.pending.push(pkt);
  }

  /**
   * Where a group's datagrams leave without IP_MULTICAST_IF: the interface the routing table
   * gives for the group (the default route's, usually), else the first one with an address.
   */
  private multicastInterface(group: number): IpInterface | null {
    const r = this.routes.lookup(group);
    const viaRoute = r === null ? null : this.egressInterface(r, this.routes);
    if (viaRoute !== null) return viaRoute;
    return this.interfaces.find((i) => i.addrs.some((a) => a.state === 'preferred')) ?? this.interfaces[0] ?? null;
  }

  /** Send (or resend) the request for an unresolved neighbour; give up after the last attempt. */
  private arpRetry(ifc: IpInterface, ip: number): void {
    const e = ifc.arp.entries.get(ip);
    if (e === undefined || e.state !== 'incomplete') return;
    if (e.attempts >= ARP_REQUEST_ATTEMPTS) {
      ifc.arp.entries.delete(ip);
      for (const pkt of e.pending) this.unreachable(pkt, this.isLocal(pkt.src), UNREACH_HOST);
      return;
    }
    e.attempts++;
    const a = ifc.addrs.find((x) => x.state === 'preferred');
    this.sendArp(ifc, 1, a ? a.ip : 0, 0, ip, BROADCAST_MAC);
    e.timerToken = this.setTimer(ARP_REQUEST_INTERVAL_NS, { kind: 'arp', iface: ifc.index, ip });
  }

  private unreachable(pkt: Ipv4Packet, local: boolean, code: number): void {
    if (local) {
      // reported to ourselves, as the stack tells the application
      const m: IcmpMessage = { kind: 'icmp', type: ICMP_DEST_UNREACHABLE, code, ident: 0, seq: 0, dataLength: 0, quoted: pkt };
      this.receiveIcmp({ ...pkt, src: pkt.src, dst: pkt.src, protocol: IPPROTO_ICMP, payload: m }, m);
    } else this.sendIcmpError(pkt, ICMP_DEST_UNREACHABLE, code);
  }

  private sendIcmpError(offending: Ipv4Packet, type: number, code: number): void {
    const p = offending.payload;
    if (p.kind === 'icmp' && p.type !== ICMP_ECHO_REQUEST && p.type !== ICMP_ECHO_REPLY) return; // never about an error
    this.sendIp(offending.src, IPPROTO_ICMP, { kind: 'icmp', type, code, ident: 0, seq: 0, dataLength: 28, quoted: offending });
  }

  protected transmitIp(ifc: IpInterface, pkt: Ipv4Packet, dstMac: number): void {
    const f = this.net.pool.alloc();
    f.dst = dstMac;
    f.src = ifc.mac;
    f.vlan = ifc.vlan;
    f.pcp = 0;
    f.etherType = ETHERTYPE_IPV4;
    f.size = Math.max(64, 18 + pkt.totalLength) + (ifc.vlan !== 0 ? 4 : 0);
    f.payload = pkt;
    f.tag = 0;
    this.toNic(ifc, f);
  }

  /** Hand a built frame to the interface's driver chain and NIC. */
  protected toNic(ifc: IpInterface, f: Frame): void {
    if (ifc.shim !== null && !ifc.shim.transmit(ifc, f)) return;
    ifc.counters.outPackets++;
    ifc.counters.outOctets += f.size;
    ifc.port.send(f);
  }

  private sendArp(ifc: IpInterface, op: number, senderIp: number, targetMac: number, targetIp: number, dstMac: number): void {
    if (!ifc.up) return;
    const f = this.net.pool.alloc();
    f.dst = dstMac;
    f.src = ifc.mac;
    f.vlan = ifc.vlan;
    f.pcp = 0;
    f.etherType = ETHERTYPE_ARP;
    f.size = ifc.vlan !== 0 ? 68 : 64;
    f.payload = { kind: 'arp', op, senderMac: ifc.arpAddressFor(senderIp), senderIp, targetMac, targetIp };
    f.tag = 0;
    this.toNic(ifc, f);
  }

  // ---- ping -------------------------------------------------------------------------------

  /** Start a `ping -t`-style flow (count 0 = until stopped). */
  ping(target: number, opts: Partial<PingOptions> = {}): PingFlow {
    const flow = new PingFlow(this.pings.length, target, {
      intervalNs: opts.intervalNs ?? 1 * SECOND,
      timeoutNs: opts.timeoutNs ?? 4000 * MS,
      size: opts.size ?? 32,
      count: opts.count ?? 0,
      ttl: opts.ttl ?? this.defaultTtl,
    });
    this.pings.push(flow);
    this.setTimer(0, { kind: 'ping', flow: flow.id });
    return flow;
  }

  private pingTick(flow: PingFlow): void {
    if (!flow.running) return;
    const seq = flow.probes.length;
    flow.probes.push({ seq, sentNs: this.net.sched.now, answeredNs: null, result: 'pending', from: null, ttl: null });
    this.setTimer(flow.options.timeoutNs, { kind: 'ping-timeout', flow: flow.id, seq });
    const echo: IcmpMessage = { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, ident: flow.id + 1, seq, dataLength: flow.options.size, quoted: null };
    if (!this.sendIp(flow.target, IPPROTO_ICMP, echo, undefined, flow.options.ttl)) {
      const p = flow.probes[seq];
      p.result = 'transmit-failed';
      p.answeredNs = p.sentNs;
    }
    if (flow.options.count > 0 && flow.probes.length >= flow.options.count) flow.running = false;
    else this.setTimer(flow.options.intervalNs, { kind: 'ping', flow: flow.id });
  }

  private pingAnswered(ident: number, seq: number, result: 'reply' | 'unreachable' | 'ttl-expired', from: number, ttl: number): void {
    const flow = this.pings[ident - 1];
    if (flow === undefined) return;
    const p = flow.probes[seq];
    if (p === undefined || p.result !== 'pending') return;
    p.result = result;
    p.answeredNs = this.net.sched.now;
    p.from = from;
    p.ttl = ttl;
  }
}

function payloadLength(p: Ipv4Packet['payload']): number {
  switch (p.kind) {
    case 'icmp':
      return 8 + (p.quoted !== null ? 28 : p.dataLength);
    case 'udp':
      return 8 + p.dataLength;
    case 'tcp':
      return 20 + p.dataLength;
    case 'igmp':
      return 8;
    case 'pim':
      return pimLength(p);
    case 'opaque':
      return p.length;
  }
}
