/**
 * Payloads whose contents are not modelled (benchmark traffic, TCP, PIM, unknown EtherTypes): the
 * bytes are zeros of the modelled length, except that a non-zero `tag` is written as a big-endian
 * uint32 in the first four bytes so probes stay identifiable in a capture.
 */

import type { OpaquePayload } from '../core/packets.ts';
import { viewOf } from './bytes.ts';
import { field, type LayerDecode } from './decode-tree.ts';

const TAG_LENGTH = 4;

export function writeOpaque(p: OpaquePayload, bytes: Uint8Array, off: number): number {
  const end = off + p.length;
  bytes.fill(0, off, end);
  if (p.length >= TAG_LENGTH) viewOf(bytes).setUint32(off, p.tag >>> 0);
  return end;
}

export function decodeOpaque(bytes: Uint8Array, base: number, label: string, protocol: string): LayerDecode<OpaquePayload> {
  const tag = bytes.length >= TAG_LENGTH ? viewOf(bytes).getUint32(0) : 0;
  const record: OpaquePayload = { kind: 'opaque', length: bytes.length, tag };
  const children = tag !== 0 ? [field(`Tag: ${tag}`, base, TAG_LENGTH)] : undefined;
  return {
    record,
    nodes: [field(`${label} (${bytes.length} bytes)`, base, bytes.length, children)],
    summary: tag !== 0 ? `${label}, ${bytes.length} bytes, tag ${tag}` : `${label}, ${bytes.length} bytes`,
    protocol,
    problems: [],
  };
}
