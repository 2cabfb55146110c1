/**
 * Ethernet II frames with an optional 802.1Q tag: the bytes a capture shows for a frame record
 * (no preamble, no FCS), and the record and detail tree read back from such bytes.
 *
 * Encoding happens only when a frame is captured or shown, never on the forwarding path.
 */

import type { FramePayload } from '../core/packets.ts';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_BENCH,
  ETHERTYPE_IPV4,
  ETHERTYPE_MPLS,
  ETHERTYPE_NLB,
  ETHERTYPE_RARP,
  ETHERTYPE_SLOW,
  ETHERTYPE_VLAN,
} from '../core/packets.ts';
import { formatMac } from '../core/mac.ts';
import { ARP_LENGTH, decodeArp, writeArp } from './arp.ts';
import { hex, readMac, viewOf, writeMac } from './bytes.ts';
import { field, TruncatedError, type DecodeNode, type LayerDecode } from './decode-tree.ts';
import { decodeIpv4, ipv4Length, writeIpv4 } from './ipv4.ts';
import { decodeLacp, LACPDU_LENGTH, writeLacp } from './lacp.ts';
import { decodeMpls, mplsLength, writeMpls } from './mpls.ts';
import { decodeNlbHeartbeat, NLB_HEARTBEAT_LENGTH, writeNlbHeartbeat } from './nlb.ts';
import { decodeOpaque, writeOpaque } from './opaque.ts';

/** What the wire layer needs of a frame; the engine's frame objects have these fields. */
export interface FrameView {
  dst: number;
  src: number;
  /** 802.1Q VLAN id; 0 means the frame is untagged. */
  vlan: number;
  /** 802.1p priority, meaningful only when tagged. */
  pcp: number;
  /** The EtherType of the payload (after the tag when tagged). */
  etherType: number;
  /** Bytes from destination MAC through FCS, tag included (the engine's serialisation size). */
  size: number;
  payload: FramePayload | null;
}

export const ETHERNET_HEADER_LENGTH = 14;
export const VLAN_TAG_LENGTH = 4;
export const FCS_LENGTH = 4;
/** The Ethernet minimum frame, FCS included. */
export const ETHERNET_MIN_SIZE = 64;

export function payloadWireLength(payload: FramePayload | null): number {
  if (payload === null) return 0;
  switch (payload.kind) {
    case 'arp':
      return ARP_LENGTH;
    case 'ipv4':
      return ipv4Length(payload);
    case 'lacp':
      return LACPDU_LENGTH;
    case 'nlb-heartbeat':
      return NLB_HEARTBEAT_LENGTH;
    case 'opaque':
      return payload.length;
    case 'mpls':
      return mplsLength(payload);
  }
}

/** The `size` of a frame carrying `payload`: header, tag, payload, padding to the minimum, FCS. */
export function wireSize(payload: FramePayload | null, tagged: boolean): number {
  const natural = ETHERNET_HEADER_LENGTH + (tagged ? VLAN_TAG_LENGTH : 0) + payloadWireLength(payload) + FCS_LENGTH;
  return Math.max(natural, ETHERNET_MIN_SIZE);
}

function writePayload(payload: FramePayload, bytes: Uint8Array, off: number): void {
  switch (payload.kind) {
    case 'arp':
      writeArp(payload, viewOf(bytes), off);
      return;
    case 'ipv4':
      writeIpv4(payload, bytes, off);
      return;
    case 'lacp':
      writeLacp(payload, bytes, off);
      return;
    case 'nlb-heartbeat':
      writeNlbHeartbeat(payload, bytes, off);
      return;
    case 'opaque':
      writeOpaque(payload, bytes, off);
      return;
    case 'mpls':
      writeMpls(payload, bytes, off);
      return;
  }
}

/**
 * The frame's bytes as a capture holds them: `size` less the FCS, or more when the payload needs
 * more room (a record whose size is understated still encodes completely); padding is zeros.
 */
export function encodeFrame(frame: FrameView): Uint8Array {
  const tagged = frame.vlan !== 0;
  const bytes = new Uint8Array(Math.max(frame.size, wireSize(frame.payload, tagged)) - FCS_LENGTH);
  const view = viewOf(bytes);
  writeMac(view, 0, frame.dst);
  writeMac(view, 6, frame.src);
  let off = 12;
  if (tagged) {
    view.setUint16(off, ETHERTYPE_VLAN);
    view.setUint16(off + 2, ((frame.pcp & 7) << 13) | (frame.vlan & 0x0fff));
    off += VLAN_TAG_LENGTH;
  }
  view.setUint16(off, frame.etherType);
  off += 2;
  if (frame.payload) writePayload(frame.payload, bytes, off);
  return bytes;
}

export interface DecodedFrame {
  frame: FrameView;
  /** Top-level protocol layers in order (Ethernet II, 802.1Q, IPv4, ICMP, …). */
  tree: DecodeNode[];
  summary: string;
  protocol: string;
  /** Bad checksums, truncation, malformed fields; empty for a clean frame. */
  problems: string[];
}

const ETHERTYPE_NAMES: Record<number, string> = {
  [ETHERTYPE_IPV4]: 'IPv4',
  [ETHERTYPE_ARP]: 'ARP',
  [ETHERTYPE_RARP]: 'RARP',
  [ETHERTYPE_VLAN]: '802.1Q Virtual LAN',
  [ETHERTYPE_SLOW]: 'Slow-Protocols',
  [ETHERTYPE_NLB]: 'MS NLB heartbeat',
  [ETHERTYPE_BENCH]: 'Local Experimental Ethertype 1',
  [ETHERTYPE_MPLS]: 'MPLS label switched packet',
};

function etherTypeText(type: number): string {
  const name = ETHERTYPE_NAMES[type];
  return name ? `${name} (${hex(type, 4)})` : hex(type, 4);
}

function decodePayload(etherType: number, body: Uint8Array, base: number): LayerDecode<FramePayload> {
  const opaque = (): LayerDecode<FramePayload> => decodeOpaque(body, base, 'Data', etherType === ETHERTYPE_BENCH ? 'ETH-EXP' : hex(etherType, 4));
  switch (etherType) {
    case ETHERTYPE_ARP:
    case ETHERTYPE_RARP:
      return decodeArp(body, base, etherType);
    case ETHERTYPE_IPV4:
      return decodeIpv4(body, base);
    case ETHERTYPE_SLOW:
      return decodeLacp(body, base) ?? opaque();
    case ETHERTYPE_NLB:
      return decodeNlbHeartbeat(body, base) ?? opaque();
    case ETHERTYPE_MPLS:
      return decodeMpls(body, base);
    default:
      return opaque();
  }
}

/** Body bytes a decoded payload accounts for; the rest of the frame is Ethernet padding. */
function consumed(payload: FramePayload, bodyLength: number): number {
  switch (payload.kind) {
    case 'arp':
      return ARP_LENGTH;
    case 'ipv4':
      return Math.min(bodyLength, Math.max(payload.totalLength, 20));
    case 'lacp':
      return Math.min(bodyLength, LACPDU_LENGTH);
    case 'nlb-heartbeat':
      return Math.min(bodyLength, NLB_HEARTBEAT_LENGTH);
    case 'opaque':
      return bodyLength;
    case 'mpls':
      return Math.min(bodyLength, 4 * payload.labels.length + Math.max(payload.inner.totalLength, 20));
  }
}

/**
 * Reads a frame as captured (no FCS; the record's `size` adds it back). Never throws: a frame too
 * short or malformed decodes as far as it goes, with its problems listed.
 */
export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const problems: string[] = [];
  if (bytes.length < ETHERNET_HEADER_LENGTH) {
    return {
      frame: { dst: 0, src: 0, vlan: 0, pcp: 0, etherType: 0, size: bytes.length + FCS_LENGTH, payload: null },
      tree: [field(`Truncated frame (${bytes.length} bytes)`, 0, bytes.length)],
      summary: `Truncated frame (${bytes.length} bytes)`,
      protocol: 'Ethernet',
      problems: ['Ethernet: frame shorter than its header'],
    };
  }
  const view = viewOf(bytes);
  const dst = readMac(view, 0);
  const src = readMac(view, 6);
  let etherType = view.getUint16(12);
  let vlan = 0;
  let pcp = 0;
  let off = 14;
  const ethChildren: DecodeNode[] = [
    field(`Destination: ${formatMac(dst)}`, 0, 6),
    field(`Source: ${formatMac(src)}`, 6, 6),
  ];
  const tree: DecodeNode[] = [];
  if (etherType === ETHERTYPE_VLAN && bytes.length >= ETHERNET_HEADER_LENGTH + VLAN_TAG_LENGTH) {
    ethChildren.push(field(`Type: ${etherTypeText(etherType)}`, 12, 2));
    const tci = view.getUint16(14);
    pcp = tci >> 13;
    vlan = tci & 0x0fff;
    const dei = (tci >> 12) & 1;
    etherType = view.getUint16(16);
    off = 18;
    tree.push(field(`Ethernet II, Src: ${formatMac(src)}, Dst: ${formatMac(dst)}`, 0, 14, ethChildren));
    tree.push(
      field(`802.1Q Virtual LAN, PRI: ${pcp}, DEI: ${dei}, ID: ${vlan}`, 14, 4, [
        field(`Priority: ${pcp}`, 14, 1),
        field(`DEI: ${dei}`, 14, 1),
        field(`ID: ${vlan}`, 14, 2),
        field(`Type: ${etherTypeText(etherType)}`, 16, 2),
      ]),
    );
  } else {
    ethChildren.push(field(`Type: ${etherTypeText(etherType)}`, 12, 2));
    tree.push(field(`Ethernet II, Src: ${formatMac(src)}, Dst: ${formatMac(dst)}`, 0, 14, ethChildren));
  }
  const body = bytes.subarray(off);
  let layer: LayerDecode<FramePayload>;
  try {
    layer = decodePayload(etherType, body, off);
  } catch (e) {
    // Decoders check their fixed fields' lengths; a RangeError would be a check they missed.
    if (!(e instanceof TruncatedError) && !(e instanceof RangeError)) throw e;
    problems.push(e instanceof TruncatedError ? e.message : `${hex(etherType, 4)}: malformed`);
    layer = decodeOpaque(body, off, 'Malformed data', hex(etherType, 4));
  }
  tree.push(...layer.nodes);
  const used = consumed(layer.record, body.length);
  if (used < body.length) tree.push(field(`Padding (${body.length - used} bytes)`, off + used, body.length - used));
  problems.push(...layer.problems);
  return {
    frame: { dst, src, vlan, pcp, etherType, size: bytes.length + FCS_LENGTH, payload: layer.record },
    tree,
    summary: layer.summary,
    protocol: layer.protocol,
    problems,
  };
}
