/**
 * Seeded pseudo-random numbers. A run has one seed; every device draws from its own stream
 * derived from (seed, stable device id), so adding a device or reordering draws in one device
 * never shifts the numbers another device sees.
 */

/** FNV-1a over a string's UTF-16 code units: a stable 32-bit id for names. */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** xoshiro128** : small state, good statistical quality, fully integer (so bit-exact everywhere). */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    let s = (seed ^ Math.imul(stream, 0x27d4eb2d)) >>> 0;
    s = splitmix32(s);
    this.a = s;
    s = splitmix32(s ^ 0x6a09e667);
    this.b = s;
    s = splitmix32(s ^ 0xbb67ae85);
    this.c = s;
    s = splitmix32(s ^ 0x3c6ef372);
    this.d = s | 1; // an all-zero state would be a fixed point
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  between(lo: number, hi: number): number {
    return lo + this.nextInt(hi - lo + 1);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Hands out one independent stream per stable id (a device name) for a run's seed. */
export class RandomStreams {
  constructor(readonly seed: number) {}

  forId(id: string): Prng {
    return new Prng(this.seed >>> 0, hashString(id));
  }
}
