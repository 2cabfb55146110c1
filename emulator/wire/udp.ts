/**
 * UDP (RFC 768). Only the payload length is modelled, so the payload is zero bytes unless it is a
 * RIP message (wire/rip.ts) or a DNS message (wire/dns.ts), which a capture must show; the checksum
 * covers the IPv4 pseudo-header (source, destination, protocol, UDP length) as the RFC requires.
 */

import type { UdpDatagram } from '../core/packets.ts';
import { IPPROTO_UDP } from '../core/packets.ts';
import { checksumVerifies, internetChecksum } from './checksum.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, type LayerDecode } from './decode-tree.ts';
import { decodeRip, isRipMessage, RIP_PORT, writeRip } from './rip.ts';
import { decodeDns, DNS_PORT, isDnsMessage, writeDns } from './dns.ts';

export const UDP_HEADER_LENGTH = 8;

export function udpLength(d: UdpDatagram): number {
  return UDP_HEADER_LENGTH + d.dataLength;
}

/** Sum of the pseudo-header's 16-bit words, the starting value for the UDP checksum. */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}

export function writeUdp(d: UdpDatagram, bytes: Uint8Array, off: number, src: number, dst: number): number {
  const view = viewOf(bytes);
  const length = udpLength(d);
  view.setUint16(off, d.srcPort);
  view.setUint16(off + 2, d.dstPort);
  view.setUint16(off + 4, length);
  view.setUint16(off + 6, 0);
  bytes.fill(0, off + UDP_HEADER_LENGTH, off + length);
  if (isRipMessage(d.data)) writeRip(d.data, bytes, off + UDP_HEADER_LENGTH);
  else if (isDnsMessage(d.data)) writeDns(d.data, bytes, off + UDP_HEADER_LENGTH);
  const sum = internetChecksum(bytes, off, off + length, pseudoHeaderSum(src, dst, IPPROTO_UDP, length));
  // A computed zero is sent as all ones: zero on the wire means "no checksum".
  view.setUint16(off + 6, sum === 0 ? 0xffff : sum);
  return off + length;
}

/**
 * `data` (an in-memory application record) never reaches the wire, so a decoded datagram has
 * `data: null`, except a RIP message between ports 520 or a DNS message to or from port 53, which is read back into `data`.
 */
export function decodeUdp(bytes: Uint8Array, base: number, src: number, dst: number): LayerDecode<UdpDatagram> {
  need(bytes, UDP_HEADER_LENGTH, 'UDP');
  const v = viewOf(bytes);
  const problems: string[] = [];
  const length = v.getUint16(4);
  const checksum = v.getUint16(6);
  const covered = Math.min(length, bytes.length);
  if (length < UDP_HEADER_LENGTH || length > bytes.length) problems.push(`UDP: length ${length} does not fit the datagram (${bytes.length})`);
  let status = 'not present';
  if (checksum !== 0) {
    const ok = checksumVerifies(bytes, 0, covered, pseudoHeaderSum(src, dst, IPPROTO_UDP, length));
    status = ok ? 'correct' : 'incorrect';
    if (!ok) problems.push(`UDP: bad checksum ${hex(checksum, 4)}`);
  }
  const record: UdpDatagram = {
    kind: 'udp',
    srcPort: v.getUint16(0),
    dstPort: v.getUint16(2),
    dataLength: Math.max(0, covered - UDP_HEADER_LENGTH),
    data: null,
  };
  const rip = record.srcPort === RIP_PORT && record.dstPort === RIP_PORT ? decodeRip(bytes.subarray(UDP_HEADER_LENGTH, covered), base + UDP_HEADER_LENGTH) : null;
  if (rip !== null) {
    record.data = rip.message;
    problems.push(...rip.problems);
  }
  const dns = rip === null && (record.srcPort === DNS_PORT || record.dstPort === DNS_PORT) ? decodeDns(bytes.subarray(UDP_HEADER_LENGTH, covered), base + UDP_HEADER_LENGTH) : null;
  if (dns !== null) {
    record.data = dns.message;
    problems.push(...dns.problems);
  }
  const app = rip ?? dns;
  const nodes = [
    field(`User Datagram Protocol, Src Port: ${record.srcPort}, Dst Port: ${record.dstPort}`, base, covered, [
      field(`Source Port: ${record.srcPort}`, base, 2),
      field(`Destination Port: ${record.dstPort}`, base + 2, 2),
      field(`Length: ${length}`, base + 4, 2),
      field(`Checksum: ${hex(checksum, 4)} [${status}]`, base + 6, 2),
      ...(record.dataLength > 0 && app === null ? [field(`Data (${record.dataLength} bytes)`, base + UDP_HEADER_LENGTH, record.dataLength)] : []),
    ]),
    ...(app?.nodes ?? []),
  ];
  return {
    record,
    nodes,
    summary: app?.summary ?? `${record.srcPort} → ${record.dstPort} Len=${record.dataLength}`,
    protocol: rip !== null ? 'RIPv2' : dns !== null ? 'DNS' : 'UDP',
    problems,
  };
}
