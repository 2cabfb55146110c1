import type { PathSegment } from './errors.ts';
import type { Anchor } from './source-map.ts';

/** A problem before it is given a file position: what is wrong, and where in the data. */
export interface Finding {
  path: readonly PathSegment[];
  message: string;
  anchor: Anchor;
  /** Source offset, when the finder had the node at hand (the path may no longer lead there). */
  offset?: number;
}

/** How a value read from YAML is described in messages ("got a list"). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return `the string ${JSON.stringify(shown)}`;
    }
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** Reads the raw value at a path, or undefined when the path leaves the data. */
export function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    if (Array.isArray(v)) {
      if (typeof seg !== 'number') return undefined;
      v = v[seg];
    } else {
      if (!Object.hasOwn(v, seg)) return undefined;
      v = (v as Record<string, unknown>)[String(seg)];
    }
  }
  return v;
}

/** Edit distance, for "did you mean" on names the catalog or the lab defines. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
