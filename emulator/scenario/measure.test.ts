import { describe, expect, it } from 'vitest';
import { measureFlow, measureProbes } from './measure.ts';
import type { Probe } from './target.ts';

const S = 1_000_000_000;
const MS = 1_000_000;

/** A `ping -t` log written as a strip: one character a second, `.` answered (rtt 2ms), `x` no answer. */
function strip(pattern: string, everyNs = S): Probe[] {
  return [...pattern].map((c, i) => ({ sentAt: i * everyNs, rtt: c === '.' ? 2 * MS : null }));
}

describe('measureProbes', () => {
  it('reports no outage when every probe is answered, with the round-trip times', () => {
    const m = measureProbes(strip('..........'), { timeoutNs: S, everyNs: S, endNs: 20 * S });
    expect(m).toMatchObject({ sent: 10, answered: 10, lost: 0, pending: 0, longestLossRun: 0, longestOutageNs: 0, totalOutageNs: 0, windows: [] });
    expect(m.rtt).toEqual({ minNs: 2 * MS, avgNs: 2 * MS, maxNs: 2 * MS });
  });

  it('counts an outage from the first lost probe to the next answered one, as many seconds as timeout lines', () => {
    const m = measureProbes(strip('...xxx....'), { timeoutNs: S, everyNs: S, endNs: 20 * S });
    expect(m.lost).toBe(3);
    expect(m.longestLossRun).toBe(3);
    expect(m.windows).toEqual([{ startNs: 3 * S, endNs: 6 * S, lost: 3, open: false }]);
    expect(m.longestOutageNs).toBe(3 * S);
  });

  it('a single lost probe is one interval of outage', () => {
    const m = measureProbes(strip('....x.....', 500 * MS), { timeoutNs: S, everyNs: 500 * MS, endNs: 20 * S });
    expect(m.windows).toEqual([{ startNs: 2 * S, endNs: 2.5 * S, lost: 1, open: false }]);
  });

  it('measures loss at the very start of the run (an unresolved ARP, say) from the first probe', () => {
    const m = measureProbes(strip('xx........'), { timeoutNs: S, everyNs: S, endNs: 20 * S });
    expect(m.windows).toEqual([{ startNs: 0, endNs: 2 * S, lost: 2, open: false }]);
  });

  it('keeps loss at the end of the run as an open window, one interval past the last lost probe', () => {
    const m = measureProbes(strip('.......xxx'), { timeoutNs: S, everyNs: S, endNs: 10 * S });
    expect(m.windows).toEqual([{ startNs: 7 * S, endNs: 10 * S, lost: 3, open: true }]);
    expect(m.longestOutageNs).toBe(3 * S);
  });

  it('sums several windows and reports the longest one separately', () => {
    const m = measureProbes(strip('.x..xxx..xx.'), { timeoutNs: S, everyNs: S, endNs: 20 * S });
    expect(m.windows.map((w) => [w.startNs / S, w.endNs / S, w.lost])).toEqual([
      [1, 2, 1],
      [4, 7, 3],
      [9, 11, 2],
    ]);
    expect(m.longestOutageNs).toBe(3 * S);
    expect(m.totalOutageNs).toBe(6 * S);
    expect(m.longestLossRun).toBe(3);
    expect(m.sent).toBe(12);
    expect(m.lost).toBe(6);
  });

  it('counts a late answer as lost, as ping prints "Request timed out" and ignores it', () => {
    const probes: Probe[] = [
      { sentAt: 0, rtt: MS },
      { sentAt: S, rtt: 5 * S },
      { sentAt: 2 * S, rtt: MS },
    ];
    const m = measureProbes(probes, { timeoutNs: 4 * S, everyNs: S, endNs: 60 * S });
    expect(m.lost).toBe(1);
    expect(m.windows).toEqual([{ startNs: S, endNs: 2 * S, lost: 1, open: false }]);
  });

  it('leaves probes whose timeout has not run out as pending, and stops measuring at the first of them', () => {
    // End at 10s with a 4s timeout: a silent probe sent at 6s is lost (6 + 4 ≤ 10), one sent at 7s is not decided yet.
    const probes = strip('......xxxx');
    probes[8].rtt = 2 * MS; // answered, but after an undecided probe: not counted yet
    const m = measureProbes(probes, { timeoutNs: 4 * S, everyNs: S, endNs: 10 * S });
    expect(m).toMatchObject({ sent: 7, answered: 6, lost: 1, pending: 3 });
    expect(m.windows).toEqual([{ startNs: 6 * S, endNs: 7 * S, lost: 1, open: true }]);
  });

  it('reports nothing for an empty log', () => {
    expect(measureProbes([], { timeoutNs: S, everyNs: S, endNs: S })).toMatchObject({ sent: 0, lost: 0, windows: [], rtt: null });
  });
});

describe('measureFlow', () => {
  it('adds up paths, takes the longest outage of any one, and counts time any path was out once', () => {
    const m = measureFlow(
      [
        { path: 'rx1', probes: strip('..xxx.....') },
        { path: 'rx2', probes: strip('....xx.x..') },
      ],
      { timeoutNs: S, everyNs: S, endNs: 20 * S },
    );
    expect(m.sent).toBe(20);
    expect(m.lost).toBe(6);
    expect(m.longestOutageNs).toBe(3 * S);
    // rx1 out 2–5s, rx2 out 4–6s and 7–8s: some receiver was out 2–6s and 7–8s.
    expect(m.totalOutageNs).toBe(5 * S);
    expect(m.windows.map((w) => `${w.path}@${w.startNs / S}`)).toEqual(['rx1@2', 'rx2@4', 'rx2@7']);
    expect(m.paths.map((p) => p.lost)).toEqual([3, 3]);
  });
});
