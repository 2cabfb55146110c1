/** Simulated time is an integer count of nanoseconds; these keep unit conversions readable. */
export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;

/** Parse a lab-file duration (`250ms`, `10s`, `1.5us`, or a bare number of seconds) into ns. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return Math.round(value * SECOND);
  const m = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(value);
  if (!m) throw new Error(`not a duration: ${value}`);
  const n = Number(m[1]);
  const unit = m[2];
  const scale =
    unit === 'ns' ? NS : unit === 'us' ? US : unit === 'ms' ? MS : unit === 's' ? SECOND : unit === 'm' ? 60 * SECOND : 3600 * SECOND;
  return Math.round(n * scale);
}

/** Parse a link speed (`100M`, `1G`, `10G`, or bits per second) into bits per second. */
export function parseSpeed(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)([KMG])$/.exec(value);
  if (!m) throw new Error(`not a speed: ${value}`);
  const scale = m[2] === 'K' ? 1e3 : m[2] === 'M' ? 1e6 : 1e9;
  return Math.round(Number(m[1]) * scale);
}
