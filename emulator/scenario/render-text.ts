import type { RunReport } from './report.ts';
import { formatClock, formatDuration, plural } from './words.ts';

/**
 * The report for people, e.g. attached to a change request: a verdict line, the flows as an
 * aligned table of loss and outage, every expectation with PASS/FAIL, steps that failed, then the
 * timeline. Names come from a lab file, possibly someone else's, so control characters are
 * shown escaped rather than sent to the reader's terminal.
 */
export function renderReportText(r: RunReport): string {
  const out: string[] = [];
  out.push(`${clean(r.lab)} / ${clean(r.scenario)}${r.title ? ` — ${clean(r.title)}` : ''}`);
  const verdict = r.passed ? 'PASSED' : 'FAILED';
  const why: string[] = [];
  if (r.counts.fail) why.push(`${r.counts.fail} failed`);
  if (r.counts.error) why.push(`${r.counts.error} could not be checked`);
  if (r.counts.skipped) why.push(`${r.counts.skipped} not reached`);
  if (r.counts.problems) why.push(plural(r.counts.problems, 'step problem'));
  if (!r.complete) why.push(`stopped at ${formatDuration(r.durationNs)}`);
  out.push(
    `${verdict}: ${r.counts.pass} of ${plural(r.counts.total, 'expectation')} passed${why.length ? ` (${why.join(', ')})` : ''}; ` +
      `seed ${r.seed}, ${formatDuration(r.durationNs)} simulated of ${formatDuration(r.plannedNs)}`,
  );

  if (r.flows.length) {
    out.push('', 'Flows');
    const rows = r.flows.map((f) => [
      clean(f.id),
      f.kind,
      String(f.sent),
      String(f.lost),
      f.sent ? `${((100 * f.lost) / f.sent).toFixed(1)}%` : '-',
      formatDuration(f.longestOutageNs),
      formatDuration(f.totalOutageNs),
      String(f.windows.length),
      f.error ? `did not run: ${clean(f.error)}` : clean(f.text),
    ]);
    out.push(...table(['flow', 'kind', 'sent', 'lost', 'loss', 'longest outage', 'total outage', 'outages', 'what'], rows, [2, 3, 4, 7]));
  }

  if (r.expectations.length) {
    out.push('', 'Expectations');
    const rows = r.expectations.map((e) => [STATUS_WORD[e.status], clean(e.name), clean(e.measured), `expected ${clean(e.expected)}`]);
    out.push(...table(['result', 'check', 'measured', 'bound'], rows, []));
  }

  if (r.problems.length) {
    out.push('', 'Steps that failed');
    for (const p of r.problems) out.push(`  ${formatClock(p.atNs).padStart(11)}  steps[${p.step}] ${clean(p.text)}: ${clean(p.error)}`);
  }

  if (r.captures.length) {
    out.push('', 'Captures');
    for (const c of r.captures) out.push(`  ${clean(c.id)}  ${clean(c.target)}  ${plural(c.frames, 'frame')}`);
  }

  out.push('', 'Timeline');
  const kindWidth = Math.max(0, ...r.timeline.map((e) => e.kind.length));
  for (const e of r.timeline) {
    const where = [e.device, e.port].filter((x) => x !== undefined).map((x) => clean(x as string)).join(' ');
    const head = `  ${formatClock(e.atNs).padStart(11)}  ${clean(e.kind).padEnd(kindWidth)}  `;
    const [first, ...rest] = clean(e.text, true).split('\n');
    out.push(`${head}${where ? `${where}: ` : ''}${first}`.trimEnd());
    for (const line of rest) out.push(`${' '.repeat(head.length)}${line}`.trimEnd());
  }
  if (r.timelineOmitted) out.push(`  … ${plural(r.timelineOmitted, 'more network event')} not shown`);
  return `${out.join('\n')}\n`;
}

const STATUS_WORD = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' } as const;

/** Columns padded to their widest cell; the numeric ones (by index) aligned right. */
function table(head: string[], rows: string[][], right: number[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ')}`.trimEnd();
  return [line(head), ...rows.map(line)];
}

/** Control characters (terminal escapes among them) written as \xNN; line breaks kept only where asked. */
function clean(text: string, keepNewlines = false): string {
  return (keepNewlines ? text.replace(/\r\n/g, '\n') : text).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    keepNewlines && c === '\n' ? c : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
