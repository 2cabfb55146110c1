/**
 * Regular expressions written in lab files. A lab can come from another team, so a pattern is
 * untrusted input: it is length-limited, must compile, and may not nest repetition, because a
 * pattern such as `(a+)+$` backtracks exponentially and would hang the run on a long CLI output.
 */

export const MAX_PATTERN_LENGTH = 1000;

/** CLI output beyond this is not searched: a bounded input keeps even a slow pattern bounded. */
export const MAX_MATCHED_TEXT = 1024 * 1024;

/** Why the pattern cannot be used, or null when it can. Messages read after "expected …: ". */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) return `a pattern of at most ${MAX_PATTERN_LENGTH} characters (it has ${pattern.length})`;
  try {
    new RegExp(pattern, 'mu');
  } catch (e) {
    return `a valid regular expression: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (hasNestedRepetition(pattern)) return 'a pattern without a repeating group that itself repeats or alternates, such as (a+)+ or (a|b)*, which can take exponential time';
  return null;
}

/** Compiles a pattern that `patternProblem` accepted. Multiline: `^` and `$` match at each line of output. */
export function compilePattern(pattern: string, ignoreCase: boolean): RegExp {
  const problem = patternProblem(pattern);
  if (problem) throw new Error(`expected ${problem}`);
  return new RegExp(pattern, ignoreCase ? 'mui' : 'mu');
}

/**
 * True when a group that holds a quantifier or an alternation is itself repeated without bound
 * (`*`, `+`, `{n,}`, or `{n,m}` with m above 10): the shape behind catastrophic backtracking.
 * Conservative: it may refuse a harmless pattern such as `(ab*)+`, never accepts `(a+)+` or
 * `(a|a)*`. A small fixed count such as `(\d{1,3}\.){3}` stays allowed: it costs a polynomial.
 */
function hasNestedRepetition(p: string): boolean {
  // One flag per open group: whether it holds a quantifier or an alternation.
  const stack: boolean[] = [];
  const markOpenGroup = (): void => {
    if (stack.length) stack[stack.length - 1] = true;
  };
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === '|' || c === '*' || c === '+' || c === '{') markOpenGroup();
    else if (c === '?' && p[i - 1] !== '(') markOpenGroup();
    else if (c === ')') {
      const risky = stack.pop() ?? false;
      if (risky && unboundedRepeatAt(p, i + 1)) return true;
      if (risky) markOpenGroup();
    }
  }
  return false;
}

const MAX_SAFE_COUNT = 10;

function unboundedRepeatAt(p: string, i: number): boolean {
  const c = p[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return false;
  if (m[2] === undefined) return Number(m[1]) > MAX_SAFE_COUNT;
  return m[3] === '' || Number(m[3]) > MAX_SAFE_COUNT;
}
