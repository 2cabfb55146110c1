/**
 * Protocol records carried inside frames on the forwarding path. They are plain numeric records
 * (MACs as 48-bit numbers, IPv4 addresses as uint32) so the hot path never touches bytes; the
 * byte encodings live in `emulator/wire/` and are used only for captures and decode views.
 *
 * Every record has a `kind` discriminant so code can narrow without casts. Additive changes only:
 * the wire encoders and the protocol behaviours both depend on these shapes.
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_RARP = 0x8035;
export const ETHERTYPE_SLOW = 0x8809; // LACP and marker
export const ETHERTYPE_NLB = 0x886f; // Windows NLB heartbeat
export const ETHERTYPE_BENCH = 0x88b5; // IEEE local experimental; the benchmark's raw frames
export const ETHERTYPE_MPLS = 0x8847; // MPLS unicast (RFC 3032)

export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_PIM = 103;

export const BROADCAST_MAC = 0xffffffffffff;

/** ARP (op 1/2) and RARP (op 3/4) share one record. */
export interface ArpPacket {
  readonly kind: 'arp';
  op: number;
  senderMac: number;
  senderIp: number;
  targetMac: number;
  targetIp: number;
}

export interface IcmpMessage {
  readonly kind: 'icmp';
  type: number;
  code: number;
  /** Echo identifier / sequence (0 for other types). */
  ident: number;
  seq: number;
  /** Bytes of echo data (only the length is modelled). */
  dataLength: number;
  /** For errors (unreachable, time exceeded): the offending datagram's header, when known. */
  quoted: Ipv4Packet | null;
}

export interface UdpDatagram {
  readonly kind: 'udp';
  srcPort: number;
  dstPort: number;
  /** Application payload length in bytes (contents are not modelled unless `data` is set). */
  dataLength: number;
  /** Optional opaque application record (e.g. a scenario probe id). */
  data: unknown;
}

/** TCP flag bits (RFC 793 §3.1). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** A TCP segment (RFC 793) without options; only the payload length is modelled. */
export interface TcpSegment {
  readonly kind: 'tcp';
  srcPort: number;
  dstPort: number;
  /** Sequence and acknowledgement numbers, uint32. */
  seq: number;
  ack: number;
  /** TCP_* flag bits. */
  flags: number;
  window: number;
  dataLength: number;
}

export interface IgmpMessage {
  readonly kind: 'igmp';
  /** 0x11 query, 0x16 v2 report, 0x17 leave, 0x22 v3 report. */
  type: number;
  maxRespTime: number;
  group: number;
}

export interface Ipv4Packet {
  readonly kind: 'ipv4';
  src: number;
  dst: number;
  ttl: number;
  protocol: number;
  ident: number;
  dscp: number;
  /** Total length in bytes (header + payload). */
  totalLength: number;
  payload: IcmpMessage | UdpDatagram | TcpSegment | IgmpMessage | PimMessage | OpaquePayload;
}

/** PIM message types (RFC 7761 §4.9) the emulator sends. */
export const PIM_HELLO = 0;
export const PIM_REGISTER = 1;
export const PIM_REGISTER_STOP = 2;
export const PIM_JOIN_PRUNE = 3;

/** PIM Hello with the options a sparse-mode router sends: Holdtime, DR Priority, Generation ID. */
export interface PimHello {
  readonly kind: 'pim';
  readonly type: typeof PIM_HELLO;
  /** Seconds a receiver keeps the neighbour; 0: the sender is going away. */
  holdtime: number;
  drPriority: number;
  generationId: number;
}

/** A Register: a first-hop DR's data packet, unicast to the RP inside PIM. */
export interface PimRegister {
  readonly kind: 'pim';
  readonly type: typeof PIM_REGISTER;
  border: boolean;
  /** Null-Register: a probe carrying only the inner header, to ask the RP whether to resume. */
  nullRegister: boolean;
  inner: Ipv4Packet;
}

export interface PimRegisterStop {
  readonly kind: 'pim';
  readonly type: typeof PIM_REGISTER_STOP;
  group: number;
  source: number;
}

/** One source in a Join/Prune group set: (S,G) with neither bit, (*,G) wildcard+RPT, (S,G,rpt) RPT. */
export interface PimJoinSource {
  address: number;
  /** W bit: the RP's address for a (*,G) entry. */
  wildcard: boolean;
  /** R bit: toward the RP (shared tree). */
  rpt: boolean;
}

export interface PimJoinGroup {
  group: number;
  joins: PimJoinSource[];
  prunes: PimJoinSource[];
}

export interface PimJoinPrune {
  readonly kind: 'pim';
  readonly type: typeof PIM_JOIN_PRUNE;
  /** The router the message is for; every PIM router on the LAN hears it. */
  upstream: number;
  /** Seconds the join state lasts without a refresh. */
  holdtime: number;
  groups: PimJoinGroup[];
}

export type PimMessage = PimHello | PimRegister | PimRegisterStop | PimJoinPrune;


/** Link Aggregation Control Protocol data unit (IEEE 802.1AX), actor and partner information. */
export interface LacpInfo {
  systemPriority: number;
  system: number; // MAC
  key: number;
  portPriority: number;
  port: number;
  /** Bit field: activity, timeout, aggregation, synchronization, collecting, distributing, defaulted, expired. */
  state: number;
}

export interface LacpPdu {
  readonly kind: 'lacp';
  actor: LacpInfo;
  partner: LacpInfo;
  collectorMaxDelay: number;
}

/** Windows NLB heartbeat (EtherType 0x886F). */
export interface NlbHeartbeat {
  readonly kind: 'nlb-heartbeat';
  clusterIp: number;
  hostId: number;
  /** Dedicated IP of the sending host. */
  dedicatedIp: number;
  /** Convergence state and rule fingerprint, as the emulator models them. */
  converging: boolean;
  rulesHash: number;
}

/** Frames whose contents are not modelled: only their length matters (benchmark traffic, unknown protocols). */
export interface OpaquePayload {
  readonly kind: 'opaque';
  length: number;
  /** Optional tag for tests and probes. */
  tag: number;
}

/** One label stack entry (RFC 3032 §2.1); the bottom-of-stack bit follows from the position. */
export interface MplsLabelEntry {
  label: number;
  /** Traffic class (the former EXP bits). */
  tc: number;
  ttl: number;
}

/** A labelled IPv4 packet: the stack outermost first, then the datagram it carries. */
export interface MplsPacket {
  readonly kind: 'mpls';
  labels: MplsLabelEntry[];
  inner: Ipv4Packet;
}

export type FramePayload = ArpPacket | Ipv4Packet | LacpPdu | NlbHeartbeat | OpaquePayload | MplsPacket;

/** LACP actor/partner state bits (IEEE 802.1AX-2014 §6.4.2.3). */
export const LACP_ACTIVITY = 0x01;
export const LACP_TIMEOUT = 0x02; // 1 = short (fast) timeout
export const LACP_AGGREGATION = 0x04;
export const LACP_SYNC = 0x08;
export const LACP_COLLECTING = 0x10;
export const LACP_DISTRIBUTING = 0x20;
export const LACP_DEFAULTED = 0x40;
export const LACP_EXPIRED = 0x80;
