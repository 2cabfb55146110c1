/**
 * IGMP (RFC 2236 v2, RFC 1112 v1 report, RFC 3376 v3 report). The record's `maxRespTime` is the
 * on-wire code: tenths of a second for v2 queries (100 = 10 s), zero in v1 and in reports.
 *
 * A v3 report is modelled as a single group record "change to exclude {}", i.e. a join of
 * `group`; that is what a host sends when an application joins without source filters.
 */

import type { IgmpMessage } from '../core/packets.ts';
import { formatIpv4 } from '../core/ipv4.ts';
import { checksumVerifies, internetChecksum } from './checksum.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, type DecodeNode, type LayerDecode } from './decode-tree.ts';

export const IGMP_QUERY = 0x11;
export const IGMP_V1_REPORT = 0x12;
export const IGMP_V2_REPORT = 0x16;
export const IGMP_LEAVE = 0x17;
export const IGMP_V3_REPORT = 0x22;

const V3_CHANGE_TO_EXCLUDE = 4;

export function igmpLength(m: IgmpMessage): number {
  return m.type === IGMP_V3_REPORT ? 16 : 8;
}

export function writeIgmp(m: IgmpMessage, bytes: Uint8Array, off: number): number {
  const view = viewOf(bytes);
  const end = off + igmpLength(m);
  bytes.fill(0, off, end);
  view.setUint8(off, m.type);
  if (m.type === IGMP_V3_REPORT) {
    view.setUint16(off + 6, 1);
    view.setUint8(off + 8, V3_CHANGE_TO_EXCLUDE);
    view.setUint32(off + 12, m.group >>> 0);
  } else {
    view.setUint8(off + 1, m.maxRespTime);
    view.setUint32(off + 4, m.group >>> 0);
  }
  view.setUint16(off + 2, internetChecksum(bytes, off, end));
  return end;
}

function version(m: IgmpMessage): number {
  if (m.type === IGMP_V3_REPORT) return 3;
  if (m.type === IGMP_V1_REPORT || (m.type === IGMP_QUERY && m.maxRespTime === 0)) return 1;
  return 2;
}

function typeName(type: number): string {
  switch (type) {
    case IGMP_QUERY:
      return 'Membership Query';
    case IGMP_V1_REPORT:
    case IGMP_V2_REPORT:
    case IGMP_V3_REPORT:
      return 'Membership Report';
    case IGMP_LEAVE:
      return 'Leave Group';
    default:
      return `Unknown type ${hex(type, 2)}`;
  }
}

export function igmpSummary(m: IgmpMessage): string {
  if (m.type === IGMP_QUERY) {
    return m.group === 0 ? 'Membership Query, general' : `Membership Query, specific for group ${formatIpv4(m.group)}`;
  }
  if (m.type === IGMP_V3_REPORT) return `Membership Report / Join group ${formatIpv4(m.group)} for any sources`;
  return `${typeName(m.type)} group ${formatIpv4(m.group)}`;
}

export function decodeIgmp(bytes: Uint8Array, base: number): LayerDecode<IgmpMessage> {
  need(bytes, 8, 'IGMP');
  const v = viewOf(bytes);
  const problems: string[] = [];
  const type = v.getUint8(0);
  const checksum = v.getUint16(2);
  const ok = checksumVerifies(bytes, 0, bytes.length);
  if (!ok) problems.push(`IGMP: bad checksum ${hex(checksum, 4)}`);
  let record: IgmpMessage;
  const children: DecodeNode[] = [field(`Type: ${typeName(type)} (${hex(type, 2)})`, base, 1)];
  if (type === IGMP_V3_REPORT) {
    need(bytes, 16, 'IGMPv3');
    record = { kind: 'igmp', type, maxRespTime: 0, group: v.getUint32(12) };
    children.push(
      field(`Checksum: ${hex(checksum, 4)} [${ok ? 'correct' : 'incorrect'}]`, base + 2, 2),
      field(`Num Group Records: ${v.getUint16(6)}`, base + 6, 2),
      field(`Group Record : ${formatIpv4(record.group)}  Change To Exclude Mode`, base + 8, 8, [
        field(`Record Type: ${v.getUint8(8)}`, base + 8, 1),
        field(`Multicast Address: ${formatIpv4(record.group)}`, base + 12, 4),
      ]),
    );
  } else {
    record = { kind: 'igmp', type, maxRespTime: v.getUint8(1), group: v.getUint32(4) };
    children.push(
      field(`Max Resp Time: ${(record.maxRespTime / 10).toFixed(1)} sec (${hex(record.maxRespTime, 2)})`, base + 1, 1),
      field(`Checksum: ${hex(checksum, 4)} [${ok ? 'correct' : 'incorrect'}]`, base + 2, 2),
      field(`Multicast Address: ${formatIpv4(record.group)}`, base + 4, 4),
    );
  }
  const ver = version(record);
  return {
    record,
    nodes: [field(`Internet Group Management Protocol, Version ${ver}`, base, bytes.length, children)],
    summary: igmpSummary(record),
    protocol: `IGMPv${ver}`,
    problems,
  };
}
