/**
 * IPv4 (RFC 791) without options or fragmentation, which the emulator does not model, and the
 * dispatch to its payloads. ICMP errors quote a datagram, so the quote's encoding and decoding
 * live here beside the header format they reuse.
 *
 * The header's Total Length is written as the record says; the payload bytes are whatever the
 * payload record encodes to. The engine keeps the two consistent, and a capture shows it if not.
 */

import type { IcmpMessage, IgmpMessage, Ipv4Packet, OpaquePayload, UdpDatagram } from '../core/packets.ts';
import { IPPROTO_ICMP, IPPROTO_IGMP, IPPROTO_PIM, IPPROTO_TCP, IPPROTO_UDP } from '../core/packets.ts';
import { formatIpv4 } from '../core/ipv4.ts';
import { checksumVerifies, internetChecksum } from './checksum.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, TruncatedError, type DecodeNode, type LayerDecode } from './decode-tree.ts';
import { decodeIcmp, icmpLength, writeIcmp } from './icmp.ts';
import { decodeIgmp, igmpLength, writeIgmp } from './igmp.ts';
import { decodeOpaque, writeOpaque } from './opaque.ts';
import { decodePim, pimLength, writePim } from './pim.ts';
import { decodeTcp, tcpLength, writeTcp } from './tcp.ts';
import { decodeUdp, udpLength, writeUdp } from './udp.ts';

export const IPV4_HEADER_LENGTH = 20;
/** An ICMP error quotes the offending header and this many bytes of what followed it (RFC 792). */
export const ICMP_QUOTED_PAYLOAD = 8;

const PROTOCOL_NAMES: Record<number, string> = {
  [IPPROTO_ICMP]: 'ICMP',
  [IPPROTO_IGMP]: 'IGMP',
  [IPPROTO_TCP]: 'TCP',
  [IPPROTO_UDP]: 'UDP',
  [IPPROTO_PIM]: 'PIM',
};

function protocolName(protocol: number): string {
  return PROTOCOL_NAMES[protocol] ?? 'Unknown';
}

export function dscpName(dscp: number): string {
  if (dscp === 46) return 'EF';
  if (dscp % 8 === 0) return `CS${dscp / 8}`;
  const cls = dscp >> 3;
  const drop = (dscp >> 1) & 3;
  if (cls >= 1 && cls <= 4 && (dscp & 1) === 0 && drop >= 1) return `AF${cls}${drop}`;
  return `DSCP ${dscp}`;
}

/** The quoted part of an ICMP error: the datagram's header and its first eight payload bytes. */
function quoteOf(packet: Ipv4Packet): Uint8Array {
  const whole = encodeIpv4(packet);
  return whole.subarray(0, Math.min(whole.length, IPV4_HEADER_LENGTH + ICMP_QUOTED_PAYLOAD));
}

function payloadLength(p: Ipv4Packet, quote: Uint8Array | null): number {
  const payload = p.payload;
  switch (payload.kind) {
    case 'icmp':
      return icmpLength(payload, quote ? quote.length : 0);
    case 'udp':
      return udpLength(payload);
    case 'tcp':
      return tcpLength(payload);
    case 'igmp':
      return igmpLength(payload);
    case 'pim':
      return pimLength(payload);
    case 'opaque':
      return payload.length;
  }
}

function quoteFor(p: Ipv4Packet): Uint8Array | null {
  return p.payload.kind === 'icmp' && p.payload.quoted ? quoteOf(p.payload.quoted) : null;
}

/** Bytes the datagram occupies: header plus the encoded payload. */
export function ipv4Length(p: Ipv4Packet): number {
  return IPV4_HEADER_LENGTH + payloadLength(p, quoteFor(p));
}

export function writeIpv4(p: Ipv4Packet, bytes: Uint8Array, off: number): number {
  const view = viewOf(bytes);
  const quote = quoteFor(p);
  view.setUint8(off, 0x45); // version 4, 5-word header
  view.setUint8(off + 1, (p.dscp & 0x3f) << 2);
  view.setUint16(off + 2, p.totalLength);
  view.setUint16(off + 4, p.ident);
  view.setUint16(off + 6, 0); // no flags, no fragment offset
  view.setUint8(off + 8, p.ttl);
  view.setUint8(off + 9, p.protocol);
  view.setUint16(off + 10, 0);
  view.setUint32(off + 12, p.src >>> 0);
  view.setUint32(off + 16, p.dst >>> 0);
  view.setUint16(off + 10, internetChecksum(bytes, off, off + IPV4_HEADER_LENGTH));
  const at = off + IPV4_HEADER_LENGTH;
  const payload = p.payload;
  switch (payload.kind) {
    case 'icmp':
      return writeIcmp(payload, bytes, at, quote);
    case 'udp':
      return writeUdp(payload, bytes, at, p.src >>> 0, p.dst >>> 0);
    case 'tcp':
      return writeTcp(payload, bytes, at, p.src >>> 0, p.dst >>> 0);
    case 'igmp':
      return writeIgmp(payload, bytes, at);
    case 'pim':
      return writePim(payload, bytes, at, encodeIpv4);
    case 'opaque':
      return writeOpaque(payload, bytes, at);
  }
}

export function encodeIpv4(p: Ipv4Packet): Uint8Array {
  const bytes = new Uint8Array(ipv4Length(p));
  writeIpv4(p, bytes, 0);
  return bytes;
}

interface Header {
  ihl: number;
  totalLength: number;
  src: number;
  dst: number;
  ttl: number;
  protocol: number;
  ident: number;
  dscp: number;
  fragment: number;
  checksumOk: boolean;
  nodes: DecodeNode[];
}

/** The packet record a decoded header and its payload make, for a whole packet or a quoted one. */
function packetOf(h: Header, payload: Ipv4Packet['payload']): Ipv4Packet {
  return { kind: 'ipv4', src: h.src, dst: h.dst, ttl: h.ttl, protocol: h.protocol, ident: h.ident, dscp: h.dscp, totalLength: h.totalLength, payload };
}

function decodeHeader(bytes: Uint8Array, base: number): Header {
  need(bytes, IPV4_HEADER_LENGTH, 'IPv4');
  const v = viewOf(bytes);
  const vihl = v.getUint8(0);
  const ihl = (vihl & 0x0f) * 4;
  if (vihl >> 4 !== 4 || ihl < IPV4_HEADER_LENGTH) throw new TruncatedError('IPv4 (not a version 4 header)');
  need(bytes, ihl, 'IPv4 options');
  const tos = v.getUint8(1);
  const h: Header = {
    ihl,
    totalLength: v.getUint16(2),
    ident: v.getUint16(4),
    fragment: v.getUint16(6),
    ttl: v.getUint8(8),
    protocol: v.getUint8(9),
    src: v.getUint32(12),
    dst: v.getUint32(16),
    dscp: tos >> 2,
    checksumOk: checksumVerifies(bytes, 0, ihl),
    nodes: [],
  };
  const checksum = v.getUint16(10);
  const flags = h.fragment >> 13;
  h.nodes = [
    field('0100 .... = Version: 4', base, 1),
    field(`.... ${(ihl / 4).toString(2).padStart(4, '0')} = Header Length: ${ihl} bytes (${ihl / 4})`, base, 1),
    field(`Differentiated Services Field: ${hex(tos, 2)} (DSCP: ${dscpName(h.dscp)}, ECN: ${tos & 3})`, base + 1, 1),
    field(`Total Length: ${h.totalLength}`, base + 2, 2),
    field(`Identification: ${hex(h.ident, 4)} (${h.ident})`, base + 4, 2),
    field(`Flags: ${hex(flags, 1)}${flags & 2 ? ", Don't fragment" : ''}${flags & 1 ? ', More fragments' : ''}`, base + 6, 1),
    field(`Fragment Offset: ${(h.fragment & 0x1fff) * 8}`, base + 6, 2),
    field(`Time to Live: ${h.ttl}`, base + 8, 1),
    field(`Protocol: ${protocolName(h.protocol)} (${h.protocol})`, base + 9, 1),
    field(`Header Checksum: ${hex(checksum, 4)} [${h.checksumOk ? 'correct' : 'incorrect'}]`, base + 10, 2),
    field(`Source Address: ${formatIpv4(h.src)}`, base + 12, 4),
    field(`Destination Address: ${formatIpv4(h.dst)}`, base + 16, 4),
  ];
  return h;
}

function ipv4Title(src: number, dst: number): string {
  return `Internet Protocol Version 4, Src: ${formatIpv4(src)}, Dst: ${formatIpv4(dst)}`;
}

/**
 * Rebuilds the record of a quoted datagram from its header and first eight payload bytes. Lengths
 * beyond the quote come from the quoted header's Total Length (and UDP's length field).
 */
function decodeQuoted(bytes: Uint8Array, base: number): { record: Ipv4Packet; nodes: DecodeNode[]; length: number } | null {
  let h: Header;
  try {
    h = decodeHeader(bytes, base);
  } catch {
    return null;
  }
  const available = Math.min(bytes.length - h.ihl, Math.max(0, h.totalLength - h.ihl), ICMP_QUOTED_PAYLOAD);
  const q = bytes.subarray(h.ihl, h.ihl + available);
  const qv = viewOf(q);
  const rest = Math.max(0, h.totalLength - h.ihl);
  let payload: Ipv4Packet['payload'];
  let label: string;
  if (h.protocol === IPPROTO_ICMP && q.length >= 8) {
    const m: IcmpMessage = {
      kind: 'icmp',
      type: qv.getUint8(0),
      code: qv.getUint8(1),
      ident: qv.getUint16(4),
      seq: qv.getUint16(6),
      dataLength: Math.max(0, rest - 8),
      quoted: null,
    };
    payload = m;
    label = `Internet Control Message Protocol (quoted): type ${m.type}, code ${m.code}, id=${hex(m.ident, 4)}, seq=${m.seq}`;
  } else if (h.protocol === IPPROTO_UDP && q.length >= 8) {
    const d: UdpDatagram = {
      kind: 'udp',
      srcPort: qv.getUint16(0),
      dstPort: qv.getUint16(2),
      dataLength: Math.max(0, qv.getUint16(4) - 8),
      data: null,
    };
    payload = d;
    label = `User Datagram Protocol (quoted), Src Port: ${d.srcPort}, Dst Port: ${d.dstPort}`;
  } else if (h.protocol === IPPROTO_IGMP && q.length >= 8) {
    const type = qv.getUint8(0);
    const g: IgmpMessage = {
      kind: 'igmp',
      type,
      maxRespTime: type === 0x22 ? 0 : qv.getUint8(1),
      group: type === 0x22 ? 0 : qv.getUint32(4),
    };
    payload = g;
    label = `Internet Group Management Protocol (quoted): type ${hex(type, 2)}, group ${formatIpv4(g.group)}`;
  } else {
    const o: OpaquePayload = { kind: 'opaque', length: rest, tag: q.length >= 4 ? qv.getUint32(0) : 0 };
    payload = o;
    label = `${protocolName(h.protocol)} (quoted, ${q.length} of ${rest} bytes)`;
  }
  const record = packetOf(h, payload);
  const nodes = [field(ipv4Title(h.src, h.dst), base, h.ihl, h.nodes)];
  if (q.length > 0) nodes.push(field(label, base + h.ihl, q.length));
  return { record, nodes, length: h.ihl + q.length };
}

export function decodeIpv4(bytes: Uint8Array, base: number): LayerDecode<Ipv4Packet> {
  const h = decodeHeader(bytes, base);
  const problems: string[] = [];
  if (!h.checksumOk) problems.push('IPv4: bad header checksum');
  let end = h.totalLength;
  if (h.totalLength > bytes.length) {
    problems.push(`IPv4: total length ${h.totalLength} exceeds the ${bytes.length} bytes captured`);
    end = bytes.length;
  }
  if (h.totalLength < h.ihl) {
    problems.push(`IPv4: total length ${h.totalLength} is shorter than the header`);
    end = h.ihl;
  }
  const body = bytes.subarray(h.ihl, end);
  const bodyBase = base + h.ihl;
  const fragmented = (h.fragment & 0x1fff) !== 0 || (h.fragment & 0x2000) !== 0;
  let inner: LayerDecode<Ipv4Packet['payload']>;
  const opaque = (): LayerDecode<OpaquePayload> =>
    decodeOpaque(body, bodyBase, `${protocolName(h.protocol)} payload`, h.protocol in PROTOCOL_NAMES ? protocolName(h.protocol) : 'IPv4');
  try {
    if (fragmented) inner = opaque();
    else if (h.protocol === IPPROTO_ICMP) inner = decodeIcmp(body, bodyBase, decodeQuoted);
    else if (h.protocol === IPPROTO_UDP) inner = decodeUdp(body, bodyBase, h.src, h.dst);
    else if (h.protocol === IPPROTO_TCP) inner = decodeTcp(body, bodyBase, h.src, h.dst);
    else if (h.protocol === IPPROTO_IGMP) inner = decodeIgmp(body, bodyBase);
    else if (h.protocol === IPPROTO_PIM) inner = decodePim(body, bodyBase, decodeIpv4);
    else inner = opaque();
  } catch (e) {
    if (!(e instanceof TruncatedError)) throw e;
    problems.push(e.message);
    inner = opaque();
  }
  const record = packetOf(h, inner.record);
  return {
    record,
    nodes: [field(ipv4Title(h.src, h.dst), base, h.ihl, h.nodes), ...inner.nodes],
    summary: inner.record.kind === 'opaque' ? `${formatIpv4(h.src)} → ${formatIpv4(h.dst)} ${inner.summary}` : inner.summary,
    protocol: inner.protocol,
    problems: [...problems, ...inner.problems],
  };
}
