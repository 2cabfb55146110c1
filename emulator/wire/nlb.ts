/**
 * Windows NLB heartbeat (EtherType 0x886F). Microsoft has not published the format; LabBox uses
 * the layout that Wireshark's "MS NLB" dissector reads, so captures decode there too:
 *
 *   off  len  field (integers little-endian, addresses network order)
 *     0    4  signature 0xC0DE01BF (cluster membership heartbeat)
 *     4    4  version (LabBox writes 2.0)
 *     8    4  unique host id                      <- hostId
 *    12    4  cluster IP                          <- clusterIp
 *    16    4  dedicated IP                        <- dedicatedIp
 *    20    2  my host id                          <- hostId
 *    22    2  default host id                     (not modelled: 0)
 *    24    2  convergence state                   <- converging: 1, converged: 2
 *    26    2  number of port rules                (LabBox: 1)
 *    28    4  unique host code, 32: packets handled, 36: teaming config, 40: reserved (0)
 *    44  132  port rule codes, 33 × 4             <- rulesHash in the first slot
 *   176 1056  current/new/idle/ready maps, 4 × 33 × 8 (0)
 *  1232  264  load weights and reserved, 2 × 33 × 4 (0)
 *  1496       end: with the Ethernet header a heartbeat is a 1510-byte frame, matching the
 *             "about 1500 bytes" observed on real clusters.
 *
 * The convergence-state values and the single rule code standing for the whole rule set are
 * LabBox's model: a mismatched code between hosts is what keeps a real cluster from converging.
 */

import type { NlbHeartbeat } from '../core/packets.ts';
import { formatIpv4 } from '../core/ipv4.ts';
import { hex, viewOf } from './bytes.ts';
import { field, need, type LayerDecode } from './decode-tree.ts';

export const NLB_HEARTBEAT_LENGTH = 1496;
export const NLB_MEMBERSHIP_SIGNATURE = 0xc0de01bf;
const NLB_VERSION = 0x0200;
const STATE_CONVERGING = 1;
const STATE_CONVERGED = 2;
const RULE_CODES_AT = 44;
const FIELDS_END = RULE_CODES_AT + 4;

export function writeNlbHeartbeat(h: NlbHeartbeat, bytes: Uint8Array, off: number): number {
  const view = viewOf(bytes);
  bytes.fill(0, off, off + NLB_HEARTBEAT_LENGTH);
  view.setUint32(off, NLB_MEMBERSHIP_SIGNATURE, true);
  view.setUint32(off + 4, NLB_VERSION, true);
  view.setUint32(off + 8, h.hostId, true);
  view.setUint32(off + 12, h.clusterIp >>> 0);
  view.setUint32(off + 16, h.dedicatedIp >>> 0);
  view.setUint16(off + 20, h.hostId, true);
  view.setUint16(off + 24, h.converging ? STATE_CONVERGING : STATE_CONVERGED, true);
  view.setUint16(off + 26, 1, true);
  view.setUint32(off + RULE_CODES_AT, h.rulesHash >>> 0, true);
  return off + NLB_HEARTBEAT_LENGTH;
}

/** Returns null for other NLB messages (extended heartbeats, remote control) or too-short frames. */
export function decodeNlbHeartbeat(bytes: Uint8Array, base: number): LayerDecode<NlbHeartbeat> | null {
  if (bytes.length < 4 || viewOf(bytes).getUint32(0, true) !== NLB_MEMBERSHIP_SIGNATURE) return null;
  need(bytes, FIELDS_END, 'MS NLB');
  const v = viewOf(bytes);
  const state = v.getUint16(24, true);
  const record: NlbHeartbeat = {
    kind: 'nlb-heartbeat',
    clusterIp: v.getUint32(12),
    hostId: v.getUint32(8, true),
    dedicatedIp: v.getUint32(16),
    converging: state === STATE_CONVERGING,
    rulesHash: v.getUint32(RULE_CODES_AT, true),
  };
  const version = v.getUint32(4, true);
  const length = Math.min(bytes.length, NLB_HEARTBEAT_LENGTH);
  const nodes = [
    field('MS NLB (Windows Network Load Balancing heartbeat)', base, length, [
      field(`Signature: ${hex(NLB_MEMBERSHIP_SIGNATURE, 8)} (NLB Cluster Membership HeartBeat)`, base, 4),
      field(`Version: ${(version >> 8) & 0xff}.${version & 0xff}`, base + 4, 4),
      field(`Unique Host ID: ${record.hostId}`, base + 8, 4),
      field(`Cluster IP: ${formatIpv4(record.clusterIp)}`, base + 12, 4),
      field(`Host IP: ${formatIpv4(record.dedicatedIp)}`, base + 16, 4),
      field(`My Host id: ${v.getUint16(20, true)}`, base + 20, 2),
      field(`Convergence State: ${state} (${record.converging ? 'converging' : 'converged'})`, base + 24, 2),
      field(`Number of Port Rules: ${v.getUint16(26, true)}`, base + 26, 2),
      field(`Port rule code: ${hex(record.rulesHash, 8)}`, base + RULE_CODES_AT, 4),
    ]),
  ];
  return {
    record,
    nodes,
    summary: `MS NLB heartbeat host ${record.hostId} (${formatIpv4(record.dedicatedIp)}) cluster ${formatIpv4(record.clusterIp)}${record.converging ? ', converging' : ''}`,
    protocol: 'MS NLB',
    problems: [],
  };
}
