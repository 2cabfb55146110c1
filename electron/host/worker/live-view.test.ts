import { describe, expect, it } from 'vitest';
import type { FlowReport } from '../../../emulator/scenario/report.ts';
import { flowLive, LinkSampler } from './live-view.ts';

describe('live link loads', () => {
  it('reads load from the busier direction since the last sample, and down links as down', () => {
    const s = new LinkSampler();
    const gig = 1e9;
    expect(s.sample([{ up: true, octetsAB: 0, octetsBA: 0, rateBps: gig }], 0)).toEqual([{ up: true, load: 0, bps: 0 }]);
    // 62.5 MB one way in one second is half a gigabit.
    const [busy] = s.sample([{ up: true, octetsAB: 62_500_000, octetsBA: 1000, rateBps: gig }], 1e9);
    expect(busy).toEqual({ up: true, load: 0.5, bps: 500_000_000 });
    const [quiet] = s.sample([{ up: false, octetsAB: 62_500_000, octetsBA: 1000, rateBps: gig }], 2e9);
    expect(quiet).toEqual({ up: false, load: 0, bps: 0 });
  });
});

describe('live flow strips', () => {
  it('places each outage window on the probes it lost', () => {
    const f = {
      id: 'vip', kind: 'ping', text: 'a → b', startNs: 1e9, sent: 50, answered: 40, lost: 10, pending: 1,
      longestLossRun: 6, longestOutageNs: 1.2e9, totalOutageNs: 2e9, rtt: null, paths: [],
      windows: [
        { path: 'vip', startNs: 3e9, endNs: 3.8e9, lost: 4, open: false },
        { path: 'vip', startNs: 5e9, endNs: 6.2e9, lost: 6, open: false },
      ],
    } satisfies FlowReport;
    expect(flowLive(f, 200e6).lossRuns).toEqual([[10, 4], [20, 6]]);
    expect(flowLive(f, 0).lossRuns).toEqual([]);
  });
});
