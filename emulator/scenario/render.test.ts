import { describe, expect, it } from 'vitest';
import { compileScenario } from './compile.ts';
import { renderReportJson } from './render-json.ts';
import { renderJunit } from './render-junit.ts';
import { renderReportText } from './render-text.ts';
import type { RunReport } from './report.ts';
import { REPORT_FORMAT } from './report.ts';
import { ScenarioRun } from './runner.ts';
import { scenarioSchema } from './schema.ts';
import { FakeTarget } from './test-support/fake-target.ts';

const S = 1_000_000_000;

/** A real run: a 3 s cable pull under a ping and two sessions, one check failing, one step the lab cannot do. */
function cablePull(): RunReport {
  const compiled = compileScenario(
    scenarioSchema.parse({
      name: 'cable-pull',
      title: 'Pull the server cable',
      duration: '30s',
      traffic: [
        { id: 'to-server', ping: { from: 'client', to: 'server', timeout: '1s' } },
        { id: 'web', sessions: { from: 'client', to: 'server', port: 80, count: 2 } },
      ],
      steps: [
        { at: '10s', do: 'link-down', link: 'sw1:Gi1/0/2' },
        { at: '13s', do: 'link-up', link: 'sw1:Gi1/0/2' },
        { at: '14s', do: 'cli', on: 'sw1', run: 'show interfaces status' },
        { at: '15s', do: 'live-migrate', vms: 'web1', to: 'hv2' },
      ],
      expect: [
        { flow: 'to-server', 'max-outage': '2s' },
        { at: '11s', cli: { on: 'sw1', run: 'show interfaces status' }, matches: '^Gi1/0/2\\s+down$' },
      ],
    }),
  );
  const run = new ScenarioRun(compiled, new FakeTarget({ 'client>server': ['sw1:Gi1/0/1', 'sw1:Gi1/0/2'] }), { lab: 'two-hosts', seed: 1 });
  run.runToEnd();
  return run.report();
}

/** Names from someone else's lab file, chosen to break XML, terminals and naive formats. */
function hostile(): RunReport {
  const evil = `<script>alert("x")</script> & 'quoted' ]]> \u0007\u001b[31mred\u0000 \ud800 end`;
  return {
    format: REPORT_FORMAT,
    lab: `lab${evil}`,
    scenario: `scn${evil}`,
    seed: 3,
    durationNs: 5 * S,
    plannedNs: 10 * S,
    complete: false,
    passed: false,
    counts: { total: 3, pass: 1, fail: 1, error: 0, skipped: 1, problems: 1 },
    expectations: [
      { index: 0, name: `ok${evil}`, kind: 'state', atNs: S, status: 'pass', expected: 'nlb-converged', measured: 'nlb-converged holds' },
      { index: 1, name: `bad${evil}`, kind: 'cli', atNs: 2 * S, status: 'fail', expected: `output matches /${evil}/`, measured: 'no match in 1 line of output', detail: evil },
      { index: 2, name: 'later', kind: 'max-lost', atNs: 10 * S, status: 'skipped', expected: 'at most 0 lost', measured: 'not decided: the run stopped at 5s' },
    ],
    flows: [],
    problems: [{ atNs: 4 * S, step: 0, text: `power-off ${evil}`, error: `no device named ${evil}` }],
    timeline: [{ atNs: S, kind: 'scenario.step', device: 'sw1', text: `cli${evil}\r\nsecond line` }],
    timelineOmitted: 0,
    captures: [],
  };
}

describe('the JSON report', () => {
  it('writes keys in one fixed order, whatever order the report object was built in', () => {
    const report = cablePull();
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const text = renderReportJson(report);
    expect(renderReportJson(reversed(report) as RunReport)).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format', 'lab', 'scenario', 'title', 'seed', 'durationNs', 'plannedNs', 'complete', 'passed', 'counts',
      'expectations', 'flows', 'problems', 'timeline', 'timelineOmitted', 'captures',
    ]);
    expect(Object.keys(JSON.parse(text).counts)).toEqual(['total', 'pass', 'fail', 'error', 'skipped', 'problems']);
  });

  it('loses nothing: parsing it gives the report back', () => {
    const report = cablePull();
    expect(JSON.parse(renderReportJson(report))).toEqual(report);
    expect(JSON.parse(renderReportJson(hostile()))).toEqual(hostile());
  });
});

describe('the text report', () => {
  it('gives the verdict, an aligned table of flows, every expectation with PASS/FAIL, failed steps and the timeline', () => {
    const text = renderReportText(cablePull());
    const lines = text.split('\n');
    expect(lines[0]).toBe('two-hosts / cable-pull — Pull the server cable');
    expect(lines[1]).toBe('FAILED: 1 of 2 expectations passed (1 failed, 1 step problem); seed 1, 30s simulated of 30s');
    const flows = lines.slice(lines.indexOf('Flows') + 1, lines.indexOf('Flows') + 4);
    expect(flows).toEqual([
      '  flow       kind      sent  lost   loss  longest outage  total outage  outages  what',
      '  to-server  ping        30     3  10.0%  3s              3s                  1  ping client → server every 1s',
      '  web        sessions    60     6  10.0%  3s              3s                  2  2 tcp sessions client → server:80, a request every 1s',
    ]);
    expect(text).toContain('  FAIL    to-server: outage at most 2s  ');
    expect(text).toMatch(/ {2}PASS {4}sw1: "show interfaces status" matches .* line 3 matches: Gi1\/0\/2 {4}down/);
    expect(text).toContain('      15.000s  steps[3] live-migrate web1 → hv2: live migration is not supported by this lab\'s devices');
    expect(text).toContain('      10.000s  link.down             sw1 Gi1/0/2: link down');
    // A step's CLI output continues under the entry, indented past the time and kind columns.
    expect(text).toContain('      14.000s  scenario.step         sw1: cli on sw1: show interfaces status\n                                     Port       Status\n');
  });

  it('shows control characters from a lab file escaped instead of sending them to the terminal', () => {
    const text = renderReportText(hostile());
    expect(text).not.toMatch(/[\u0000\u0007\u001b\r]/);
    expect(text).toContain('\\x1b[31mred\\x00');
    expect(text).toContain('FAILED: 1 of 3 expectations passed (1 failed, 1 not reached, 1 step problem, stopped at 5s)');
    expect(text).toContain('SKIP');
    // A CRLF in a timeline entry is a line break, not an escape.
    expect(text).toMatch(/end\n +second line/);
  });
});

describe('the JUnit report', () => {
  it('has one testsuite per scenario and one testcase per expectation, failures carrying the measured value', () => {
    const xml = renderJunit([cablePull(), cablePull()]);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuites name="labbox" tests="6" failures="2" errors="2" skipped="0">');
    expect(xml).toContain('<testsuite name="two-hosts / cable-pull" tests="3" failures="1" errors="1" skipped="0">');
    expect(xml).toContain(
      '<testcase classname="two-hosts.cable-pull" name="to-server: outage at most 2s">\n' +
        '      <failure message="measured longest outage 3s (3 of 30 lost); expected longest outage at most 2s" type="expectation">',
    );
    expect(xml).toContain('<error message="at 15s: live migration is not supported by this lab&apos;s devices" type="step">');
    expect(xml).toContain('<property name="seed" value="1"/>');
    expect(wellFormed(xml)).toBe(true);
  });

  it('escapes hostile names everywhere and drops what XML cannot carry, so the document still parses', () => {
    const xml = renderJunit([hostile()]);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000\u0007\u001b]/);
    expect(xml).not.toMatch(/[\ud800-\udfff]/);
    expect(xml).toContain('name="bad&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos; ]]&gt; ');
    expect(xml).toContain('<skipped message="not decided: the run stopped at 5s"/>');
    expect(xml).toContain('name="run completed"');
    expect(xml).toContain('tests="5" failures="1" errors="2" skipped="1"');
    expect(wellFormed(xml)).toBe(true);
  });

  it('writes an empty but valid document when there is nothing to report', () => {
    expect(renderJunit([])).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="labbox" tests="0" failures="0" errors="0" skipped="0">\n</testsuites>\n');
  });
});

/**
 * Enough of an XML check for these documents: every tag is one of JUnit's, attributes are quoted
 * without raw `<` or `"` inside, every `&` starts an entity, and tags nest and close in order.
 */
function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(body)) return false;
  const stack: string[] = [];
  const tag = /<(\/?)([a-z-]+)((?:\s+[a-z]+="[^"<]*")*)\s*(\/?)>|</g;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    if (!m[2]) return false;
    if (!['testsuites', 'testsuite', 'testcase', 'properties', 'property', 'failure', 'error', 'skipped', 'system-out'].includes(m[2])) return false;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else if (!m[4]) stack.push(m[2]);
  }
  return stack.length === 0;
}
