/**
 * LACPDU (IEEE 802.1AX-2014 §6.4.2): the Slow Protocols payload after the EtherType, always 110
 * bytes: subtype and version, Actor and Partner Information TLVs (20 bytes each), the Collector
 * Information TLV (16 bytes), the Terminator TLV and 50 reserved bytes.
 */

import type { LacpInfo, LacpPdu } from '../core/packets.ts';
import {
  LACP_ACTIVITY,
  LACP_AGGREGATION,
  LACP_COLLECTING,
  LACP_DEFAULTED,
  LACP_DISTRIBUTING,
  LACP_EXPIRED,
  LACP_SYNC,
  LACP_TIMEOUT,
} from '../core/packets.ts';
import { formatMac } from '../core/mac.ts';
import { hex, readMac, viewOf, writeMac } from './bytes.ts';
import { field, need, type DecodeNode, type LayerDecode } from './decode-tree.ts';

export const LACPDU_LENGTH = 110;
/** Slow Protocols multicast address, the destination of every LACPDU. */
export const SLOW_PROTOCOLS_MAC = 0x0180c2000002;
export const SLOW_SUBTYPE_LACP = 1;
const LACP_VERSION = 1;

const TLV_ACTOR = 1;
const TLV_PARTNER = 2;
const TLV_COLLECTOR = 3;
const INFO_TLV_LENGTH = 20;
const COLLECTOR_TLV_LENGTH = 16;

const ACTOR_AT = 2;
const PARTNER_AT = ACTOR_AT + INFO_TLV_LENGTH;
const COLLECTOR_AT = PARTNER_AT + INFO_TLV_LENGTH;
const TERMINATOR_AT = COLLECTOR_AT + COLLECTOR_TLV_LENGTH;

function writeInfo(view: DataView, at: number, type: number, info: LacpInfo): void {
  view.setUint8(at, type);
  view.setUint8(at + 1, INFO_TLV_LENGTH);
  view.setUint16(at + 2, info.systemPriority);
  writeMac(view, at + 4, info.system);
  view.setUint16(at + 10, info.key);
  view.setUint16(at + 12, info.portPriority);
  view.setUint16(at + 14, info.port);
  view.setUint8(at + 16, info.state);
}

export function writeLacp(p: LacpPdu, bytes: Uint8Array, off: number): number {
  const view = viewOf(bytes);
  bytes.fill(0, off, off + LACPDU_LENGTH);
  view.setUint8(off, SLOW_SUBTYPE_LACP);
  view.setUint8(off + 1, LACP_VERSION);
  writeInfo(view, off + ACTOR_AT, TLV_ACTOR, p.actor);
  writeInfo(view, off + PARTNER_AT, TLV_PARTNER, p.partner);
  view.setUint8(off + COLLECTOR_AT, TLV_COLLECTOR);
  view.setUint8(off + COLLECTOR_AT + 1, COLLECTOR_TLV_LENGTH);
  view.setUint16(off + COLLECTOR_AT + 2, p.collectorMaxDelay);
  // Terminator TLV (type 0, length 0) and the reserved tail are already zero.
  return off + LACPDU_LENGTH;
}

const STATE_BITS: [number, string][] = [
  [LACP_ACTIVITY, 'Activity'],
  [LACP_TIMEOUT, 'Timeout'],
  [LACP_AGGREGATION, 'Aggregation'],
  [LACP_SYNC, 'Synchronization'],
  [LACP_COLLECTING, 'Collecting'],
  [LACP_DISTRIBUTING, 'Distributing'],
  [LACP_DEFAULTED, 'Defaulted'],
  [LACP_EXPIRED, 'Expired'],
];

export function lacpStateText(state: number): string {
  const set = STATE_BITS.filter(([bit]) => state & bit).map(([, name]) => name);
  return set.length > 0 ? set.join(', ') : 'none';
}

function readInfo(view: DataView, at: number): LacpInfo {
  return {
    systemPriority: view.getUint16(at + 2),
    system: readMac(view, at + 4),
    key: view.getUint16(at + 10),
    portPriority: view.getUint16(at + 12),
    port: view.getUint16(at + 14),
    state: view.getUint8(at + 16),
  };
}

function infoNodes(role: string, info: LacpInfo, base: number): DecodeNode[] {
  return [
    field(`TLV Type: ${role} Information (${role === 'Actor' ? TLV_ACTOR : TLV_PARTNER})`, base, 1),
    field(`TLV Length: ${INFO_TLV_LENGTH}`, base + 1, 1),
    field(`${role} System Priority: ${info.systemPriority}`, base + 2, 2),
    field(`${role} System: ${formatMac(info.system)}`, base + 4, 6),
    field(`${role} Key: ${info.key}`, base + 10, 2),
    field(`${role} Port Priority: ${info.portPriority}`, base + 12, 2),
    field(`${role} Port: ${info.port}`, base + 14, 2),
    field(`${role} State: ${hex(info.state, 2)} (${lacpStateText(info.state)})`, base + 16, 1),
    field('Reserved', base + 17, 3),
  ];
}

/** Returns null when the Slow Protocols subtype is not LACP (e.g. the Marker protocol). */
export function decodeLacp(bytes: Uint8Array, base: number): LayerDecode<LacpPdu> | null {
  need(bytes, 1, 'Slow Protocols');
  if (bytes[0] !== SLOW_SUBTYPE_LACP) return null;
  need(bytes, TERMINATOR_AT + 2, 'LACP');
  const v = viewOf(bytes);
  const problems: string[] = [];
  if (v.getUint8(ACTOR_AT) !== TLV_ACTOR || v.getUint8(PARTNER_AT) !== TLV_PARTNER || v.getUint8(COLLECTOR_AT) !== TLV_COLLECTOR) {
    problems.push('LACP: TLVs out of order');
  }
  const record: LacpPdu = {
    kind: 'lacp',
    actor: readInfo(v, ACTOR_AT),
    partner: readInfo(v, PARTNER_AT),
    collectorMaxDelay: v.getUint16(COLLECTOR_AT + 2),
  };
  const length = Math.min(bytes.length, LACPDU_LENGTH);
  const nodes = [
    field('Slow Protocols', base, 1, [field('Slow Protocols subtype: LACP (0x01)', base, 1)]),
    field('Link Aggregation Control Protocol', base + 1, length - 1, [
      field(`LACP Version: ${hex(v.getUint8(1), 2)}`, base + 1, 1),
      field(`Actor Information, Port ${record.actor.port}`, base + ACTOR_AT, INFO_TLV_LENGTH, infoNodes('Actor', record.actor, base + ACTOR_AT)),
      field(`Partner Information, Port ${record.partner.port}`, base + PARTNER_AT, INFO_TLV_LENGTH, infoNodes('Partner', record.partner, base + PARTNER_AT)),
      field('Collector Information', base + COLLECTOR_AT, COLLECTOR_TLV_LENGTH, [
        field(`TLV Type: Collector Information (${TLV_COLLECTOR})`, base + COLLECTOR_AT, 1),
        field(`TLV Length: ${COLLECTOR_TLV_LENGTH}`, base + COLLECTOR_AT + 1, 1),
        field(`Collector Max Delay: ${record.collectorMaxDelay}`, base + COLLECTOR_AT + 2, 2),
      ]),
      field('Terminator', base + TERMINATOR_AT, 2),
      ...(length > TERMINATOR_AT + 2 ? [field(`Reserved (${length - TERMINATOR_AT - 2} bytes)`, base + TERMINATOR_AT + 2, length - TERMINATOR_AT - 2)] : []),
    ]),
  ];
  const summary =
    `Actor Port = ${record.actor.port} Partner Port = ${record.partner.port}` +
    ` (actor key ${record.actor.key}, state ${hex(record.actor.state, 2)}; partner ${formatMac(record.partner.system)} key ${record.partner.key})`;
  return { record, nodes, summary, protocol: 'LACP', problems };
}
