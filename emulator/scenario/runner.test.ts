import { describe, expect, it } from 'vitest';
import { compileScenario } from './compile.ts';
import type { ExpectationResult } from './report.ts';
import { ScenarioRun } from './runner.ts';
import { scenarioSchema } from './schema.ts';
import { FakeTarget } from './test-support/fake-target.ts';

const S = 1_000_000_000;

const ROUTES = {
  'client>server': ['sw1:Gi1/0/1', 'sw1:Gi1/0/2'],
  'client>10.0.0.9': ['sw1:Gi1/0/1', 'sw1:Gi1/0/2'],
  'client>239.1.1.1': ['sw1:Gi1/0/1'],
};

/** Server link down from 10s to 13s while the client pings it every second. */
const SCENARIO = {
  name: 'cable-pull',
  title: 'Pull the server cable for three seconds',
  duration: '30s',
  traffic: [{ id: 'to-server', ping: { from: 'client', to: 'server', every: '1s', timeout: '1s' } }],
  steps: [
    { at: '13s', do: 'link-up', link: 'sw1:Gi1/0/2' },
    { at: '10s', do: 'link-down', link: 'sw1:Gi1/0/2', note: 'cable pulled' },
    { at: '5s', do: 'set', device: 'server', setting: 'nlb-converged', value: true },
  ],
  expect: [
    { flow: 'to-server', 'max-outage': '3s' },
    { name: 'outage within two seconds', flow: 'to-server', 'max-outage': '2s' },
    { flow: 'to-server', 'max-lost': 3 },
    { flow: 'to-server', 'min-lost': 1 },
    { at: '10s', unreachable: { from: 'client', to: 'server', count: 2, timeout: '1s' } },
    { at: '20s', reachable: { from: 'client', to: 'server' } },
    { at: '11s', cli: { on: 'sw1', run: 'show interfaces status' }, matches: '^Gi1/0/2\\s+down$' },
    { at: '11s', cli: { on: 'sw1', run: 'show interfaces status' }, 'not-matches': 'DOWN', 'ignore-case': true },
    { counter: { on: 'sw1', port: 'Gi1/0/2', name: 'frames' }, between: ['1s', '9s'], rises: true },
    { counter: { on: 'sw1', port: 'Gi1/0/2', name: 'frames' }, between: ['10.5s', '12.5s'], 'stays-flat': true },
    { counter: { on: 'sw1', port: 'Gi1/0/2', name: 'frames' }, between: ['14s', '16s'], 'at-most': 1 },
    { at: '4s', state: { on: 'server', is: 'nlb-converged' } },
    { at: '6s', state: { on: 'server', is: 'nlb-converged' } },
  ],
};

function run(spec: unknown, slices?: number) {
  const compiled = compileScenario(scenarioSchema.parse(spec));
  const target = new FakeTarget(ROUTES);
  const runner = new ScenarioRun(compiled, target, { lab: 'two-hosts', seed: 7 });
  const events = [];
  if (slices) for (let t = slices; !runner.done; t += slices) events.push(...runner.advance(t));
  else events.push(...runner.runToEnd());
  return { runner, target, report: runner.report(), events };
}

function byName(results: ExpectationResult[], fragment: string): ExpectationResult {
  const found = results.filter((r) => r.name.includes(fragment));
  if (found.length !== 1) throw new Error(`${found.length} expectations named like ${fragment}: ${results.map((r) => r.name).join(' | ')}`);
  return found[0];
}

describe('ScenarioRun over a fake network', () => {
  it('acts at the written times, in time order whatever order the steps are written in', () => {
    const { target } = run(SCENARIO);
    const acts = target.calls.filter((c) => /^(link|set) /.test(c.call)).map((c) => [c.t / S, c.call]);
    expect(acts).toEqual([
      [5, 'set server nlb-converged=true'],
      [10, 'link sw1:Gi1/0/2 down'],
      [13, 'link sw1:Gi1/0/2 up'],
    ]);
    const reads = target.calls.filter((c) => c.call.startsWith('counter')).map((c) => c.t / S);
    expect(reads).toEqual([1, 9, 10.5, 12.5, 14, 16]);
    const clis = target.calls.filter((c) => c.call.startsWith('cli')).map((c) => c.t / S);
    expect(clis).toEqual([11, 11]);
  });

  it('measures the flow: the probes of 11, 12 and 13 s are lost, a 3 s outage', () => {
    // A probe due at the same instant as the step goes first: 10 s is answered, and 13 s leaves
    // before the link comes back. The probe sent at the very end (30 s) is still pending.
    const { report } = run(SCENARIO);
    const flow = report.flows[0];
    expect(flow).toMatchObject({ id: 'to-server', kind: 'ping', sent: 30, lost: 3, answered: 27, pending: 1, longestLossRun: 3 });
    expect(flow.windows).toEqual([{ path: 'to-server', startNs: 11 * S, endNs: 14 * S, lost: 3, open: false }]);
    expect(flow.longestOutageNs).toBe(3 * S);
    expect(flow.rtt).toEqual({ minNs: 2_000_000, avgNs: 2_000_000, maxNs: 2_000_000 });
  });

  it('decides every expectation, failing the ones the network does not meet, with measured value and bound', () => {
    const { report } = run(SCENARIO);
    const e = report.expectations;
    expect(e.map((x) => x.status)).toEqual(['pass', 'fail', 'pass', 'pass', 'pass', 'pass', 'pass', 'fail', 'pass', 'pass', 'fail', 'fail', 'pass']);
    expect(byName(e, 'outage within two seconds')).toMatchObject({
      measured: 'longest outage 3s (3 of 30 lost)',
      expected: 'longest outage at most 2s',
      atNs: 30 * S,
    });
    expect(byName(e, 'to-server: outage at most 3s').status).toBe('pass');
    expect(byName(e, 'server unreachable from client at 10s')).toMatchObject({ status: 'pass', measured: '0 of 2 answered', atNs: 12 * S });
    expect(byName(e, 'server reachable from client at 20s')).toMatchObject({ status: 'pass', measured: '4 of 4 answered', atNs: 27 * S });
    const cliFail = byName(e, 'does not match /DOWN/i');
    expect(cliFail).toMatchObject({ status: 'fail', measured: 'line 3 matches: Gi1/0/2    down' });
    expect(cliFail.detail).toContain('Gi1/0/1    connected');
    expect(byName(e, 'rises from 1s to 9s')).toMatchObject({ status: 'pass', measured: 'rose by 8 (from 2 to 10)' });
    expect(byName(e, 'stays flat')).toMatchObject({ status: 'pass', measured: 'stayed at 11' });
    expect(byName(e, 'at most 1')).toMatchObject({ status: 'fail', measured: 'rose by 2 (from 12 to 14)' });
    expect(byName(e, 'nlb-converged at 4s')).toMatchObject({ status: 'fail', measured: 'nlb-converged does not hold' });
    expect(byName(e, 'nlb-converged at 6s')).toMatchObject({ status: 'pass', measured: 'nlb-converged holds' });
    expect(report).toMatchObject({ passed: false, complete: true, durationNs: 30 * S, counts: { total: 13, pass: 9, fail: 4, error: 0, skipped: 0, problems: 0 } });
  });

  it('passes a run whose every expectation holds', () => {
    const { report } = run({ ...SCENARIO, expect: SCENARIO.expect.filter((_, i) => ![1, 7, 10, 11].includes(i)) });
    expect(report.passed).toBe(true);
    expect(report.counts).toMatchObject({ total: 9, pass: 9 });
  });

  it('gives the same run however the host slices time', () => {
    const whole = run(SCENARIO);
    const sliced = run(SCENARIO, 0.7 * S);
    expect(sliced.report).toEqual(whole.report);
    expect(sliced.events).toEqual(whole.events);
    expect(sliced.target.calls).toEqual(whole.target.calls);
  });

  it('keeps the timeline: flow start, steps with notes, network events, outages and check results, in time order', () => {
    const { report, events } = run(SCENARIO);
    const lines = report.timeline.map((e) => `${e.atNs / S} ${e.kind} ${e.text}`);
    expect(lines).toContain('0 scenario.flow flow to-server starts: ping client → server every 1s');
    expect(lines).toContain('10 scenario.step link-down sw1:Gi1/0/2 — cable pulled');
    expect(lines).toContain('10 link.down link down');
    expect(lines).toContain('11 flow.outage to-server: 3 probes lost, out 3s');
    expect(lines).toContain('30 scenario.check FAIL outage within two seconds: longest outage 3s (3 of 30 lost)');
    const times = report.timeline.map((e) => e.atNs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // What advance returned is the timeline without the report-time outage summaries.
    expect(events.length).toBe(report.timeline.filter((e) => e.kind !== 'flow.outage').length);
  });

  it('records a step the lab cannot carry out as a problem that fails the run, and goes on', () => {
    const { report } = run({
      ...SCENARIO,
      expect: [{ flow: 'to-server', 'max-lost': 0 }],
      steps: [{ at: '3s', do: 'live-migrate', vms: ['web1', 'web2'], to: ['hv2', 'hv3'] }],
    });
    expect(report.problems).toEqual([
      { atNs: 3 * S, step: 0, text: 'live-migrate web1 → hv2, web2 → hv3', error: "live migration is not supported by this lab's devices" },
    ]);
    expect(report.expectations[0].status).toBe('pass');
    expect(report.passed).toBe(false);
  });

  it('reports an expectation it cannot read (unknown counter, device, flow that never ran) as an error, not a crash', () => {
    const { report } = run({
      name: 'broken-refs',
      duration: '10s',
      traffic: [{ id: 'ghost', ping: { from: 'nobody', to: 'server' } }],
      expect: [
        { flow: 'ghost', 'max-lost': 0 },
        { counter: { on: 'sw1', port: 'Gi1/0/1', name: 'crc' }, between: ['1s', '2s'], rises: true },
        { at: '1s', state: { on: 'sw9', is: 'up' } },
      ],
    });
    expect(report.expectations.map((e) => [e.status, e.measured])).toEqual([
      ['error', 'flow ghost did not run: no device named nobody'],
      ['error', 'sw1 has no counter "crc"'],
      ['error', 'no device named sw9'],
    ]);
    expect(report.flows[0]).toMatchObject({ id: 'ghost', sent: 0, error: 'no device named nobody' });
  });

  it('reports a run stopped early as incomplete, with the undecided checks skipped', () => {
    const compiled = compileScenario(scenarioSchema.parse(SCENARIO));
    const runner = new ScenarioRun(compiled, new FakeTarget(ROUTES), { lab: 'two-hosts', seed: 7 });
    runner.advance(12 * S);
    const report = runner.report();
    expect(report).toMatchObject({ complete: false, passed: false, durationNs: 12 * S, plannedNs: 30 * S });
    expect(report.expectations[0]).toMatchObject({ status: 'skipped', measured: 'not decided: the run stopped at 12s' });
    expect(report.flows[0].windows).toEqual([{ path: 'to-server', startNs: 11 * S, endNs: 12 * S, lost: 1, open: true }]);
  });

  it('measures every session of a sessions flow on its own', () => {
    const { report } = run({
      name: 'sessions',
      duration: '20s',
      traffic: [{ id: 'web', start: '2s', stop: '12s', sessions: { from: 'client', to: '10.0.0.9', port: 80, count: 3 } }],
      steps: [{ at: '5s', do: 'link-down', link: 'sw1:Gi1/0/2' }, { at: '7s', do: 'link-up', link: 'sw1:Gi1/0/2' }],
      expect: [{ flow: 'web', 'max-lost': 6 }],
    });
    const flow = report.flows[0];
    expect(flow.paths.map((p) => [p.path, p.sent, p.lost])).toEqual([
      ['sport 49152', 10, 2],
      ['sport 49153', 10, 2],
      ['sport 49154', 10, 2],
    ]);
    expect(flow.longestOutageNs).toBe(2 * S);
    expect(flow.totalOutageNs).toBe(2 * S);
    expect(report.expectations[0].status).toBe('pass');
  });

  it('starts and stops captures on the target the scenario names, and lists them', () => {
    const { report, target } = run({
      name: 'cap',
      duration: '5s',
      steps: [
        { at: '1s', do: 'capture-start', target: 'sw1:Gi1/0/2' },
        { at: '2s', do: 'capture-stop', target: 'sw1:Gi1/0/2' },
      ],
    });
    expect(target.calls.filter((c) => c.call.startsWith('capture')).map((c) => [c.t / S, c.call])).toEqual([
      [1, 'capture-start sw1:Gi1/0/2'],
      [2, 'capture-stop cap-1'],
    ]);
    expect(report.captures).toEqual([{ id: 'cap-1', target: 'sw1:Gi1/0/2', frames: 0 }]);
    expect(report.passed).toBe(true);
  });
});
