/**
 * TCP (RFC 793) headers without options. Only the payload length is modelled, so the payload is
 * zero bytes; the checksum covers the IPv4 pseudo-header as for UDP.
 */

import type { TcpSegment } from '../core/packets.ts';
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from '../core/packets.ts';
import { checksumVerifies, internetChecksum } from './checksum.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, type LayerDecode } from './decode-tree.ts';
import { pseudoHeaderSum } from './udp.ts';

export const TCP_HEADER_LENGTH = 20;

export function tcpLength(s: TcpSegment): number {
  return TCP_HEADER_LENGTH + s.dataLength;
}

const FLAG_NAMES: readonly [number, string][] = [
  [TCP_FIN, 'FIN'],
  [TCP_SYN, 'SYN'],
  [TCP_RST, 'RST'],
  [TCP_PSH, 'PSH'],
  [TCP_ACK, 'ACK'],
];

/** Flags as a capture tool lists them: "SYN, ACK". */
export function tcpFlagNames(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  return names.length > 0 ? names.join(', ') : '<None>';
}

export function writeTcp(s: TcpSegment, bytes: Uint8Array, off: number, src: number, dst: number): number {
  const view = viewOf(bytes);
  const length = tcpLength(s);
  view.setUint16(off, s.srcPort);
  view.setUint16(off + 2, s.dstPort);
  view.setUint32(off + 4, s.seq >>> 0);
  view.setUint32(off + 8, s.ack >>> 0);
  view.setUint8(off + 12, (TCP_HEADER_LENGTH / 4) << 4);
  view.setUint8(off + 13, s.flags & 0x3f);
  view.setUint16(off + 14, s.window);
  view.setUint16(off + 16, 0);
  view.setUint16(off + 18, 0); // urgent pointer
  bytes.fill(0, off + TCP_HEADER_LENGTH, off + length);
  view.setUint16(off + 16, internetChecksum(bytes, off, off + length, pseudoHeaderSum(src, dst, IPPROTO_TCP, length)));
  return off + length;
}

/** `bytes` is the IP payload (header and data); `src`/`dst` feed the pseudo-header. */
export function decodeTcp(bytes: Uint8Array, base: number, src: number, dst: number): LayerDecode<TcpSegment> {
  need(bytes, TCP_HEADER_LENGTH, 'TCP');
  const v = viewOf(bytes);
  const problems: string[] = [];
  const headerLength = (v.getUint8(12) >> 4) * 4;
  if (headerLength < TCP_HEADER_LENGTH || headerLength > bytes.length) problems.push(`TCP: header length ${headerLength} does not fit the segment (${bytes.length})`);
  const hl = Math.min(Math.max(headerLength, TCP_HEADER_LENGTH), bytes.length);
  const checksum = v.getUint16(16);
  const ok = checksumVerifies(bytes, 0, bytes.length, pseudoHeaderSum(src, dst, IPPROTO_TCP, bytes.length));
  if (!ok) problems.push(`TCP: bad checksum ${hex(checksum, 4)}`);
  const record: TcpSegment = {
    kind: 'tcp',
    srcPort: v.getUint16(0),
    dstPort: v.getUint16(2),
    seq: v.getUint32(4),
    ack: v.getUint32(8),
    flags: v.getUint8(13) & 0x3f,
    window: v.getUint16(14),
    dataLength: bytes.length - hl,
  };
  const flagText = tcpFlagNames(record.flags);
  const nodes = [
    field(
      `Transmission Control Protocol, Src Port: ${record.srcPort}, Dst Port: ${record.dstPort}, Seq: ${record.seq}, Ack: ${record.ack}, Len: ${record.dataLength}`,
      base,
      bytes.length,
      [
        field(`Source Port: ${record.srcPort}`, base, 2),
        field(`Destination Port: ${record.dstPort}`, base + 2, 2),
        field(`Sequence Number: ${record.seq}`, base + 4, 4),
        field(`Acknowledgment Number: ${record.ack}`, base + 8, 4),
        field(`Header Length: ${headerLength} bytes (${headerLength / 4})`, base + 12, 1),
        field(`Flags: ${hex(record.flags, 3)} (${flagText})`, base + 13, 1),
        field(`Window: ${record.window}`, base + 14, 2),
        field(`Checksum: ${hex(checksum, 4)} [${ok ? 'correct' : 'incorrect'}]`, base + 16, 2),
        field(`Urgent Pointer: ${v.getUint16(18)}`, base + 18, 2),
        ...(record.dataLength > 0 ? [field(`TCP payload (${record.dataLength} bytes)`, base + hl, record.dataLength)] : []),
      ],
    ),
  ];
  return {
    record,
    nodes,
    summary: `${record.srcPort} → ${record.dstPort} [${flagText}] Seq=${record.seq} Ack=${record.ack} Win=${record.window} Len=${record.dataLength}`,
    protocol: 'TCP',
    problems,
  };
}
