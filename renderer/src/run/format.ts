/** Simulated nanoseconds as a clock a person reads: `1:05.200` past a minute, `12.400 s` below. */
export function clock(ns: number): string {
  const ms = Math.floor(ns / 1e6);
  const s = Math.floor(ms / 1000);
  const frac = String(ms % 1000).padStart(3, '0');
  if (s < 60) return `${s}.${frac} s`;
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const mm = h > 0 ? String(m % 60).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}.${frac}`;
}

/** A duration in the shortest honest unit: `0 s`, `850 ms`, `3.2 s`, `4 min 10 s`. */
export function span(ns: number): string {
  if (ns === 0) return '0 s';
  if (ns < 1e6) return `${Math.round(ns / 1e3)} µs`;
  if (ns < 1e9) return `${Math.round(ns / 1e6)} ms`;
  if (ns < 60e9) return `${Number((ns / 1e9).toFixed(ns < 10e9 ? 2 : 1))} s`;
  const s = Math.round(ns / 1e9);
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const p = (100 * part) / whole;
  return `${p === 0 || p === 100 ? p : p.toFixed(1)}%`;
}
