/**
 * ICMP (RFC 792). Echo request/reply carry `dataLength` bytes of data; error messages (unreachable,
 * time exceeded, …) carry the offending datagram's IPv4 header plus its first 8 payload bytes,
 * which the IPv4 layer encodes and decodes (it owns the IPv4 format) and hands in here.
 */

import type { IcmpMessage, Ipv4Packet } from '../core/packets.ts';
import { checksumVerifies, internetChecksum } from './checksum.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, type DecodeNode, type LayerDecode } from './decode-tree.ts';

export const ICMP_HEADER_LENGTH = 8;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;

const TYPE_NAMES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench',
  5: 'Redirect',
  8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
};

const UNREACHABLE_CODES: Record<number, string> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  13: 'Communication administratively filtered',
};

const TIME_EXCEEDED_CODES: Record<number, string> = {
  0: 'Time to live exceeded in transit',
  1: 'Fragment reassembly time exceeded',
};

/** Error messages that quote the datagram that caused them. */
export function icmpQuotes(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

function isEcho(type: number): boolean {
  return type === ICMP_ECHO_REQUEST || type === ICMP_ECHO_REPLY;
}

/** `dataLength` counts the bytes after the quote for error messages, so a quote never hides data. */
export function icmpLength(m: IcmpMessage, quotedLength: number): number {
  return ICMP_HEADER_LENGTH + quotedLength + m.dataLength;
}

// Windows ping's payload ("abcdefghijklmnopqrstuvw" repeated): a recognisable fill for echo data.
const ECHO_FILL_FIRST = 0x61;
const ECHO_FILL_SPAN = 23;

export function writeIcmp(m: IcmpMessage, bytes: Uint8Array, off: number, quoted: Uint8Array | null): number {
  const view = viewOf(bytes);
  const quotedLength = quoted ? quoted.length : 0;
  const end = off + icmpLength(m, quotedLength);
  view.setUint8(off, m.type);
  view.setUint8(off + 1, m.code);
  view.setUint16(off + 2, 0);
  // Bytes 4–7 are identifier/sequence for echo and "unused" (zero) for errors, where the record holds zeros.
  view.setUint16(off + 4, m.ident);
  view.setUint16(off + 6, m.seq);
  let p = off + ICMP_HEADER_LENGTH;
  if (quoted) {
    bytes.set(quoted, p);
    p += quoted.length;
  }
  if (isEcho(m.type)) {
    for (let i = 0; p < end; i++, p++) bytes[p] = ECHO_FILL_FIRST + (i % ECHO_FILL_SPAN);
  }
  view.setUint16(off + 2, internetChecksum(bytes, off, end));
  return end;
}

export function icmpTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `Type ${type}`;
}

export function icmpCodeName(type: number, code: number): string | null {
  if (type === 3) return UNREACHABLE_CODES[code] ?? `Code ${code}`;
  if (type === 11) return TIME_EXCEEDED_CODES[code] ?? `Code ${code}`;
  return null;
}

export function icmpSummary(m: IcmpMessage): string {
  const name = icmpTypeName(m.type);
  if (isEcho(m.type)) return `${name} id=${hex(m.ident, 4)}, seq=${m.seq}`;
  const codeName = icmpCodeName(m.type, m.code);
  return codeName ? `${name} (${codeName})` : name;
}

/** Decodes a quoted datagram (header + leading payload bytes); supplied by the IPv4 layer. */
export type QuotedDecoder = (
  bytes: Uint8Array,
  base: number,
) => { record: Ipv4Packet; nodes: DecodeNode[]; length: number } | null;

export function decodeIcmp(bytes: Uint8Array, base: number, decodeQuoted: QuotedDecoder): LayerDecode<IcmpMessage> {
  need(bytes, ICMP_HEADER_LENGTH, 'ICMP');
  const v = viewOf(bytes);
  const problems: string[] = [];
  const type = v.getUint8(0);
  const code = v.getUint8(1);
  const checksum = v.getUint16(2);
  const ok = checksumVerifies(bytes, 0, bytes.length);
  if (!ok) problems.push(`ICMP: bad checksum ${hex(checksum, 4)}`);
  let quoted: Ipv4Packet | null = null;
  let quotedLength = 0;
  const quoteNodes: DecodeNode[] = [];
  if (icmpQuotes(type) && bytes.length > ICMP_HEADER_LENGTH) {
    const q = decodeQuoted(bytes.subarray(ICMP_HEADER_LENGTH), base + ICMP_HEADER_LENGTH);
    if (q) {
      quoted = q.record;
      quotedLength = q.length;
      quoteNodes.push(...q.nodes);
    }
  }
  const record: IcmpMessage = {
    kind: 'icmp',
    type,
    code,
    ident: v.getUint16(4),
    seq: v.getUint16(6),
    dataLength: bytes.length - ICMP_HEADER_LENGTH - quotedLength,
    quoted,
  };
  const codeName = icmpCodeName(type, code);
  const children: DecodeNode[] = [
    field(`Type: ${type} (${icmpTypeName(type)})`, base, 1),
    field(codeName ? `Code: ${code} (${codeName})` : `Code: ${code}`, base + 1, 1),
    field(`Checksum: ${hex(checksum, 4)} [${ok ? 'correct' : 'incorrect'}]`, base + 2, 2),
  ];
  if (isEcho(type)) {
    children.push(field(`Identifier (BE): ${record.ident} (${hex(record.ident, 4)})`, base + 4, 2));
    children.push(field(`Sequence Number (BE): ${record.seq} (${hex(record.seq, 4)})`, base + 6, 2));
  } else {
    children.push(field(`Rest of header: ${hex(v.getUint32(4), 8)}`, base + 4, 4));
  }
  children.push(...quoteNodes);
  if (record.dataLength > 0) {
    children.push(field(`Data (${record.dataLength} bytes)`, base + ICMP_HEADER_LENGTH + quotedLength, record.dataLength));
  }
  return {
    record,
    nodes: [field('Internet Control Message Protocol', base, bytes.length, children)],
    summary: icmpSummary(record),
    protocol: 'ICMP',
    problems,
  };
}
