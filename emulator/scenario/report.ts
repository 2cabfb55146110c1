import type { SimTime } from '../run/types.ts';
import type { PathWindow, ProbeTotals, RttStats } from './measure.ts';
import type { CaptureInfo, FlowSpec } from './target.ts';

/**
 * What a scenario run found: plain data, so it crosses a worker boundary, goes into the run
 * history as JSON, and renders as text for people or JUnit XML for CI (render-*.ts). Times are
 * simulated nanoseconds (fields ending in `Ns`); every judgement also carries its words.
 */

export const REPORT_FORMAT = 'labbox/run-report/v1';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export interface RunReport {
  format: typeof REPORT_FORMAT;
  lab: string;
  scenario: string;
  title?: string;
  seed: number;
  /** Simulated time the run covered. */
  durationNs: SimTime;
  /** Simulated time the scenario asks for; equal to durationNs when the run reached its end. */
  plannedNs: SimTime;
  complete: boolean;
  /** The run reached its end, no step failed, and every expectation passed. */
  passed: boolean;
  /** Expectations by outcome (`total` of them), and how many steps could not be carried out. */
  counts: { total: number; pass: number; fail: number; error: number; skipped: number; problems: number };
  expectations: ExpectationResult[];
  flows: FlowReport[];
  /** Steps that could not be carried out; any one fails the run. */
  problems: StepProblem[];
  timeline: TimelineEntry[];
  /** Network events left out of the timeline to keep the report bounded. */
  timelineOmitted: number;
  captures: CaptureInfo[];
}

export interface ExpectationResult {
  /** Position under `expect` in the scenario. */
  index: number;
  name: string;
  kind: string;
  /** When it was decided (the end of the run for flow bounds). */
  atNs: SimTime;
  status: CheckStatus;
  expected: string;
  measured: string;
  /** Supporting text for a person chasing a failure: the CLI output looked at, for instance. */
  detail?: string;
}

export interface FlowReport extends ProbeTotals {
  id: string;
  kind: FlowSpec['kind'];
  text: string;
  startNs: SimTime;
  rtt: RttStats | null;
  windows: PathWindow[];
  /** Per path, when the flow has several (receivers, sessions). */
  paths: (Omit<ProbeTotals, 'longestLossRun'> & { path: string })[];
  /** Why the flow never ran, when it could not start. */
  error?: string;
}

export interface StepProblem {
  atNs: SimTime;
  /** Position under `steps` in the scenario. */
  step: number;
  text: string;
  error: string;
}

export interface TimelineEntry {
  atNs: SimTime;
  /** Dotted category: the network's own (`link.down`, `mac.move`, …) or `scenario.*`, `flow.outage`. */
  kind: string;
  device?: string;
  port?: string;
  text: string;
}
