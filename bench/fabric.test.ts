import { describe, expect, it } from 'vitest';
import { runWorkload, type Workload } from './fabric.ts';

/**
 * Counts recorded from the real ns-3 3.37 program (../shared/bench/ns3-l2/l2fabric.cc, Debian
 * build, `--link=simple --mode=raw`): `phy_rx_end` is link deliveries, `mac_tx_drop` queue drops,
 * `delivered` frames received by the peer applications.
 */
const NS3: { w: Workload; sent: number; delivered: number; linkDeliveries: number; drops: number }[] = [
  { w: { topo: 'chain', K: 4, H: 16, N: 1600 }, sent: 1600, delivered: 1600, linkDeliveries: 6520, drops: 0 },
  { w: { topo: 'chain', K: 16, H: 16, N: 16000 }, sent: 16000, delivered: 16000, linkDeliveries: 160168, drops: 0 },
  { w: { topo: 'tree', K: 8, H: 64, N: 64000 }, sent: 64000, delivered: 64000, linkDeliveries: 258176, drops: 0 },
  // the learning storm: 512 first frames flooded to 1023 hosts overflow the core's queues
  { w: { topo: 'tree', K: 64, H: 1024, N: 20480 }, sent: 20480, delivered: 20263, linkDeliveries: 423396, drops: 12761 },
];

describe('benchmark workload counts equal ns-3', () => {
  for (const ref of NS3) {
    const name = ref.w.topo === 'tree' ? `tree K=${ref.w.K} H=${ref.w.H} N=${ref.w.N}` : `chain K=${ref.w.K} N=${ref.w.N}`;
    it(name, () => {
      const r = runWorkload(ref.w);
      expect({ sent: r.counts.sent, delivered: r.counts.delivered, linkDeliveries: r.counts.link_deliveries, drops: r.counts.drops }).toEqual({
        sent: ref.sent,
        delivered: ref.delivered,
        linkDeliveries: ref.linkDeliveries,
        drops: ref.drops,
      });
      expect(r.fabric.net.pool.live).toBe(0); // every frame was delivered or dropped, none leaked
    });
  }
});
