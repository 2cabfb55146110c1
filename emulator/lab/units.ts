/**
 * Units written in lab files. Simulated time is integer nanoseconds and link speed is bits per
 * second, so both parsers return integers and refuse values they cannot represent exactly.
 */

const NS_PER: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1_000,
  ms: 1_000_000,
  s: 1_000_000_000,
  m: 60_000_000_000,
  h: 3_600_000_000_000,
};

const BPS_PER: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

const durationText = /^(\d+)(?:\.(\d+))?(ns|us|ms|s|m|h)?$/;
const speedText = /^(\d+)(?:\.(\d+))?([KMGT]?)$/;

/**
 * Scales `int.frac` by `unit` using integer arithmetic on the digits, so `0.1s` is exactly
 * 100000000 ns rather than whatever 0.1 * 1e9 rounds to in binary floating point.
 */
function scaleDecimal(int: string, frac: string, unit: number, what: string, text: string): number {
  const digits = BigInt(int + frac);
  const scaled = digits * BigInt(unit);
  const divisor = 10n ** BigInt(frac.length);
  if (scaled % divisor !== 0n) throw new RangeError(`${what} "${text}" is finer than the smallest step it can express`);
  const value = scaled / divisor;
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} "${text}" is too large`);
  return Number(value);
}

/** `10s`, `250ms`, `12m`, `1h`, `1.5s`, or a bare number of seconds → integer nanoseconds. */
export function parseDuration(text: string | number): number {
  const s = typeof text === 'number' ? numberText(text, 'duration') : text.trim();
  const m = durationText.exec(s);
  if (!m) throw new RangeError(`"${s}" is not a duration; expected a number with ns, us, ms, s, m or h (e.g. 250ms, 10s, 12m, 1h)`);
  return scaleDecimal(m[1], m[2] ?? '', NS_PER[m[3] ?? 's'], 'duration', s);
}

/** `100M`, `1G`, `10G`, `2.5G`, or a bare number of bits per second → integer bits per second. */
export function parseSpeed(text: string | number): number {
  const s = typeof text === 'number' ? numberText(text, 'speed') : text.trim();
  const m = speedText.exec(s);
  if (!m) throw new RangeError(`"${s}" is not a speed; expected a number with K, M, G or T (e.g. 100M, 1G, 10G)`);
  const bps = scaleDecimal(m[1], m[2] ?? '', BPS_PER[m[3]], 'speed', s);
  if (bps === 0) throw new RangeError(`speed "${s}" must be greater than zero`);
  return bps;
}

/** Numbers from YAML arrive as JS numbers; render them as plain decimal digits for the parsers. */
function numberText(n: number, what: string): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what} ${n} must be a finite, non-negative number`);
  const t = String(n);
  // Exponent notation (1e21, 1e-7) is rewritten as plain digits.
  if (!/e/i.test(t)) return t;
  const fixed = n.toFixed(20).replace(/\.?0+$/, '');
  return fixed;
}
