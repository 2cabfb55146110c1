/** ARP and RARP (RFC 826, RFC 903) for Ethernet hardware and IPv4 protocol addresses. */

import type { ArpPacket } from '../core/packets.ts';
import { ETHERTYPE_RARP } from '../core/packets.ts';
import { formatIpv4 } from '../core/ipv4.ts';
import { formatMac } from '../core/mac.ts';
import { readMac, viewOf, writeMac } from './bytes.ts';
import { field, need, type LayerDecode } from './decode-tree.ts';

export const ARP_LENGTH = 28;

const OPS: Record<number, string> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
};

export function writeArp(p: ArpPacket, view: DataView, off: number): void {
  view.setUint16(off, 1); // hardware type Ethernet
  view.setUint16(off + 2, 0x0800);
  view.setUint8(off + 4, 6);
  view.setUint8(off + 5, 4);
  view.setUint16(off + 6, p.op);
  writeMac(view, off + 8, p.senderMac);
  view.setUint32(off + 14, p.senderIp >>> 0);
  writeMac(view, off + 18, p.targetMac);
  view.setUint32(off + 24, p.targetIp >>> 0);
}

function arpSummary(p: ArpPacket): string {
  const sip = formatIpv4(p.senderIp);
  const tip = formatIpv4(p.targetIp);
  switch (p.op) {
    case 1:
      // Gratuitous ARP: the sender asks for its own address, which announces it (and detects duplicates).
      if (p.senderIp === p.targetIp) return `Gratuitous ARP for ${sip} (Request)`;
      if (p.senderIp === 0) return `Who has ${tip}? (ARP Probe)`;
      return `Who has ${tip}? Tell ${sip}`;
    case 2:
      if (p.senderIp === p.targetIp) return `Gratuitous ARP for ${sip} (Reply)`;
      return `${sip} is at ${formatMac(p.senderMac)}`;
    case 3:
      return `Who is ${formatMac(p.targetMac)}? Tell ${formatMac(p.senderMac)}`;
    case 4:
      return `${formatMac(p.targetMac)} is at ${tip}`;
    default:
      return `ARP opcode ${p.op}`;
  }
}

export function decodeArp(bytes: Uint8Array, base: number, etherType: number): LayerDecode<ArpPacket> {
  const name = etherType === ETHERTYPE_RARP ? 'RARP' : 'ARP';
  need(bytes, ARP_LENGTH, name);
  const v = viewOf(bytes);
  const problems: string[] = [];
  const htype = v.getUint16(0);
  const ptype = v.getUint16(2);
  if (htype !== 1 || ptype !== 0x0800 || v.getUint8(4) !== 6 || v.getUint8(5) !== 4) {
    problems.push(`${name}: not Ethernet/IPv4 (hardware ${htype}, protocol ${ptype.toString(16)})`);
  }
  const record: ArpPacket = {
    kind: 'arp',
    op: v.getUint16(6),
    senderMac: readMac(v, 8),
    senderIp: v.getUint32(14),
    targetMac: readMac(v, 18),
    targetIp: v.getUint32(24),
  };
  const opName = OPS[record.op] ?? 'unknown';
  const title =
    name === 'RARP' ? 'Reverse Address Resolution Protocol' : 'Address Resolution Protocol';
  const nodes = [
    field(`${title} (${opName})`, base, ARP_LENGTH, [
      field(`Hardware type: ${htype === 1 ? 'Ethernet' : 'Unknown'} (${htype})`, base, 2),
      field(`Protocol type: ${ptype === 0x0800 ? 'IPv4' : 'Unknown'} (0x${ptype.toString(16).padStart(4, '0')})`, base + 2, 2),
      field(`Hardware size: ${v.getUint8(4)}`, base + 4, 1),
      field(`Protocol size: ${v.getUint8(5)}`, base + 5, 1),
      field(`Opcode: ${opName} (${record.op})`, base + 6, 2),
      field(`Sender MAC address: ${formatMac(record.senderMac)}`, base + 8, 6),
      field(`Sender IP address: ${formatIpv4(record.senderIp)}`, base + 14, 4),
      field(`Target MAC address: ${formatMac(record.targetMac)}`, base + 18, 6),
      field(`Target IP address: ${formatIpv4(record.targetIp)}`, base + 24, 4),
    ]),
  ];
  return { record, nodes, summary: arpSummary(record), protocol: name, problems };
}
