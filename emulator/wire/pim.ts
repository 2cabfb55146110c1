/**
 * PIM version 2 (RFC 7761 §4.9): Hello, Register, Register-Stop and Join/Prune, IPv4 only.
 *
 * A Register carries a whole IPv4 datagram and IPv4 dispatches to PIM, so the inner packet's
 * encoder and decoder come in as arguments rather than as an import that would make a cycle.
 */

import type { Ipv4Packet, PimJoinGroup, PimJoinSource, PimMessage } from '../core/packets.ts';
import { PIM_HELLO, PIM_JOIN_PRUNE, PIM_REGISTER, PIM_REGISTER_STOP } from '../core/packets.ts';
import { formatIpv4 } from '../core/ipv4.ts';
import { checksumVerifies, internetChecksum } from './checksum.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, TruncatedError, type DecodeNode, type LayerDecode } from './decode-tree.ts';

export const PIM_HEADER_LENGTH = 4;
/** Hello options (RFC 7761 §4.9.2). */
export const PIM_OPTION_HOLDTIME = 1;
export const PIM_OPTION_DR_PRIORITY = 19;
export const PIM_OPTION_GENERATION_ID = 20;
const HELLO_LENGTH = PIM_HEADER_LENGTH + 6 + 8 + 8;
/** Register: header plus the flags word; the checksum covers only these (§4.9.3). */
const REGISTER_HEAD = 8;
const ENCODED_UNICAST = 6;
const ENCODED_GROUP = 8;
const ENCODED_SOURCE = 8;
const JOIN_PRUNE_HEAD = PIM_HEADER_LENGTH + ENCODED_UNICAST + 4;
const ADDRESS_FAMILY_IPV4 = 1;
const REGISTER_BORDER = 0x80000000;
const REGISTER_NULL = 0x40000000;
const SOURCE_S = 0x04;
const SOURCE_W = 0x02;
const SOURCE_R = 0x01;

export type InnerEncoder = (p: Ipv4Packet) => Uint8Array;
export type InnerDecoder = (bytes: Uint8Array, base: number) => LayerDecode<Ipv4Packet>;

const TYPE_NAMES: Record<number, string> = {
  [PIM_HELLO]: 'Hello',
  [PIM_REGISTER]: 'Register',
  [PIM_REGISTER_STOP]: 'Register-stop',
  [PIM_JOIN_PRUNE]: 'Join/Prune',
};

/** The inner datagram's length; a Null-Register carries a bare header. */
function innerLength(p: Ipv4Packet): number {
  return p.totalLength;
}

export function pimLength(m: PimMessage): number {
  switch (m.type) {
    case PIM_HELLO:
      return HELLO_LENGTH;
    case PIM_REGISTER:
      return REGISTER_HEAD + innerLength(m.inner);
    case PIM_REGISTER_STOP:
      return PIM_HEADER_LENGTH + ENCODED_GROUP + ENCODED_UNICAST;
    case PIM_JOIN_PRUNE:
      return JOIN_PRUNE_HEAD + m.groups.reduce((n, g) => n + ENCODED_GROUP + 4 + ENCODED_SOURCE * (g.joins.length + g.prunes.length), 0);
  }
}

function writeUnicast(view: DataView, off: number, ip: number): number {
  view.setUint8(off, ADDRESS_FAMILY_IPV4);
  view.setUint8(off + 1, 0);
  view.setUint32(off + 2, ip >>> 0);
  return off + ENCODED_UNICAST;
}

function writeGroup(view: DataView, off: number, group: number): number {
  view.setUint8(off, ADDRESS_FAMILY_IPV4);
  view.setUint8(off + 1, 0);
  view.setUint8(off + 2, 0);
  view.setUint8(off + 3, 32);
  view.setUint32(off + 4, group >>> 0);
  return off + ENCODED_GROUP;
}

function writeSource(view: DataView, off: number, s: PimJoinSource): number {
  view.setUint8(off, ADDRESS_FAMILY_IPV4);
  view.setUint8(off + 1, 0);
  view.setUint8(off + 2, SOURCE_S | (s.wildcard ? SOURCE_W : 0) | (s.rpt ? SOURCE_R : 0));
  view.setUint8(off + 3, 32);
  view.setUint32(off + 4, s.address >>> 0);
  return off + ENCODED_SOURCE;
}

export function writePim(m: PimMessage, bytes: Uint8Array, off: number, encodeInner: InnerEncoder): number {
  const view = viewOf(bytes);
  const end = off + pimLength(m);
  bytes.fill(0, off, end);
  view.setUint8(off, 0x20 | m.type);
  let at = off + PIM_HEADER_LENGTH;
  switch (m.type) {
    case PIM_HELLO:
      view.setUint16(at, PIM_OPTION_HOLDTIME);
      view.setUint16(at + 2, 2);
      view.setUint16(at + 4, m.holdtime);
      view.setUint16(at + 6, PIM_OPTION_DR_PRIORITY);
      view.setUint16(at + 8, 4);
      view.setUint32(at + 10, m.drPriority >>> 0);
      view.setUint16(at + 14, PIM_OPTION_GENERATION_ID);
      view.setUint16(at + 16, 4);
      view.setUint32(at + 18, m.generationId >>> 0);
      break;
    case PIM_REGISTER: {
      view.setUint32(at, ((m.border ? REGISTER_BORDER : 0) | (m.nullRegister ? REGISTER_NULL : 0)) >>> 0);
      const inner = encodeInner(m.inner);
      bytes.set(inner.subarray(0, Math.min(inner.length, end - off - REGISTER_HEAD)), off + REGISTER_HEAD);
      view.setUint16(off + 2, internetChecksum(bytes, off, off + REGISTER_HEAD));
      return end;
    }
    case PIM_REGISTER_STOP:
      at = writeGroup(view, at, m.group);
      writeUnicast(view, at, m.source);
      break;
    case PIM_JOIN_PRUNE:
      at = writeUnicast(view, at, m.upstream);
      view.setUint8(at + 1, m.groups.length);
      view.setUint16(at + 2, m.holdtime);
      at += 4;
      for (const g of m.groups) {
        at = writeGroup(view, at, g.group);
        view.setUint16(at, g.joins.length);
        view.setUint16(at + 2, g.prunes.length);
        at += 4;
        for (const s of g.joins) at = writeSource(view, at, s);
        for (const s of g.prunes) at = writeSource(view, at, s);
      }
      break;
  }
  view.setUint16(off + 2, internetChecksum(bytes, off, end));
  return end;
}

export function encodePim(m: PimMessage, encodeInner: InnerEncoder): Uint8Array {
  const bytes = new Uint8Array(pimLength(m));
  writePim(m, bytes, 0, encodeInner);
  return bytes;
}

function sourceText(s: PimJoinSource): string {
  return `${formatIpv4(s.address)}/32 (${['S', s.wildcard ? 'W' : '', s.rpt ? 'R' : ''].join('')})`;
}

export function pimSummary(m: PimMessage): string {
  switch (m.type) {
    case PIM_HELLO:
      return `Hello, holdtime ${m.holdtime}s, DR priority ${m.drPriority}`;
    case PIM_REGISTER:
      return `Register${m.nullRegister ? ' (null)' : ''} ${formatIpv4(m.inner.src)} → ${formatIpv4(m.inner.dst)}`;
    case PIM_REGISTER_STOP:
      return `Register-stop (${formatIpv4(m.source)}, ${formatIpv4(m.group)})`;
    case PIM_JOIN_PRUNE: {
      const parts = m.groups.map((g) => {
        const j = g.joins.map((s) => `join ${sourceText(s)}`);
        const p = g.prunes.map((s) => `prune ${sourceText(s)}`);
        return `${formatIpv4(g.group)}: ${[...j, ...p].join(', ')}`;
      });
      return `Join/Prune to ${formatIpv4(m.upstream)}, ${parts.join('; ')}`;
    }
  }
}

function readUnicast(v: DataView, at: number): number {
  if (v.getUint8(at) !== ADDRESS_FAMILY_IPV4) throw new TruncatedError('PIM (an address family other than IPv4)');
  return v.getUint32(at + 2);
}

function readSource(v: DataView, at: number): PimJoinSource {
  const flags = v.getUint8(at + 2);
  return { address: v.getUint32(at + 4), wildcard: (flags & SOURCE_W) !== 0, rpt: (flags & SOURCE_R) !== 0 };
}

export function decodePim(bytes: Uint8Array, base: number, decodeInner: InnerDecoder): LayerDecode<PimMessage> {
  need(bytes, PIM_HEADER_LENGTH, 'PIM');
  const v = viewOf(bytes);
  const vt = v.getUint8(0);
  const type = vt & 0x0f;
  const checksum = v.getUint16(2);
  const problems: string[] = [];
  if (vt >> 4 !== 2) problems.push(`PIM: version ${vt >> 4}, not 2`);
  const children: DecodeNode[] = [
    field(`${(vt >> 4).toString(2).padStart(4, '0')} .... = Version: ${vt >> 4}`, base, 1),
    field(`.... ${type.toString(2).padStart(4, '0')} = Type: ${TYPE_NAMES[type] ?? 'Unknown'} (${type})`, base, 1),
  ];
  const ok = checksumVerifies(bytes, 0, type === PIM_REGISTER ? Math.min(bytes.length, REGISTER_HEAD) : bytes.length);
  if (!ok) problems.push(`PIM: bad checksum ${hex(checksum, 4)}`);
  children.push(field(`Checksum: ${hex(checksum, 4)} [${ok ? 'correct' : 'incorrect'}]`, base + 2, 2));
  let record: PimMessage;
  let inner: LayerDecode<Ipv4Packet> | null = null;
  switch (type) {
    case PIM_HELLO: {
      const m: PimMessage = { kind: 'pim', type: PIM_HELLO, holdtime: 105, drPriority: 1, generationId: 0 };
      const opts: DecodeNode[] = [];
      for (let at = PIM_HEADER_LENGTH; at + 4 <= bytes.length; ) {
        const t = v.getUint16(at);
        const len = v.getUint16(at + 2);
        need(bytes, at + 4 + len, 'PIM Hello option');
        if (t === PIM_OPTION_HOLDTIME && len === 2) {
          m.holdtime = v.getUint16(at + 4);
          opts.push(field(`Option 1: Hold Time: ${m.holdtime}`, base + at, 4 + len));
        } else if (t === PIM_OPTION_DR_PRIORITY && len === 4) {
          m.drPriority = v.getUint32(at + 4);
          opts.push(field(`Option 19: DR Priority: ${m.drPriority}`, base + at, 4 + len));
        } else if (t === PIM_OPTION_GENERATION_ID && len === 4) {
          m.generationId = v.getUint32(at + 4);
          opts.push(field(`Option 20: Generation ID: ${m.generationId}`, base + at, 4 + len));
        } else opts.push(field(`Option ${t}: ${len} bytes`, base + at, 4 + len));
        at += 4 + len;
      }
      children.push(field('PIM Options', base + PIM_HEADER_LENGTH, bytes.length - PIM_HEADER_LENGTH, opts));
      record = m;
      break;
    }
    case PIM_REGISTER: {
      need(bytes, REGISTER_HEAD, 'PIM Register');
      const flags = v.getUint32(4);
      children.push(field(`Flags: ${hex(flags, 8)}${flags & REGISTER_BORDER ? ', Border' : ''}${flags & REGISTER_NULL ? ', Null-Register' : ''}`, base + 4, 4));
      inner = decodeInner(bytes.subarray(REGISTER_HEAD), base + REGISTER_HEAD);
      record = { kind: 'pim', type: PIM_REGISTER, border: (flags & REGISTER_BORDER) !== 0, nullRegister: (flags & REGISTER_NULL) !== 0, inner: inner.record };
      break;
    }
    case PIM_REGISTER_STOP: {
      need(bytes, PIM_HEADER_LENGTH + ENCODED_GROUP + ENCODED_UNICAST, 'PIM Register-Stop');
      const group = v.getUint32(PIM_HEADER_LENGTH + 4);
      const source = readUnicast(v, PIM_HEADER_LENGTH + ENCODED_GROUP);
      children.push(field(`Group: ${formatIpv4(group)}/32`, base + 4, ENCODED_GROUP), field(`Source: ${formatIpv4(source)}`, base + 4 + ENCODED_GROUP, ENCODED_UNICAST));
      record = { kind: 'pim', type: PIM_REGISTER_STOP, group, source };
      break;
    }
    case PIM_JOIN_PRUNE: {
      need(bytes, JOIN_PRUNE_HEAD, 'PIM Join/Prune');
      const upstream = readUnicast(v, PIM_HEADER_LENGTH);
      const count = v.getUint8(PIM_HEADER_LENGTH + ENCODED_UNICAST + 1);
      const holdtime = v.getUint16(PIM_HEADER_LENGTH + ENCODED_UNICAST + 2);
      children.push(
        field(`Upstream-neighbor: ${formatIpv4(upstream)}`, base + PIM_HEADER_LENGTH, ENCODED_UNICAST),
        field(`Num Groups: ${count}`, base + PIM_HEADER_LENGTH + ENCODED_UNICAST + 1, 1),
        field(`Holdtime: ${holdtime}`, base + PIM_HEADER_LENGTH + ENCODED_UNICAST + 2, 2),
      );
      const groups: PimJoinGroup[] = [];
      let at = JOIN_PRUNE_HEAD;
      for (let i = 0; i < count; i++) {
        need(bytes, at + ENCODED_GROUP + 4, 'PIM Join/Prune group');
        const start = at;
        const g: PimJoinGroup = { group: v.getUint32(at + 4), joins: [], prunes: [] };
        const nj = v.getUint16(at + ENCODED_GROUP);
        const np = v.getUint16(at + ENCODED_GROUP + 2);
        at += ENCODED_GROUP + 4;
        need(bytes, at + ENCODED_SOURCE * (nj + np), 'PIM Join/Prune sources');
        const rows: DecodeNode[] = [];
        for (let k = 0; k < nj + np; k++, at += ENCODED_SOURCE) {
          const s = readSource(v, at);
          (k < nj ? g.joins : g.prunes).push(s);
          rows.push(field(`${k < nj ? 'Join' : 'Prune'} IP address: ${sourceText(s)}`, base + at, ENCODED_SOURCE));
        }
        groups.push(g);
        children.push(field(`Group ${i}: ${formatIpv4(g.group)}/32, ${nj} joins, ${np} prunes`, base + start, at - start, rows));
      }
      record = { kind: 'pim', type: PIM_JOIN_PRUNE, upstream, holdtime, groups };
      break;
    }
    default:
      throw new TruncatedError(`PIM (type ${type} is not modelled)`);
  }
  const nodes = [field('Protocol Independent Multicast', base, type === PIM_REGISTER ? REGISTER_HEAD : bytes.length, children)];
  if (inner !== null) {
    nodes.push(...inner.nodes);
    problems.push(...inner.problems);
  }
  return { record, nodes, summary: pimSummary(record), protocol: 'PIMv2', problems };
}
