import type { RunReport } from './report.ts';

/**
 * The report as JSON for tools and the run history. Keys come out in one fixed reading order
 * whatever order the object was built in, so two runs' reports diff line by line.
 */
export function renderReportJson(report: RunReport): string {
  return `${JSON.stringify(canonical(report), null, 2)}\n`;
}

/** Every key a report may hold, in the order it is written; keys not listed follow, sorted. */
const KEY_ORDER = [
  'format', 'lab', 'scenario', 'title', 'seed', 'durationNs', 'plannedNs', 'complete', 'passed', 'counts',
  'total', 'pass', 'fail', 'error', 'skipped',
  'expectations', 'flows', 'problems', 'timeline', 'timelineOmitted', 'captures',
  'index', 'step', 'id', 'name', 'kind', 'path', 'text', 'atNs', 'status', 'expected', 'measured', 'detail',
  'startNs', 'endNs', 'sent', 'answered', 'lost', 'pending', 'open', 'longestLossRun', 'longestOutageNs', 'totalOutageNs',
  'rtt', 'minNs', 'avgNs', 'maxNs', 'windows', 'paths',
  'device', 'port', 'target', 'frames',
];
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => {
    const ra = RANK.get(a) ?? KEY_ORDER.length;
    const rb = RANK.get(b) ?? KEY_ORDER.length;
    return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = canonical(v);
  }
  return out;
}
