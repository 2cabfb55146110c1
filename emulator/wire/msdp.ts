/**
 * MSDP messages (RFC 3618 §12): the TLVs two RPs exchange over their TCP connection on port 639.
 * Only IPv4 Source-Active (without an encapsulated data packet) and KeepAlive are modelled.
 */

import { formatIpv4 } from '../core/ipv4.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, TruncatedError, type DecodeNode, type LayerDecode } from './decode-tree.ts';

export const MSDP_TCP_PORT = 639;
export const MSDP_SOURCE_ACTIVE = 1;
export const MSDP_KEEPALIVE = 4;
const SA_HEAD = 8;
const SA_ENTRY = 12;
const KEEPALIVE_LENGTH = 3;

export interface MsdpSaEntry {
  source: number;
  group: number;
}

/** Source-Active: the RP named in `rp` has these active sources registered with it. */
export interface MsdpSourceActive {
  readonly type: typeof MSDP_SOURCE_ACTIVE;
  rp: number;
  entries: MsdpSaEntry[];
}

export interface MsdpKeepAlive {
  readonly type: typeof MSDP_KEEPALIVE;
}

export type MsdpMessage = MsdpSourceActive | MsdpKeepAlive;

export function msdpLength(m: MsdpMessage): number {
  return m.type === MSDP_SOURCE_ACTIVE ? SA_HEAD + SA_ENTRY * m.entries.length : KEEPALIVE_LENGTH;
}

export function encodeMsdp(m: MsdpMessage): Uint8Array {
  const bytes = new Uint8Array(msdpLength(m));
  const v = viewOf(bytes);
  v.setUint8(0, m.type);
  v.setUint16(1, bytes.length);
  if (m.type === MSDP_SOURCE_ACTIVE) {
    v.setUint8(3, m.entries.length);
    v.setUint32(4, m.rp >>> 0);
    m.entries.forEach((e, i) => {
      const at = SA_HEAD + i * SA_ENTRY;
      v.setUint8(at + 3, 32);
      v.setUint32(at + 4, e.group >>> 0);
      v.setUint32(at + 8, e.source >>> 0);
    });
  }
  return bytes;
}

export function msdpSummary(m: MsdpMessage): string {
  if (m.type === MSDP_KEEPALIVE) return 'KeepAlive';
  return `IPv4 Source-Active, RP ${formatIpv4(m.rp)}: ${m.entries.map((e) => `(${formatIpv4(e.source)}, ${formatIpv4(e.group)})`).join(', ')}`;
}

/** One TLV from the start of `bytes`; `length` is how many bytes it took. */
export function decodeMsdp(bytes: Uint8Array, base: number): LayerDecode<MsdpMessage> & { length: number } {
  need(bytes, 3, 'MSDP');
  const v = viewOf(bytes);
  const type = v.getUint8(0);
  const length = v.getUint16(1);
  need(bytes, length, 'MSDP TLV');
  const children: DecodeNode[] = [field(`Type: ${type === MSDP_SOURCE_ACTIVE ? 'IPv4 Source-Active' : type === MSDP_KEEPALIVE ? 'KeepAlive' : 'Unknown'} (${type})`, base, 1), field(`Length: ${length}`, base + 1, 2)];
  let record: MsdpMessage;
  if (type === MSDP_KEEPALIVE) {
    record = { type: MSDP_KEEPALIVE };
  } else if (type === MSDP_SOURCE_ACTIVE) {
    need(bytes, SA_HEAD, 'MSDP Source-Active');
    const count = v.getUint8(3);
    if (length < SA_HEAD + SA_ENTRY * count) throw new TruncatedError('MSDP Source-Active entries');
    const rp = v.getUint32(4);
    children.push(field(`Entry Count: ${count}`, base + 3, 1), field(`RP Address: ${formatIpv4(rp)}`, base + 4, 4));
    const entries: MsdpSaEntry[] = [];
    for (let i = 0; i < count; i++) {
      const at = SA_HEAD + i * SA_ENTRY;
      const e = { group: v.getUint32(at + 4), source: v.getUint32(at + 8) };
      entries.push(e);
      children.push(field(`(S,G) block: ${formatIpv4(e.source)}/${v.getUint8(at + 3)} -> ${formatIpv4(e.group)}`, base + at, SA_ENTRY));
    }
    record = { type: MSDP_SOURCE_ACTIVE, rp, entries };
  } else throw new TruncatedError(`MSDP (type ${hex(type, 2)} is not modelled)`);
  return {
    record,
    length,
    nodes: [field('Multicast Source Discovery Protocol', base, length, children)],
    summary: msdpSummary(record),
    protocol: 'MSDP',
    problems: [],
  };
}
