/**
 * One Nexus's side of a vPC domain. The two peers talk over the peer-link (CFS in NX-OS; here
 * the peer's state is read directly while the peer-link is bundled between two switches of the
 * same domain) and check each other's liveness over peer-keepalive on mgmt0.
 *
 * What follows from it:
 * - A vPC port-channel presents the vPC system (MAC 00:23:04:ee:be:<domain>, priority 32667 by
 *   default) and a key derived from the vPC number to its LACP partner, on both peers, so the
 *   partner sees one system and bundles links to both. A port-channel without `vpc N`, or any
 *   port-channel of a switch without a vPC domain, presents the switch's own MAC instead.
 * - vPC member ports stay down until the peer adjacency has formed.
 * - MAC synchronisation: an address learnt on a vPC is installed on the peer, on the peer's own
 *   port-channel of that vPC while it has a live member, else on the peer-link.
 * - Loop prevention: a frame that came over the peer-link does not leave through a vPC whose twin
 *   on the peer is up (the peer delivered it there already).
 * - Peer-link lost while keepalive still hears the peer: the secondary suspends all its vPC
 *   member ports. With the peer silent as well, the secondary carries on (operational primary).
 * - A Type-1 mismatch of a vPC (port mode, LACP mode) keeps it up on the primary and down on the
 *   secondary (graceful consistency check, default since 5.0(2)N2(1)).
 *
 * Keepalive is not sent as UDP frames: the peer counts as alive while both mgmt0 ports have
 * carrier and the peer's mgmt0 address is the configured destination. Timers (1 s interval, 5 s
 * timeout) are therefore not run; a dead peer is known at once.
 */
import type { VpcDomainConfig } from './config.ts';

/** vPC system MAC prefix: 00:23:04:ee:be:<domain id> [V: 0-23-4-ee-be-64 for domain 100 in the N5K operations guide]. */
export const VPC_SYSTEM_MAC_BASE = 0x002304eebe00;
/** LACP key of a vPC port-channel: 0x8000 + vPC number [V: 0x80c8 for vPC 200 in the same example; whether the vPC or port-channel number is used is U]. */
export const VPC_KEY_BASE = 0x8000;

export function vpcSystemMac(domain: number): number {
  return VPC_SYSTEM_MAC_BASE + domain;
}

export type VpcRole = 'primary' | 'secondary' | 'none';

/** What a peer tells the other about itself over CFS. */
export interface VpcPeerView {
  readonly domain: VpcDomainConfig | null;
  readonly systemMac: number;
  /** vPC numbers configured, with whether the port-channel has a live member and its Type-1 parameters. */
  vpcStatus(vpc: number): { up: boolean; mode: string; lacp: string } | null;
}

/** Role election: the lower role priority wins, then the lower system MAC [U: tie-break]. */
export function electRole(mine: { priority: number; mac: number }, peer: { priority: number; mac: number }): VpcRole {
  if (mine.priority !== peer.priority) return mine.priority < peer.priority ? 'primary' : 'secondary';
  return mine.mac < peer.mac ? 'primary' : 'secondary';
}
