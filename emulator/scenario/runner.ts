import type { RunEvent, SimTime } from '../run/types.ts';
import { DEFAULT_PING_SIZE } from './compile.ts';
import type { CompiledExpectation, CompiledFlow, CompiledScenario, CompiledStep, StepAction } from './compile.ts';
import { measureFlow } from './measure.ts';
import type { FlowStats } from './measure.ts';
import { MAX_MATCHED_TEXT, compilePattern } from './pattern.ts';
import { REPORT_FORMAT } from './report.ts';
import type { CheckStatus, ExpectationResult, FlowReport, RunReport, StepProblem, TimelineEntry } from './report.ts';
import type { FlowHandle, ScenarioTarget } from './target.ts';
import { formatDuration, plural } from './words.ts';

/**
 * Runs a compiled scenario against a target: starts its flows, carries out its steps and takes
 * its readings at their times, and keeps the timeline. It owns the clock only in the sense that
 * it tells the target how far to run; the host drives it with `advance`, in as many slices as it
 * likes (a UI stepping, a CLI running to the end), and gets the same run either way.
 *
 * Order at one instant: readings first, then steps (in the order written), then flow and probe
 * starts. A check `at: 10s` therefore sees the network as it was when 10s arrived, and a step at
 * 10s acts on it afterwards; a ping starting at 10s already meets the step's effect.
 */

/** Network events kept in the report's timeline; scenario entries are always kept. */
export const MAX_TIMELINE_EVENTS = 10_000;
const MAX_DETAIL = 4000;

/** Flow bounds are decided in the final phase: after everything else at the end. */
const Phase = { Read: 0, Act: 1, Start: 2, Final: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

interface AgendaItem {
  t: SimTime;
  phase: Phase;
  seq: number;
  run: () => void;
}

export interface ScenarioRunInfo {
  /** The lab's name, for the report. */
  lab: string;
  seed: number;
}

export class ScenarioRun {
  private readonly agenda: AgendaItem[] = [];
  private next = 0;
  private readonly flows = new Map<string, { flow: CompiledFlow; handle: FlowHandle | null; error?: string }>();
  private readonly results = new Map<number, ExpectationResult>();
  private readonly problems: StepProblem[] = [];
  private readonly timeline: TimelineEntry[] = [];
  private networkEvents = 0;
  private timelineOmitted = 0;
  private readonly captureIds = new Map<string, string>();
  private pendingEvents: RunEvent[] = [];
  private finished = false;

  constructor(
    readonly scenario: CompiledScenario,
    private readonly target: ScenarioTarget,
    private readonly info: ScenarioRunInfo,
  ) {
    for (const f of scenario.flows) this.plan(f.startNs, Phase.Start, () => this.startFlow(f));
    for (const s of scenario.steps) this.plan(s.atNs, Phase.Act, () => this.act(s));
    for (const e of scenario.expectations) this.planExpectation(e);
    this.plan(scenario.endNs, Phase.Final, () => this.finish());
    this.agenda.sort((a, b) => a.t - b.t || a.phase - b.phase || a.seq - b.seq);
  }

  get endNs(): SimTime {
    return this.scenario.endNs;
  }

  /** The run reached its end: every step acted and every expectation was decided. */
  get done(): boolean {
    return this.finished;
  }

  /**
   * Runs until `untilNs` (at most the end), acting on everything due on the way. Returns the
   * network's notable events and the scenario's own entries, in time order.
   */
  advance(untilNs: SimTime): RunEvent[] {
    const until = Math.min(untilNs, this.endNs);
    while (this.next < this.agenda.length && this.agenda[this.next].t <= until) {
      const item = this.agenda[this.next++];
      this.runNetwork(Math.max(item.t, this.target.now()));
      item.run();
    }
    // Also when the last action fell right on `until`: what it set off in that instant belongs to this slice.
    this.runNetwork(Math.max(until, this.target.now()));
    const out = this.pendingEvents;
    this.pendingEvents = [];
    return out;
  }

  /** When the scenario next acts (a flow start, a step, a check or its end); null once all is done. */
  nextActionAt(): SimTime | null {
    return this.next < this.agenda.length ? this.agenda[this.next].t : null;
  }

  runToEnd(): RunEvent[] {
    return this.advance(this.endNs);
  }

  report(): RunReport {
    const now = this.target.now();
    const expectations = this.scenario.expectations.map(
      (e) =>
        this.results.get(e.index) ?? {
          index: e.index,
          name: e.name,
          kind: e.kind,
          atNs: decisionTime(e, this.endNs),
          status: 'skipped' as const,
          expected: e.expected,
          measured: `not decided: the run stopped at ${formatDuration(now)}`,
        },
    );
    const flows = this.scenario.flows.map((f) => this.flowReport(f, now));
    const outages: TimelineEntry[] = flows.flatMap((f) =>
      f.windows.map((w) => ({
        atNs: w.startNs,
        kind: 'flow.outage',
        text: `${f.id}${w.path === f.id ? '' : ` (${w.path})`}: ${plural(w.lost, 'probe')} lost, out ${formatDuration(w.endNs - w.startNs)}${w.open ? ' and still out' : ''}`,
      })),
    );
    const count = (s: CheckStatus): number => expectations.filter((e) => e.status === s).length;
    const passed = this.finished && this.problems.length === 0 && expectations.every((e) => e.status === 'pass');
    return {
      format: REPORT_FORMAT,
      lab: this.info.lab,
      scenario: this.scenario.name,
      ...(this.scenario.title !== undefined ? { title: this.scenario.title } : {}),
      seed: this.info.seed,
      durationNs: now,
      plannedNs: this.endNs,
      complete: this.finished,
      passed,
      counts: {
        total: expectations.length,
        pass: count('pass'),
        fail: count('fail'),
        error: count('error'),
        skipped: count('skipped'),
        problems: this.problems.length,
      },
      expectations,
      flows,
      problems: [...this.problems],
      timeline: mergeByTime(this.timeline, outages),
      timelineOmitted: this.timelineOmitted,
      captures: this.captures(),
    };
  }

  // --- planning ------------------------------------------------------------------------------

  private plan(t: SimTime, phase: Phase, run: () => void): void {
    this.agenda.push({ t, phase, seq: this.agenda.length, run });
  }

  private planExpectation(e: CompiledExpectation): void {
    switch (e.kind) {
      case 'max-outage':
      case 'max-lost':
      case 'min-lost':
        this.plan(this.endNs, Phase.Final, () => this.decideFlowBound(e));
        return;
      case 'reachable':
      case 'unreachable': {
        let handle: FlowHandle | null = null;
        let startError = '';
        this.plan(e.atNs, Phase.Start, () => {
          try {
            handle = this.target.startFlow({ kind: 'ping', id: `expect-${e.index}`, from: e.from, to: e.to, everyNs: e.everyNs, count: e.count, size: DEFAULT_PING_SIZE });
          } catch (err) {
            startError = message(err);
          }
        });
        this.plan(e.decideNs, Phase.Read, () => {
          if (!handle) return this.decide(e, e.decideNs, 'error', `could not ping: ${startError}`);
          const stats = measureFlow(handle.logs(), { timeoutNs: e.timeoutNs, everyNs: e.everyNs, endNs: e.decideNs });
          const ok = e.kind === 'reachable' ? stats.answered > 0 : stats.answered === 0 && stats.sent > 0;
          this.decide(e, e.decideNs, ok ? 'pass' : 'fail', `${stats.answered} of ${stats.sent} answered`);
        });
        return;
      }
      case 'cli':
        this.plan(e.atNs, Phase.Read, () => this.decideCli(e));
        return;
      case 'counter': {
        let first: number | string = 0;
        this.plan(e.fromNs, Phase.Read, () => {
          first = attempt(() => this.target.counter(e.on, e.port, e.counter));
        });
        this.plan(e.toNs, Phase.Read, () => {
          if (typeof first === 'string') return this.decide(e, e.toNs, 'error', first);
          const from = first;
          const read = attempt(() => this.target.counter(e.on, e.port, e.counter));
          if (typeof read === 'string') return this.decide(e, e.toNs, 'error', read);
          const delta = read - from;
          const words = delta === 0 ? `stayed at ${from}` : delta > 0 ? `rose by ${delta} (from ${from} to ${read})` : `fell by ${-delta} (from ${from} to ${read})`;
          this.decide(e, e.toNs, delta >= e.min && delta <= e.max ? 'pass' : 'fail', words);
        });
        return;
      }
      case 'state':
        this.plan(e.atNs, Phase.Read, () => {
          const holds = attempt(() => this.target.deviceState(e.on, e.state));
          if (typeof holds === 'string') return this.decide(e, e.atNs, 'error', holds);
          this.decide(e, e.atNs, holds !== e.negate ? 'pass' : 'fail', `${e.state} ${holds ? 'holds' : 'does not hold'}`);
        });
        return;
    }
  }

  // --- acting --------------------------------------------------------------------------------

  private startFlow(f: CompiledFlow): void {
    try {
      this.flows.set(f.id, { flow: f, handle: this.target.startFlow(f.spec) });
      this.note('scenario.flow', `flow ${f.id} starts: ${f.text}`, f.spec.from);
    } catch (err) {
      this.flows.set(f.id, { flow: f, handle: null, error: message(err) });
      this.note('scenario.flow-failed', `flow ${f.id} could not start: ${message(err)}`, f.spec.from);
    }
  }

  private act(s: CompiledStep): void {
    const now = this.target.now();
    let detail = '';
    try {
      detail = this.perform(s.action);
    } catch (err) {
      this.problems.push({ atNs: now, step: s.index, text: s.text, error: message(err) });
      this.note('scenario.step-failed', `${s.text}: ${message(err)}`, deviceOf(s.action));
      return;
    }
    this.note('scenario.step', `${s.text}${s.note ? ` — ${s.note}` : ''}${detail}`, deviceOf(s.action));
  }

  /** Carries out one action; returns extra words for the timeline. */
  private perform(a: StepAction): string {
    const t = this.target;
    switch (a.do) {
      case 'link-down':
      case 'link-up':
        t.setLinkState(a.link, a.do === 'link-up');
        return '';
      case 'power-off':
      case 'power-on':
        t.setPower(a.device, a.do === 'power-on');
        return '';
      case 'live-migrate':
        t.liveMigrate(a.moves);
        return '';
      case 'vmm-deploy':
        t.vmmDeploy(a.deployment);
        return '';
      case 'drain-node':
      case 'resume-node':
        t.setNodeDrained(a.node, a.do === 'drain-node');
        return '';
      case 'set':
        t.setSetting(a.device, a.setting, a.value);
        return '';
      case 'cli': {
        const output = a.lines.map((line) => t.cli(a.on, line)).join('\n');
        return output.trim() ? `\n${cap(output, MAX_DETAIL)}` : '';
      }
      case 'pull-module':
      case 'insert-module':
        t.setModule(a.target, a.bay, a.do === 'insert-module');
        return '';
      case 'capture-start':
        this.captureIds.set(a.target, t.startCapture(a.target));
        return '';
      case 'capture-stop': {
        const id = this.captureIds.get(a.target);
        if (id === undefined) throw new Error(`no capture is running on ${a.target}`);
        this.captureIds.delete(a.target);
        t.stopCapture(id);
        return '';
      }
    }
  }

  // --- deciding ------------------------------------------------------------------------------

  private decide(e: CompiledExpectation, atNs: SimTime, status: CheckStatus, measured: string, detail?: string): void {
    this.results.set(e.index, {
      index: e.index,
      name: e.name,
      kind: e.kind,
      atNs,
      status,
      expected: e.expected,
      measured,
      ...(detail !== undefined ? { detail } : {}),
    });
    this.note('scenario.check', `${status.toUpperCase()} ${e.name}: ${measured}`);
  }

  private decideCli(e: Extract<CompiledExpectation, { kind: 'cli' }>): void {
    let output: string;
    try {
      output = e.lines.map((line) => this.target.cli(e.on, line)).join('\n');
    } catch (err) {
      return this.decide(e, e.atNs, 'error', message(err));
    }
    const text = output.slice(0, MAX_MATCHED_TEXT);
    const m = compilePattern(e.pattern, e.ignoreCase).exec(text);
    let measured: string;
    if (m) {
      const lineNo = text.slice(0, m.index).split('\n').length;
      const line = text.split('\n')[lineNo - 1] ?? '';
      measured = `line ${lineNo} matches: ${cap(line.trim(), 160)}`;
    } else {
      measured = `no match in ${plural(text.split('\n').length, 'line')} of output`;
    }
    this.decide(e, e.atNs, Boolean(m) !== e.negate ? 'pass' : 'fail', measured, cap(output, MAX_DETAIL));
  }

  private decideFlowBound(e: Extract<CompiledExpectation, { kind: 'max-outage' | 'max-lost' | 'min-lost' }>): void {
    const entry = this.flows.get(e.flow);
    if (!entry?.handle) return this.decide(e, this.endNs, 'error', `flow ${e.flow} did not run: ${entry?.error ?? 'it never started'}`);
    const stats = this.measure(entry.flow, entry.handle, this.endNs);
    if (stats.sent === 0) return this.decide(e, this.endNs, 'fail', 'no probe of this flow had a settled fate by the end');
    const lossWords = `${stats.lost} of ${stats.sent} lost`;
    switch (e.kind) {
      case 'max-outage':
        return this.decide(
          e,
          this.endNs,
          stats.longestOutageNs <= e.boundNs ? 'pass' : 'fail',
          `longest outage ${formatDuration(stats.longestOutageNs)} (${lossWords})`,
        );
      case 'max-lost':
        return this.decide(e, this.endNs, stats.lost <= e.bound ? 'pass' : 'fail', lossWords);
      case 'min-lost':
        return this.decide(e, this.endNs, stats.lost >= e.bound ? 'pass' : 'fail', lossWords);
    }
  }

  private finish(): void {
    this.finished = true;
    this.note('scenario.end', `end of scenario ${this.scenario.name}`);
  }

  // --- recording -----------------------------------------------------------------------------

  private runNetwork(t: SimTime): void {
    const events = this.target.advance(t);
    for (const ev of events) {
      this.pendingEvents.push(ev);
      if (this.networkEvents++ >= MAX_TIMELINE_EVENTS) {
        this.timelineOmitted++;
        continue;
      }
      this.timeline.push({
        atNs: ev.t,
        kind: ev.kind,
        ...(ev.device !== undefined ? { device: ev.device } : {}),
        ...(ev.port !== undefined ? { port: ev.port } : {}),
        text: ev.text,
      });
    }
  }

  private note(kind: string, text: string, device?: string): void {
    const t = this.target.now();
    const entry = { atNs: t, kind, ...(device !== undefined ? { device } : {}), text };
    this.timeline.push(entry);
    this.pendingEvents.push({ t, kind, ...(device !== undefined ? { device } : {}), text });
  }

  private measure(f: CompiledFlow, handle: FlowHandle, endNs: SimTime): FlowStats {
    return measureFlow(handle.logs(), { timeoutNs: f.timeoutNs, everyNs: f.spec.everyNs, endNs });
  }

  private flowReport(f: CompiledFlow, now: SimTime): FlowReport {
    const entry = this.flows.get(f.id);
    const base = { id: f.id, kind: f.spec.kind, text: f.text, startNs: f.startNs };
    if (!entry?.handle) {
      return {
        ...base,
        sent: 0,
        answered: 0,
        lost: 0,
        pending: 0,
        longestLossRun: 0,
        longestOutageNs: 0,
        totalOutageNs: 0,
        rtt: null,
        windows: [],
        paths: [],
        ...(entry?.error !== undefined ? { error: entry.error } : {}),
      };
    }
    const s = this.measure(f, entry.handle, now);
    const single = s.paths.length === 1;
    const rtts = s.paths.map((p) => p.rtt).filter((r) => r !== null);
    return {
      ...base,
      sent: s.sent,
      answered: s.answered,
      lost: s.lost,
      pending: s.pending,
      longestLossRun: s.longestLossRun,
      longestOutageNs: s.longestOutageNs,
      totalOutageNs: s.totalOutageNs,
      rtt: rtts.length
        ? {
            minNs: Math.min(...rtts.map((r) => r.minNs)),
            avgNs: Math.round(weightedAverage(s)),
            maxNs: Math.max(...rtts.map((r) => r.maxNs)),
          }
        : null,
      windows: s.windows.map((w) => ({ path: single ? f.id : w.path, startNs: w.startNs, endNs: w.endNs, lost: w.lost, open: w.open })),
      paths: single
        ? []
        : s.paths.map((p) => ({
            path: p.path,
            sent: p.sent,
            answered: p.answered,
            lost: p.lost,
            pending: p.pending,
            longestOutageNs: p.longestOutageNs,
            totalOutageNs: p.totalOutageNs,
          })),
    };
  }

  private captures(): RunReport['captures'] {
    try {
      return this.target.listCaptures().map((c) => ({ id: c.id, target: c.target, frames: c.frames }));
    } catch {
      return [];
    }
  }
}

/** A reading, or the message of the error that prevented it. */
function attempt<T extends number | boolean>(read: () => T): T | string {
  try {
    return read();
  } catch (err) {
    return message(err);
  }
}

function weightedAverage(s: FlowStats): number {
  let sum = 0;
  for (const p of s.paths) if (p.rtt) sum += p.rtt.avgNs * p.answered;
  return s.answered ? sum / s.answered : 0;
}

function decisionTime(e: CompiledExpectation, endNs: SimTime): SimTime {
  switch (e.kind) {
    case 'reachable':
    case 'unreachable':
      return e.decideNs;
    case 'counter':
      return e.toNs;
    case 'cli':
    case 'state':
      return e.atNs;
    default:
      return endNs;
  }
}

function deviceOf(a: StepAction): string | undefined {
  switch (a.do) {
    case 'power-off':
    case 'power-on':
    case 'set':
      return a.device;
    case 'cli':
      return a.on;
    case 'drain-node':
    case 'resume-node':
      return a.node;
    case 'pull-module':
    case 'insert-module':
      return a.target;
    case 'link-down':
    case 'link-up':
      return a.link.end.slice(0, a.link.end.indexOf(':'));
    default:
      return undefined;
  }
}

/** Both lists are in time order; entries at the same time keep the first list's first. */
function mergeByTime(a: readonly TimelineEntry[], b: readonly TimelineEntry[]): TimelineEntry[] {
  return [...a, ...b].map((e, i) => ({ e, i })).sort((x, y) => x.e.atNs - y.e.atNs || x.i - y.i).map((x) => x.e);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
