import type { RunReport } from './report.ts';
import { renderReportText } from './render-text.ts';
import { formatDuration } from './words.ts';

/**
 * JUnit XML for CI: one testsuite per scenario run, one testcase per expectation (a failure
 * carries the measured value and the bound), one testcase per step that could not be carried out
 * (as an error), and a "run completed" case for a run stopped before its end. The readable report
 * goes in each suite's system-out, so a CI page shows the outage table next to the verdict.
 *
 * Every name comes from a lab file and may be hostile: all text is escaped, and characters XML
 * 1.0 cannot carry at all are replaced, so the document always parses.
 */
export function renderJunit(reports: readonly RunReport[]): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites = reports.map((r) => {
    const suite = `${r.lab} / ${r.scenario}`;
    const classname = `${r.lab}.${r.scenario}`;
    const cases: string[] = [];
    let f = 0;
    let e = 0;
    let s = 0;
    for (const x of r.expectations) {
      const open = `    <testcase classname="${attr(classname)}" name="${attr(x.name)}">`;
      const words = `measured ${x.measured}; expected ${x.expected}`;
      const body = x.detail ? `${words}\n\n${x.detail}` : words;
      switch (x.status) {
        case 'pass':
          cases.push(`${open}\n      <system-out>${text(words)}</system-out>\n    </testcase>`);
          break;
        case 'fail':
          f++;
          cases.push(`${open}\n      <failure message="${attr(words)}" type="expectation">${text(body)}</failure>\n    </testcase>`);
          break;
        case 'error':
          e++;
          cases.push(`${open}\n      <error message="${attr(x.measured)}" type="unreadable">${text(body)}</error>\n    </testcase>`);
          break;
        case 'skipped':
          s++;
          cases.push(`${open}\n      <skipped message="${attr(x.measured)}"/>\n    </testcase>`);
          break;
      }
    }
    for (const p of r.problems) {
      e++;
      const why = `at ${formatDuration(p.atNs)}: ${p.error}`;
      cases.push(
        `    <testcase classname="${attr(classname)}" name="${attr(`steps[${p.step}] ${p.text}`)}">\n` +
          `      <error message="${attr(why)}" type="step">${text(why)}</error>\n    </testcase>`,
      );
    }
    if (!r.complete) {
      e++;
      const why = `the run stopped at ${formatDuration(r.durationNs)} of ${formatDuration(r.plannedNs)}`;
      cases.push(`    <testcase classname="${attr(classname)}" name="run completed">\n      <error message="${attr(why)}" type="incomplete">${text(why)}</error>\n    </testcase>`);
    }
    tests += cases.length;
    failures += f;
    errors += e;
    skipped += s;
    return (
      `  <testsuite name="${attr(suite)}" tests="${cases.length}" failures="${f}" errors="${e}" skipped="${s}">\n` +
      `    <properties>\n` +
      `      <property name="lab" value="${attr(r.lab)}"/>\n` +
      `      <property name="scenario" value="${attr(r.scenario)}"/>\n` +
      `      <property name="seed" value="${r.seed}"/>\n` +
      `      <property name="simulated" value="${attr(formatDuration(r.durationNs))}"/>\n` +
      `    </properties>\n` +
      (cases.length ? `${cases.join('\n')}\n` : '') +
      `    <system-out>${text(renderReportText(r))}</system-out>\n` +
      `  </testsuite>`
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="labbox" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n` +
    (suites.length ? `${suites.join('\n')}\n` : '') +
    `</testsuites>\n`
  );
}

/** Characters outside XML 1.0's Char production (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function text(s: string): string {
  return s.replace(NOT_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes and keep line breaks and tabs, which parsers otherwise fold to spaces. */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
