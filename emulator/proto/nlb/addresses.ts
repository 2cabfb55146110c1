/**
 * The addresses an NLB cluster uses, all derived from the primary cluster IP (the VIP, a.b.c.d)
 * by the formulas in DOMAIN.md §1.2 and §1.3:
 * - unicast cluster MAC 02-BF-a-b-c-d, multicast 03-BF-a-b-c-d;
 * - IGMP multicast group 239.255.c.d and its RFC 1112 MAC 01-00-5E-7F-c-d;
 * - the masked source MAC of unicast mode, 02-h-a-b-c-d with h the host priority (host ID).
 */
import { formatMac } from '../../core/mac.ts';

export type NlbMode = 'unicast' | 'multicast' | 'igmp-multicast';

export const NLB_MODES: readonly NlbMode[] = ['unicast', 'multicast', 'igmp-multicast'];

const TWO32 = 4294967296;

/** 02-BF-a-b-c-d */
export function unicastClusterMac(vip: number): number {
  return 0x02bf * TWO32 + (vip >>> 0);
}

/** 03-BF-a-b-c-d */
export function multicastClusterMac(vip: number): number {
  return 0x03bf * TWO32 + (vip >>> 0);
}

/** 239.255.c.d: the administratively scoped group of IGMP multicast mode (MS-KB283028). */
export function igmpClusterGroup(vip: number): number {
  return ((239 << 24) | (255 << 16) | (vip & 0xffff)) >>> 0;
}

/** 01-00-5E-7F-c-d: the standard IPv4 multicast MAC of 239.255.c.d. */
export function igmpClusterMac(vip: number): number {
  return 0x01005e7f0000 + (vip & 0xffff);
}

/** 02-h-a-b-c-d: the source MAC a unicast-mode host puts on every frame it sends (MaskSourceMAC). */
export function maskedSourceMac(hostId: number, vip: number): number {
  return (0x0200 + (hostId & 0xff)) * TWO32 + (vip >>> 0);
}

/** The MAC the cluster's traffic is addressed to in a mode. */
export function clusterMac(mode: NlbMode, vip: number): number {
  switch (mode) {
    case 'unicast':
      return unicastClusterMac(vip);
    case 'multicast':
      return multicastClusterMac(vip);
    case 'igmp-multicast':
      return igmpClusterMac(vip);
  }
}

/** Windows' spelling of a MAC: lower-case hex octets joined by dashes, as nlb.exe prints them. */
export function nlbMacText(mac: number): string {
  return formatMac(mac, '-');
}
