import type { ExpectationLive, FlowLive, LinkLive, ScenarioLive } from '../contract.ts';
import type { LinkState } from '../../../emulator/run/types.ts';
import type { FlowReport, RunReport as ScenarioReport } from '../../../emulator/scenario/report.ts';

/** A strip chart draws at most this many loss runs per flow; older ones scroll out of view anyway. */
const MAX_LOSS_RUNS = 2000;

/**
 * Turns cumulative octet counters into a load per link. Each sample compares with the previous
 * one, so the figure is the average since then: a short burst shows for one sample, not forever.
 */
export class LinkSampler {
  private last: LinkState[] | null = null;
  private lastNs = 0;

  sample(states: readonly LinkState[], nowNs: number): LinkLive[] {
    const prev = this.last;
    const dtNs = nowNs - this.lastNs;
    const out = states.map((s, i) => {
      const p = prev?.[i];
      if (!p || dtNs <= 0) return { up: s.up, load: 0, bps: 0 };
      const octets = Math.max(s.octetsAB - p.octetsAB, s.octetsBA - p.octetsBA, 0);
      const bps = (octets * 8 * 1e9) / dtNs;
      return { up: s.up, load: s.rateBps > 0 ? Math.min(1, bps / s.rateBps) : 0, bps: Math.round(bps) };
    });
    // Simulated time that did not move (paused) keeps the last figures rather than zeroing them.
    if (prev === null || dtNs > 0) {
      this.last = states.map((s) => ({ ...s }));
      this.lastNs = nowNs;
    }
    return out;
  }
}

/** Where each lost probe sits in the flow's sequence, from the report's outage windows. */
export function flowLive(f: FlowReport, everyNs: number): FlowLive {
  const runs: [number, number][] = [];
  if (everyNs > 0) {
    for (const w of f.windows) runs.push([Math.max(0, Math.round((w.startNs - f.startNs) / everyNs)), w.lost]);
    runs.sort((a, b) => a[0] - b[0]);
  }
  const live: FlowLive = {
    id: f.id,
    text: f.text,
    kind: f.kind,
    startNs: f.startNs,
    everyNs,
    sent: f.sent,
    answered: f.answered,
    lost: f.lost,
    pending: f.pending,
    longestOutageNs: f.longestOutageNs,
    totalOutageNs: f.totalOutageNs,
    lossRuns: runs.length > MAX_LOSS_RUNS ? runs.slice(runs.length - MAX_LOSS_RUNS) : runs,
  };
  if (f.error !== undefined) live.error = f.error;
  return live;
}

/** The parts of a report so far that change while a scenario runs; the timeline travels as events. */
export function scenarioLive(report: ScenarioReport, everyNs: ReadonlyMap<string, number>): ScenarioLive {
  const expectations: ExpectationLive[] = report.expectations.map((e) => ({
    index: e.index,
    name: e.name,
    // Before the end an expectation the run has not reached reads as skipped; it is only waiting.
    status: !report.complete && e.status === 'skipped' ? 'pending' : e.status,
    expected: e.expected,
    measured: !report.complete && e.status === 'skipped' ? '' : e.measured,
    atNs: e.atNs,
  }));
  return {
    flows: report.flows.map((f) => flowLive(f, everyNs.get(f.id) ?? 0)),
    expectations,
    problems: report.problems.length,
  };
}
