import type { RunEventWire, RunState } from '../contract.ts';
import type { RunReport as ScenarioReport } from '../../../emulator/scenario/report.ts';

/** One expectation of a scenario and whether it held, with what was measured. */
export interface ExpectationResult {
  name: string;
  status: 'pass' | 'fail' | 'error' | 'skipped';
  expected?: string;
  measured?: string;
  message?: string;
}

/** The host's view of a scenario's expectations. */
export function expectationsOf(report: ScenarioReport | null): ExpectationResult[] {
  if (!report) return [];
  const out: ExpectationResult[] = report.expectations.map((e) => {
    const r: ExpectationResult = { name: e.name, status: e.status, expected: e.expected, measured: e.measured };
    if (e.detail !== undefined) r.message = e.detail;
    return r;
  });
  // A step the network refused (a link that does not exist, say) fails the run like an expectation.
  for (const p of report.problems) out.push({ name: `step ${p.step + 1}: ${p.text}`, status: 'error', message: p.error });
  return out;
}

/**
 * What a finished run reports: to the CLI's --report/--junit files and to the run history.
 * Times are simulated nanoseconds unless named otherwise.
 */
export interface RunReport {
  runId: string;
  lab: string;
  file: string;
  scenario: string | null;
  seed: number;
  state: RunState;
  /** True when the run finished by itself and every expectation held. */
  passed: boolean;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  simulatedNs: number;
  simulatedSeconds: number;
  eventsExecuted: number;
  frameHops: number;
  /** How many notable events of each kind the run produced. */
  eventCounts: Record<string, number>;
  /** The notable events themselves, up to a bound; `eventsOmitted` says how many did not fit. */
  events: RunEventWire[];
  eventsOmitted: number;
  expectations: ExpectationResult[];
  /** The scenario's own report (flows, outages, timeline), for a scenario run. */
  scenarioReport: ScenarioReport | null;
  error?: string;
}

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * JUnit XML, the format CI systems read: one testsuite per run, one testcase per expectation, or
 * a single "run completed" testcase for a run that has no expectations.
 */
export function junitXml(reports: readonly RunReport[]): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalErrors = 0;
  for (const r of reports) {
    const suiteName = `${r.lab}${r.scenario ? ` / ${r.scenario}` : ''}`;
    const cases: string[] = [];
    let failures = 0;
    let errors = 0;
    const seconds = (r.wallMs / 1000).toFixed(3);
    if (r.state === 'failed' || r.state === 'stopped') {
      errors++;
      const why = r.error ?? `the run ended as ${r.state}`;
      cases.push(`    <testcase classname="${xml(suiteName)}" name="run completed" time="${seconds}">\n      <error message="${xml(why)}">${xml(why)}</error>\n    </testcase>`);
    } else if (r.expectations.length === 0) {
      cases.push(
        `    <testcase classname="${xml(suiteName)}" name="run completed" time="${seconds}">\n      <system-out>${xml(`ran ${r.simulatedSeconds} s simulated, ${r.eventsExecuted} events`)}</system-out>\n    </testcase>`,
      );
    }
    for (const e of r.expectations) {
      const head = `    <testcase classname="${xml(suiteName)}" name="${xml(e.name)}" time="0">`;
      const said = [e.expected ? `expected ${e.expected}` : '', e.measured ? `measured ${e.measured}` : ''].filter(Boolean).join('; ');
      if (e.status === 'pass') cases.push(`${head}${said ? `\n      <system-out>${xml(said)}</system-out>\n    ` : ''}</testcase>`);
      else if (e.status === 'skipped') cases.push(`${head}\n      <skipped message="${xml(said || 'not decided')}"/>\n    </testcase>`);
      else {
        const tag = e.status === 'fail' ? 'failure' : 'error';
        if (tag === 'failure') failures++;
        else errors++;
        const msg = [said, e.message ?? ''].filter(Boolean).join(': ') || e.name;
        cases.push(`${head}\n      <${tag} message="${xml(said || msg)}">${xml(msg)}</${tag}>\n    </testcase>`);
      }
    }
    const tests = cases.length;
    totalTests += tests;
    totalFailures += failures;
    totalErrors += errors;
    suites.push(
      `  <testsuite name="${xml(suiteName)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds}" timestamp="${xml(r.startedAt)}">\n` +
        `    <properties>\n      <property name="seed" value="${r.seed}"/>\n      <property name="file" value="${xml(r.file)}"/>\n    </properties>\n` +
        `${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="labbox" tests="${totalTests}" failures="${totalFailures}" errors="${totalErrors}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
