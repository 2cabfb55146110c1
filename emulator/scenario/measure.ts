import type { SimTime } from '../run/types.ts';
import type { Probe, ProbeLog } from './target.ts';

/**
 * Loss and outage of a flow, from the record of every probe it sent.
 *
 * A probe's fate, judged at `endNs`:
 * - answered: its answer came within the timeout (rtt ≤ timeoutNs);
 * - lost: no answer within the timeout, and the timeout has run out (sentAt + timeoutNs ≤ endNs).
 *   A late answer is still a loss, as `ping` prints "Request timed out" and ignores it;
 * - pending: neither yet. Measurement stops at the first pending probe: every later probe counts
 *   as pending too, so each counted probe has a settled fate and windows never skip an unknown.
 *
 * Outage window: a maximal run of consecutive lost probes. It starts at the send time of the
 * run's first lost probe and ends at the send time of the probe after the run (the answered one
 * that ended it, or the pending one the measurement stopped at); when no probe follows, one
 * interval after the run's last probe. With probes every T, N lost probes make an N × T outage:
 * what a person watching `ping -t` counts as N "Request timed out" lines, one per interval.
 * A window not ended by an answer is `open`: the flow was still out when measurement stopped.
 */

export interface OutageWindow {
  startNs: SimTime;
  endNs: SimTime;
  /** Probes lost in this window. */
  lost: number;
  /** Not ended by an answered probe. */
  open: boolean;
}

/** The figures a path and a whole flow both come to (and the run report carries). */
export interface ProbeTotals {
  /** Probes with a settled fate: answered + lost. */
  sent: number;
  answered: number;
  lost: number;
  /** Probes whose fate was not settled yet (sent within a timeout of the end). */
  pending: number;
  longestLossRun: number;
  longestOutageNs: SimTime;
  totalOutageNs: SimTime;
}

export interface RttStats {
  minNs: SimTime;
  avgNs: SimTime;
  maxNs: SimTime;
}

export interface ProbeStats extends ProbeTotals {
  windows: OutageWindow[];
  /** Round trip (one-way delay for streams) of answered probes; null when none was answered. */
  rtt: RttStats | null;
}

export interface MeasureOptions {
  timeoutNs: SimTime;
  /** The interval the flow sends at: closes a window no probe follows. */
  everyNs: SimTime;
  /** The time the fates are judged at (the end of the run). */
  endNs: SimTime;
}

type Fate = 'answered' | 'lost' | 'pending';

function fateOf(p: Probe, o: MeasureOptions): Fate {
  if (p.rtt !== null && p.rtt <= o.timeoutNs) return 'answered';
  if (p.sentAt + o.timeoutNs <= o.endNs) return 'lost';
  return 'pending';
}

export function measureProbes(probes: readonly Probe[], o: MeasureOptions): ProbeStats {
  const windows: OutageWindow[] = [];
  let answered = 0;
  let lost = 0;
  let settled = 0;
  let rttMin = Infinity;
  let rttMax = 0;
  let rttSum = 0;
  let runStart = -1;

  const closeRun = (endNs: SimTime, open: boolean, lastIndex: number): void => {
    windows.push({ startNs: probes[runStart].sentAt, endNs, lost: lastIndex - runStart + 1, open });
    runStart = -1;
  };

  for (; settled < probes.length; settled++) {
    const p = probes[settled];
    const fate = fateOf(p, o);
    if (fate === 'pending') break;
    if (fate === 'lost') {
      lost++;
      if (runStart < 0) runStart = settled;
      continue;
    }
    answered++;
    const rtt = p.rtt as SimTime;
    rttMin = Math.min(rttMin, rtt);
    rttMax = Math.max(rttMax, rtt);
    rttSum += rtt;
    if (runStart >= 0) closeRun(p.sentAt, false, settled - 1);
  }
  if (runStart >= 0) {
    const next = probes[settled];
    closeRun(next ? next.sentAt : probes[settled - 1].sentAt + o.everyNs, true, settled - 1);
  }

  let longestLossRun = 0;
  let longestOutageNs = 0;
  let totalOutageNs = 0;
  for (const w of windows) {
    longestLossRun = Math.max(longestLossRun, w.lost);
    longestOutageNs = Math.max(longestOutageNs, w.endNs - w.startNs);
    totalOutageNs += w.endNs - w.startNs;
  }
  return {
    sent: answered + lost,
    answered,
    lost,
    pending: probes.length - settled,
    longestLossRun,
    longestOutageNs,
    totalOutageNs,
    windows,
    rtt: answered ? { minNs: rttMin, avgNs: Math.round(rttSum / answered), maxNs: rttMax } : null,
  };
}

export interface PathStats extends ProbeStats {
  path: string;
}

/**
 * Over every path: `longestOutageNs` is the longest outage of any one path, `totalOutageNs` the
 * time during which at least one path was out (the union of every path's windows).
 */
export interface FlowStats extends ProbeTotals {
  /** Every path's windows, by start time, each naming its path. */
  windows: PathWindow[];
  paths: PathStats[];
}

export type PathWindow = OutageWindow & { path: string };

/** A flow with several paths (multicast receivers, sessions) is out wherever any one path is. */
export function measureFlow(logs: readonly ProbeLog[], o: MeasureOptions): FlowStats {
  const paths = logs.map((l) => ({ path: l.path, ...measureProbes(l.probes, o) }));
  const windows = paths
    .flatMap((p) => p.windows.map((w) => ({ ...w, path: p.path })))
    .sort((a, b) => a.startNs - b.startNs || a.endNs - b.endNs);
  let totalOutageNs = 0;
  let coverEnd = -Infinity;
  for (const w of windows) {
    const from = Math.max(w.startNs, coverEnd);
    if (w.endNs > from) totalOutageNs += w.endNs - from;
    coverEnd = Math.max(coverEnd, w.endNs);
  }
  const sum = (f: (p: PathStats) => number): number => paths.reduce((n, p) => n + f(p), 0);
  const max = (f: (p: PathStats) => number): number => paths.reduce((n, p) => Math.max(n, f(p)), 0);
  return {
    sent: sum((p) => p.sent),
    answered: sum((p) => p.answered),
    lost: sum((p) => p.lost),
    pending: sum((p) => p.pending),
    longestLossRun: max((p) => p.longestLossRun),
    longestOutageNs: max((p) => p.longestOutageNs),
    totalOutageNs,
    windows,
    paths,
  };
}
