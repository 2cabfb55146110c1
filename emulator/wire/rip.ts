/**
 * RIP version 2 (RFC 2453 §4): the message a RIP speaker sends as the data of a UDP datagram on
 * port 520, its byte encoding and its decode tree. The engine carries the message record as the
 * datagram's `data`; bytes are made only when a frame is captured or shown.
 */

import { formatIpv4 } from '../core/ipv4.ts';
import { hex, viewOf } from './bytes.ts';
import { field, type DecodeNode } from './decode-tree.ts';

export const RIP_PORT = 520;
/** RIPv2 routers' group, 224.0.0.9 (RFC 2453 §4.5). */
export const RIP_GROUP = 0xe0000009;
export const RIP_REQUEST = 1;
export const RIP_RESPONSE = 2;
export const RIP_INFINITY = 16;
export const RIP_HEADER_LENGTH = 4;
export const RIP_ENTRY_LENGTH = 20;
/** At most 25 route entries fit one message (RFC 2453 §3.6). */
export const RIP_MAX_ENTRIES = 25;
const AF_INET = 2;

export interface RipEntry {
  /** Address family: 2 for IP, 0 in a request for the whole table. */
  afi: number;
  tag: number;
  prefix: number;
  mask: number;
  /** 0: route via the sender. */
  nextHop: number;
  metric: number;
}

export interface RipMessage {
  readonly kind: 'rip';
  command: typeof RIP_REQUEST | typeof RIP_RESPONSE;
  version: number;
  entries: RipEntry[];
}

export function isRipMessage(x: unknown): x is RipMessage {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'rip';
}

export function ripLength(m: RipMessage): number {
  return RIP_HEADER_LENGTH + RIP_ENTRY_LENGTH * m.entries.length;
}

/** A request for the neighbour's whole table (RFC 2453 §3.9.1): one entry, family 0, metric 16. */
export function wholeTableRequest(): RipMessage {
  return { kind: 'rip', command: RIP_REQUEST, version: 2, entries: [{ afi: 0, tag: 0, prefix: 0, mask: 0, nextHop: 0, metric: RIP_INFINITY }] };
}

export function writeRip(m: RipMessage, bytes: Uint8Array, off: number): number {
  const v = viewOf(bytes);
  v.setUint8(off, m.command);
  v.setUint8(off + 1, m.version);
  v.setUint16(off + 2, 0);
  let at = off + RIP_HEADER_LENGTH;
  for (const e of m.entries) {
    v.setUint16(at, e.afi);
    v.setUint16(at + 2, e.tag);
    v.setUint32(at + 4, e.prefix >>> 0);
    v.setUint32(at + 8, e.mask >>> 0);
    v.setUint32(at + 12, e.nextHop >>> 0);
    v.setUint32(at + 16, e.metric);
    at += RIP_ENTRY_LENGTH;
  }
  return at;
}

export interface RipDecode {
  message: RipMessage;
  nodes: DecodeNode[];
  summary: string;
  problems: string[];
}

/** Reads a message from the datagram's data; null when it is too short to be one. */
export function decodeRip(bytes: Uint8Array, base: number): RipDecode | null {
  if (bytes.length < RIP_HEADER_LENGTH) return null;
  const v = viewOf(bytes);
  const command = v.getUint8(0);
  const version = v.getUint8(1);
  const problems: string[] = [];
  if (command !== RIP_REQUEST && command !== RIP_RESPONSE) problems.push(`RIP: unknown command ${command}`);
  const count = Math.floor((bytes.length - RIP_HEADER_LENGTH) / RIP_ENTRY_LENGTH);
  if ((bytes.length - RIP_HEADER_LENGTH) % RIP_ENTRY_LENGTH !== 0) problems.push(`RIP: ${bytes.length - RIP_HEADER_LENGTH} bytes of entries is not a whole number of 20-byte entries`);
  const entries: RipEntry[] = [];
  const entryNodes: DecodeNode[] = [];
  for (let i = 0; i < count; i++) {
    const at = RIP_HEADER_LENGTH + i * RIP_ENTRY_LENGTH;
    const e: RipEntry = {
      afi: v.getUint16(at),
      tag: v.getUint16(at + 2),
      prefix: v.getUint32(at + 4),
      mask: v.getUint32(at + 8),
      nextHop: v.getUint32(at + 12),
      metric: v.getUint32(at + 16),
    };
    entries.push(e);
    const o = base + at;
    entryNodes.push(
      field(e.afi === 0 ? `Address not specified, Metric: ${e.metric}` : `IP Address: ${formatIpv4(e.prefix)}, Metric: ${e.metric}`, o, RIP_ENTRY_LENGTH, [
        field(`Address Family: ${e.afi === AF_INET ? 'IP' : 'Unspecified'} (${e.afi})`, o, 2),
        field(`Route Tag: ${e.tag}`, o + 2, 2),
        field(`IP Address: ${formatIpv4(e.prefix)}`, o + 4, 4),
        field(`Netmask: ${formatIpv4(e.mask)}`, o + 8, 4),
        field(`Next Hop: ${formatIpv4(e.nextHop)}`, o + 12, 4),
        field(`Metric: ${e.metric}`, o + 16, 4),
      ]),
    );
  }
  const name = command === RIP_REQUEST ? 'Request' : command === RIP_RESPONSE ? 'Response' : `Unknown (${command})`;
  const message: RipMessage = { kind: 'rip', command: command === RIP_REQUEST ? RIP_REQUEST : RIP_RESPONSE, version, entries };
  const nodes = [
    field(`Routing Information Protocol`, base, RIP_HEADER_LENGTH + count * RIP_ENTRY_LENGTH, [
      field(`Command: ${name} (${command})`, base, 1),
      field(`Version: RIPv${version} (${version})`, base + 1, 1),
      field(`Reserved: ${hex(v.getUint16(2), 4)}`, base + 2, 2),
      ...entryNodes,
    ]),
  ];
  return { message, nodes, summary: `RIPv${version} ${name}`, problems };
}
