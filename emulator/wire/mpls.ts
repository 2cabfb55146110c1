/**
 * MPLS label stacks (RFC 3032): four bytes per entry — label (20 bits), traffic class (3), bottom
 * of stack (1), TTL (8) — outermost first, then the IPv4 datagram the bottom entry carries.
 * Label 3 (implicit null) is only ever advertised, never encoded: the hop before the egress pops.
 */

import type { MplsLabelEntry, MplsPacket } from '../core/packets.ts';
import { viewOf } from './bytes.ts';
import { field, need, TruncatedError, type DecodeNode, type LayerDecode } from './decode-tree.ts';
import { decodeIpv4, ipv4Length, writeIpv4 } from './ipv4.ts';

export const MPLS_ENTRY_LENGTH = 4;
export const LABEL_IPV4_EXPLICIT_NULL = 0;
export const LABEL_IMPLICIT_NULL = 3;
/** Labels below 16 are reserved (RFC 3032 §2.1); a router allocates from here up. */
export const FIRST_UNRESERVED_LABEL = 16;
export const MAX_LABEL = 0xfffff;

export function mplsLength(p: MplsPacket): number {
  return MPLS_ENTRY_LENGTH * p.labels.length + ipv4Length(p.inner);
}

export function writeMpls(p: MplsPacket, bytes: Uint8Array, off: number): number {
  const v = viewOf(bytes);
  p.labels.forEach((e, i) => {
    const bottom = i === p.labels.length - 1 ? 1 : 0;
    v.setUint32(off + i * MPLS_ENTRY_LENGTH, (((e.label & MAX_LABEL) << 12) | ((e.tc & 7) << 9) | (bottom << 8) | (e.ttl & 0xff)) >>> 0);
  });
  return writeIpv4(p.inner, bytes, off + MPLS_ENTRY_LENGTH * p.labels.length);
}

export function encodeMpls(p: MplsPacket): Uint8Array {
  const bytes = new Uint8Array(mplsLength(p));
  writeMpls(p, bytes, 0);
  return bytes;
}

/** Reads entries up to the bottom of stack, then the IPv4 datagram beneath. */
export function decodeMpls(bytes: Uint8Array, base: number): LayerDecode<MplsPacket> {
  const v = viewOf(bytes);
  const labels: MplsLabelEntry[] = [];
  const nodes: DecodeNode[] = [];
  let off = 0;
  for (;;) {
    need(bytes, off + MPLS_ENTRY_LENGTH, 'MPLS');
    const word = v.getUint32(off);
    const e: MplsLabelEntry = { label: word >>> 12, tc: (word >>> 9) & 7, ttl: word & 0xff };
    const bottom = (word >>> 8) & 1;
    labels.push(e);
    nodes.push(
      field(`MultiProtocol Label Switching Header, Label: ${e.label}, Exp: ${e.tc}, S: ${bottom}, TTL: ${e.ttl}`, base + off, MPLS_ENTRY_LENGTH, [
        field(`MPLS Label: ${e.label}`, base + off, 3),
        field(`MPLS Experimental Bits: ${e.tc}`, base + off + 2, 1),
        field(`MPLS Bottom Of Label Stack: ${bottom}`, base + off + 2, 1),
        field(`MPLS TTL: ${e.ttl}`, base + off + 3, 1),
      ]),
    );
    off += MPLS_ENTRY_LENGTH;
    if (bottom === 1) break;
    if (labels.length > 16) throw new TruncatedError('MPLS label stack (no bottom of stack)');
  }
  const inner = decodeIpv4(bytes.subarray(off), base + off);
  const stack = labels.map((l) => l.label).join('/');
  return {
    record: { kind: 'mpls', labels, inner: inner.record },
    nodes: [...nodes, ...inner.nodes],
    summary: `[MPLS ${stack}] ${inner.summary}`,
    protocol: inner.protocol,
    problems: inner.problems,
  };
}
