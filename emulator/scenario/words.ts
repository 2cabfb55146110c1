import type { SimTime } from '../run/types.ts';

/**
 * Durations in reports are written the way lab files write them (`3s`, `250ms`, `1m30s`), so a
 * bound and the value measured against it read alike. At most three decimals: finer detail is in
 * the JSON report's nanosecond fields.
 */
export function formatDuration(ns: SimTime): string {
  if (ns < 0) return `-${formatDuration(-ns)}`;
  if (ns === 0) return '0s';
  if (ns < 1_000) return `${ns}ns`;
  if (ns < 1_000_000) return `${decimal(ns / 1_000)}us`;
  if (ns < 1_000_000_000) return `${decimal(ns / 1_000_000)}ms`;
  const seconds = ns / 1_000_000_000;
  if (seconds < 60) return `${decimal(seconds)}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds - h * 3600) / 60);
  const s = seconds - h * 3600 - m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s >= 0.0005 ? `${decimal(s)}s` : ''}`;
}

function decimal(n: number): string {
  return n.toFixed(3).replace(/\.?0+$/, '');
}

/** Report times: seconds with milliseconds, fixed width for aligned columns (`   12.345s`). */
export function formatClock(ns: SimTime): string {
  return `${(ns / 1_000_000_000).toFixed(3)}s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
