/**
 * Windows NLB as the driver between one adapter and TCP/IP (DOMAIN.md §1):
 * - mode handling: unicast replaces the adapter's MAC with 02-BF-…; multicast keeps it and adds
 *   03-BF-…; IGMP multicast uses 01-00-5E-7F-c-d and sends IGMP joins for 239.255.c.d;
 * - unicast source-MAC masking: every frame leaves with 02-<host id>-… so no switch ever learns
 *   the cluster MAC (MaskSourceMAC, default on);
 * - ARP for a cluster IP is answered with the cluster MAC in multicast modes (MulticastSpoof);
 * - heartbeats on EtherType 0x886F and convergence (see membership.ts);
 * - the inbound filter: every host sees every packet for the cluster IP and passes up only those
 *   the port rules give it;
 * - binding: the cluster IP is added to TCP/IP, which runs duplicate detection on it. A host whose
 *   adapter refused the cluster MAC, or whose TCP/IP lost the cluster or dedicated IP (another
 *   station answered for it), is a misconfigured interface: what NLB Manager lists as the IP
 *   addresses missing from TCP/IP (DOMAIN.md §1.6; seed of July 2011).
 */
import type { Frame } from '../../core/frame.ts';
import { formatIpv4 } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import type { Network } from '../../core/network.ts';
import {
  BROADCAST_MAC,
  ETHERTYPE_IPV4,
  ETHERTYPE_NLB,
  IPPROTO_IGMP,
  IPPROTO_TCP,
  type IgmpMessage,
  type Ipv4Packet,
  type NlbHeartbeat,
} from '../../core/packets.ts';
import type { Prng } from '../../core/prng.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { MS, SECOND } from '../../core/time.ts';
import type { InterfaceShim, IpInterface, ShimVerdict } from '../../l3/ip-host.ts';
import { IGMP_QUERY, IGMP_V2_REPORT } from '../../wire/igmp.ts';
import { NLB_HEARTBEAT_LENGTH } from '../../wire/nlb.ts';
import { clusterMac, igmpClusterGroup, igmpClusterMac, maskedSourceMac, type NlbMode } from './addresses.ts';
import { TcpDescriptors } from './connections.ts';
import { DEFAULT_TIMERS, NlbMembership, type NlbTimers } from './membership.ts';
import { decideHandler, rulesFingerprint, type PortRule } from './port-rules.ts';

export interface NlbConfig {
  clusterIp: number;
  clusterPrefix: number;
  mode: NlbMode;
  /** Host priority, the unique host ID 1–32. */
  hostId: number;
  rules: readonly PortRule[];
  /** MaskSourceMAC: default true [V: MS unattend MaskSourceMacEnabled]. */
  maskSourceMac: boolean;
  /** MulticastSpoofEnabled: ARP for the cluster IP answers the cluster MAC; default true [V]. */
  multicastSpoof: boolean;
  /** FilterICMP: off by default, so every host answers a ping to the cluster IP. */
  filterIcmp: boolean;
  timers: NlbTimers;
  /**
   * How often an IGMP multicast host repeats its join for 239.255.c.d besides answering queries.
   * Not documented; 60 s [U], a setting.
   */
  igmpJoinIntervalMs: number;
  /** ClusterModeOnStart: whether NLB starts handling traffic when the host boots. */
  startOnBoot: boolean;
}

export const DEFAULT_IGMP_JOIN_INTERVAL_MS = 60_000;

export function defaultNlbConfig(clusterIp: number, clusterPrefix: number, hostId: number, rules: readonly PortRule[]): NlbConfig {
  return {
    clusterIp,
    clusterPrefix,
    mode: 'unicast', // the default mode [V: MS-TN Cluster Parameters]
    hostId,
    rules,
    maskSourceMac: true,
    multicastSpoof: true,
    filterIcmp: false,
    timers: { ...DEFAULT_TIMERS },
    igmpJoinIntervalMs: DEFAULT_IGMP_JOIN_INTERVAL_MS,
    startOnBoot: true,
  };
}

/** What NLB needs from the host it runs on. */
export interface NlbHostServices {
  readonly name: string;
  readonly net: Network;
  readonly random: Prng;
  /** Ask the adapter to take `mac` as its address; false when the adapter (or the vSwitch port behind it) refuses. */
  setAdapterAddress(ifc: IpInterface, mac: number): boolean;
  /** Add an address to TCP/IP on the interface (duplicate detection runs). */
  addAddress(ifc: IpInterface, ip: number, prefix: number): void;
  removeAddress(ifc: IpInterface, ip: number): void;
  /** Send an IPv4 datagram from this host (IGMP reports). */
  sendIp(ifc: IpInterface, pkt: Ipv4Packet, dstMac: number): void;
}

export interface NlbCounters {
  heartbeatsSent: number;
  heartbeatsReceived: number;
  /** Packets to a cluster IP this host passed up (its share). */
  accepted: number;
  /** Packets to a cluster IP another host handles. */
  filtered: number;
  /** Frames TCP/IP sent to the cluster MAC, which is this adapter's own address: looped back, never on the wire. */
  loopedBack: number;
  igmpReportsSent: number;
}

const TICK = 0;
const IGMP_JOIN = 1;
const IGMP_ANSWER = 2;

export class NlbDriver implements InterfaceShim, EventHandler {
  readonly handlerId: number;
  readonly membership: NlbMembership;
  /** Whether NLB holds the adapter (it could take the MAC and add the cluster IP). */
  bound = false;
  /** Why this interface is misconfigured (empty: it is not). */
  misconfiguration: string[] = [];
  /** Originally burned-in address, restored when NLB lets go. */
  readonly burnedInMac: number;
  readonly counters: NlbCounters = { heartbeatsSent: 0, heartbeatsReceived: 0, accepted: 0, filtered: 0, loopedBack: 0, igmpReportsSent: 0 };
  /** NLB event-log lines, oldest first (shown by `nlb display`). */
  readonly log: { t: number; text: string }[] = [];
  /** TCP connections this host accepted, which it keeps serving across convergences. */
  readonly tcpDescriptors = new TcpDescriptors();
  private tickToken = -1;
  private joinToken = -1;
  private answerToken = -1;

  constructor(
    private readonly host: NlbHostServices,
    readonly ifc: IpInterface,
    readonly config: NlbConfig,
  ) {
    this.handlerId = host.net.sched.register(this);
    this.burnedInMac = ifc.mac;
    this.membership = new NlbMembership(
      { clusterIp: config.clusterIp, hostId: config.hostId, dedicatedIp: 0, rulesHash: rulesFingerprint(config.rules) },
      config.timers,
      (kind, text) => this.event(kind, text),
    );
    ifc.shim = this;
  }

  get clusterMac(): number {
    return clusterMac(this.config.mode, this.config.clusterIp);
  }

  get dedicatedIp(): number {
    const a = this.ifc.addrs.find((x) => x.ip !== this.config.clusterIp);
    return a === undefined ? 0 : a.ip;
  }

  private event(kind: string, text: string): void {
    if (kind === 'nlb.converged') this.tcpDescriptors.converged(this.membership.converged);
    this.log.push({ t: this.host.net.now, text });
    this.host.net.emit(kind, `${this.host.name}: ${text}`, this.host.name, this.ifc.name);
  }

  // ---- binding ------------------------------------------------------------------------------

  /**
   * Take the adapter: in unicast mode its MAC becomes the cluster MAC (the adapter may refuse),
   * then the cluster IP joins TCP/IP. Call before TCP/IP starts so detection covers both.
   */
  bind(): void {
    const cfg = this.config;
    if (cfg.mode === 'unicast') {
      const mac = this.clusterMac;
      if (!this.host.setAdapterAddress(this.ifc, mac)) {
        this.bound = false;
        this.misconfiguration = [
          `The network adapter does not support dynamic MAC address updates: it kept ${formatMac(this.ifc.mac, '-')} instead of the cluster MAC ${formatMac(mac, '-')}`,
          `Cluster IP address ${formatIpv4(cfg.clusterIp)} could not be added to TCP/IP`,
        ];
        this.event('nlb.misconfigured', `NLB cluster [${formatIpv4(cfg.clusterIp)}]: misconfigured interface ${this.ifc.name}: ${this.misconfiguration.join('; ')}`);
        return;
      }
      this.ifc.mac = mac;
    }
    this.bound = true;
    this.misconfiguration = [];
    if (!this.ifc.addrs.some((a) => a.ip === cfg.clusterIp)) this.host.addAddress(this.ifc, cfg.clusterIp, cfg.clusterPrefix);
  }

  /** Let go of the adapter: the burned-in MAC comes back and the cluster IP leaves TCP/IP. */
  unbind(): void {
    this.stop();
    if (this.ifc.addrs.some((a) => a.ip === this.config.clusterIp)) this.host.removeAddress(this.ifc, this.config.clusterIp);
    if (this.ifc.mac !== this.burnedInMac) {
      this.host.setAdapterAddress(this.ifc, this.burnedInMac);
      this.ifc.mac = this.burnedInMac;
    }
    this.bound = false;
    this.misconfiguration = [];
  }

  /** `nlb reload`, or Host Properties → OK in NLB Manager: bind again from scratch. */
  reload(): void {
    this.unbind();
    this.bind();
    if (this.bound) this.start();
  }

  /** Start cluster operations: heartbeats, convergence, IGMP joins. */
  start(): void {
    if (!this.bound) return;
    this.stop();
    const m = this.membership;
    m.setDedicatedIp(this.dedicatedIp);
    m.start(this.host.net.now);
    // Hosts boot at different moments within a period: a random phase keeps heartbeats apart.
    const phase = this.host.random.nextInt(m.periodNs);
    this.tickToken = this.host.net.sched.schedule(phase, this.handlerId, TICK, null);
    if (this.config.mode === 'igmp-multicast') this.joinToken = this.host.net.sched.schedule(0, this.handlerId, IGMP_JOIN, null);
  }

  /** `nlb stop`: leave the cluster (the others notice the silence and converge without us). */
  stop(): void {
    const sched = this.host.net.sched;
    for (const t of [this.tickToken, this.joinToken, this.answerToken]) if (t >= 0) sched.cancel(t);
    this.tickToken = this.joinToken = this.answerToken = -1;
    if (this.membership.state !== 'stopped') this.membership.stop();
    this.tcpDescriptors.clear();
  }

  get running(): boolean {
    return this.membership.state !== 'stopped';
  }

  onEvent(code: number): void {
    const sched = this.host.net.sched;
    if (code === TICK) {
      this.tickToken = sched.schedule(this.membership.periodNs, this.handlerId, TICK, null);
      this.sendHeartbeat();
      this.membership.tick(sched.now);
      this.checkBinding();
    } else if (code === IGMP_JOIN) {
      this.joinToken = sched.schedule(this.config.igmpJoinIntervalMs * MS, this.handlerId, IGMP_JOIN, null);
      this.sendIgmpReport();
    } else if (code === IGMP_ANSWER) {
      this.answerToken = -1;
      this.sendIgmpReport();
    }
  }

  /** NLB Manager's check: every address NLB configured must be usable in TCP/IP. */
  private checkBinding(): void {
    if (!this.bound) return;
    const problems: string[] = [];
    const want = [
      { ip: this.config.clusterIp, what: 'Cluster IP address' },
      { ip: this.dedicatedIp, what: 'Dedicated IP address' },
    ];
    for (const w of want) {
      if (w.ip === 0) continue;
      const a = this.ifc.addrs.find((x) => x.ip === w.ip);
      if (a === undefined) problems.push(`${w.what} ${formatIpv4(w.ip)} is not in the TCP/IP configuration`);
      else if (a.state === 'duplicate') problems.push(`${w.what} ${formatIpv4(w.ip)} could not be added to TCP/IP: another system uses it`);
    }
    const was = this.misconfiguration.length > 0;
    this.misconfiguration = problems;
    if (problems.length > 0 && !was) {
      this.event('nlb.misconfigured', `NLB cluster [${formatIpv4(this.config.clusterIp)}]: misconfigured interface ${this.ifc.name}: ${problems.join('; ')}`);
    }
  }

  // ---- frames out ---------------------------------------------------------------------------

  private sendHeartbeat(): void {
    if (!this.ifc.port.operUp) return;
    const net = this.host.net;
    const m = this.membership;
    const hb: NlbHeartbeat = {
      kind: 'nlb-heartbeat',
      clusterIp: this.config.clusterIp,
      hostId: this.config.hostId,
      dedicatedIp: this.dedicatedIp,
      converging: m.state === 'converging',
      rulesHash: rulesFingerprint(this.config.rules),
    };
    const f = net.pool.alloc();
    // Broadcast in unicast mode, the cluster's multicast MAC otherwise (DOMAIN.md §1.4).
    f.dst = this.config.mode === 'unicast' ? BROADCAST_MAC : this.clusterMac;
    // The source is the adapter's own address, masked like every frame [U: DOMAIN §1.4 leaves the modern heartbeat source open].
    f.src = this.ifc.mac;
    f.vlan = 0;
    f.pcp = 0;
    f.etherType = ETHERTYPE_NLB;
    f.size = 14 + NLB_HEARTBEAT_LENGTH + 4;
    f.payload = hb;
    f.tag = 0;
    this.counters.heartbeatsSent++;
    if (this.transmit(this.ifc, f)) this.ifc.port.send(f);
  }

  private sendIgmpReport(): void {
    if (!this.ifc.port.operUp || !this.running) return;
    const group = igmpClusterGroup(this.config.clusterIp);
    const igmp: IgmpMessage = { kind: 'igmp', type: IGMP_V2_REPORT, maxRespTime: 0, group };
    // Sourced from the dedicated IP [U]; TTL 1 keeps the join on the segment (RFC 2236).
    const pkt: Ipv4Packet = { kind: 'ipv4', src: this.dedicatedIp, dst: group, ttl: 1, protocol: IPPROTO_IGMP, ident: 0, dscp: 0, totalLength: 28, payload: igmp };
    this.counters.igmpReportsSent++;
    this.host.sendIp(this.ifc, pkt, igmpClusterMac(this.config.clusterIp));
  }

  transmit(ifc: IpInterface, f: Frame): boolean {
    if (!this.bound) return true;
    const cfg = this.config;
    if (cfg.mode === 'unicast') {
      if (f.dst === ifc.mac) {
        // Addressed to the adapter's own (cluster) MAC: NDIS hands it straight back up, so unicast
        // hosts cannot reach each other through the cluster adapter (DOMAIN.md §1.1).
        this.counters.loopedBack++;
        this.host.net.pool.release(f);
        return false;
      }
      if (cfg.maskSourceMac && f.src === ifc.mac) f.src = maskedSourceMac(cfg.hostId, cfg.clusterIp);
    }
    const p = f.payload;
    if (p !== null && p.kind === 'ipv4' && p.src === cfg.clusterIp && p.payload.kind === 'tcp') this.tcpDescriptors.sent(p.dst, p.payload);
    return true;
  }

  arpAddressFor(ifc: IpInterface, ip: number): number {
    if (this.bound && ip === this.config.clusterIp && this.config.mode !== 'unicast' && this.config.multicastSpoof) return this.clusterMac;
    return ifc.mac;
  }

  // ---- frames in ----------------------------------------------------------------------------

  /** Destination MACs the adapter's filter lets in besides its own and broadcast. */
  private acceptsGroup(dst: number): boolean {
    return this.bound && this.config.mode !== 'unicast' && dst === this.clusterMac;
  }

  receive(ifc: IpInterface, f: Frame): ShimVerdict {
    const p = f.payload;
    const dst = f.dst;
    const nicTakes = dst === ifc.mac || dst === BROADCAST_MAC || this.acceptsGroup(dst);
    if (f.etherType === ETHERTYPE_NLB) {
      if (nicTakes && this.running && p !== null && p.kind === 'nlb-heartbeat' && p.clusterIp === this.config.clusterIp && f.vlan === 0) {
        this.counters.heartbeatsReceived++;
        this.membership.heard(p, this.host.net.now);
      }
      this.host.net.pool.release(f);
      return 'consume';
    }
    if (f.etherType !== ETHERTYPE_IPV4 || p === null || p.kind !== 'ipv4' || !this.bound) return nicTakes ? 'accept' : 'pass';
    if (p.protocol === IPPROTO_IGMP && p.payload.kind === 'igmp' && p.payload.type === IGMP_QUERY) {
      this.answerQuery(p.payload);
      // TCP/IP answers the same query for the groups its own applications joined.
      return 'pass';
    }
    if (!nicTakes) return 'pass';
    if (p.dst !== this.config.clusterIp) return 'accept';
    if (this.allows(p)) {
      this.counters.accepted++;
      return 'accept';
    }
    this.counters.filtered++;
    this.host.net.pool.release(f);
    return 'consume';
  }

  /** The port-rule decision for a packet to the cluster IP. */
  allows(p: Ipv4Packet): boolean {
    if (!this.running) return false;
    const l4 = p.payload;
    if (p.protocol === IPPROTO_TCP && l4.kind === 'tcp') return this.tcpDescriptors.allows(this.config.hostId, this.config.rules, this.membership.converged, p.src, l4);
    const ports = l4.kind === 'udp' || l4.kind === 'tcp' ? { srcPort: l4.srcPort, dstPort: l4.dstPort } : { srcPort: 0, dstPort: 0 };
    const h = decideHandler(this.config.rules, this.membership.converged, { protocol: p.protocol, srcIp: p.src, ...ports }, this.config.filterIcmp);
    if (h.kind === 'every-host') return this.membership.converged.includes(this.config.hostId);
    return h.kind === 'host' && h.hostId === this.config.hostId;
  }

  private answerQuery(q: IgmpMessage): void {
    if (this.config.mode !== 'igmp-multicast' || !this.running || this.answerToken >= 0) return;
    if (q.group !== 0 && q.group !== igmpClusterGroup(this.config.clusterIp)) return;
    // RFC 2236: answer after a random delay up to the query's Max Response Time (tenths of a second).
    const maxNs = Math.max(1, q.maxRespTime) * (SECOND / 10);
    this.answerToken = this.host.net.sched.schedule(this.host.random.nextInt(maxNs), this.handlerId, IGMP_ANSWER, null);
  }
}
