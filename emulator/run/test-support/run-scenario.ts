/** Runs one scenario of a lab given as text to its end and returns its report. */
import { parseLab } from '../../lab/parse.ts';
import type { RunReport } from '../../scenario/report.ts';
import { createLabNetworkRun, type LabNetworkRun } from '../lab-run.ts';
import type { RunEvent } from '../types.ts';

export interface ScenarioOutcome {
  report: RunReport;
  events: RunEvent[];
  run: LabNetworkRun;
}

export function runScenario(text: string, scenario: string, seed = 1): ScenarioOutcome {
  const parsed = parseLab('lab.yaml', text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  const run = createLabNetworkRun(parsed.lab, { seed, scenario });
  const end = run.status().endTime;
  if (end === null) throw new Error('a scenario run has an end');
  const events = run.advance(end);
  const report = run.scenarioReport();
  if (report === null) throw new Error('a scenario run has a report');
  return { report, events, run };
}

/** The expectation of that name, so a test can say which check failed and with what reading. */
export function check(report: RunReport, name: string): { status: string; measured: string } {
  const e = report.expectations.find((x) => x.name === name);
  if (e === undefined) throw new Error(`no expectation "${name}" in ${report.scenario}: ${report.expectations.map((x) => x.name).join(' | ')}`);
  return { status: e.status, measured: e.measured };
}

/** The expectations of a finished run that did not hold, as `name: reading`; a run with problems fails the test. */
export function unmet(report: RunReport): string[] {
  if (report.problems.length > 0) throw new Error(`the run had problems: ${JSON.stringify(report.problems)}`);
  return report.expectations.filter((e) => e.status !== 'pass').map((e) => `${e.name}: ${e.measured}`);
}

/** A flow's paths (sessions, or targets of a multicast stream) by name, with what each sent and lost. */
export function flowPaths(report: RunReport, flow: string): Record<string, { sent: number; lost: number }> {
  const f = report.flows.find((x) => x.id === flow);
  if (f === undefined) throw new Error(`no flow ${flow}`);
  return Object.fromEntries(f.paths.map((p) => [p.path, { sent: p.sent, lost: p.lost }]));
}
