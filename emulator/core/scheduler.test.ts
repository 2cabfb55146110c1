import { describe, expect, it } from 'vitest';
import type { Frame } from './frame.ts';
import { Scheduler } from './scheduler.ts';
import { Prng, RandomStreams } from './prng.ts';

class Recorder {
  seen: [number, number][] = [];
  constructor(private s: Scheduler) {}
  onEvent(code: number, _f: Frame | null): void {
    this.seen.push([this.s.now, code]);
  }
}

describe('scheduler', () => {
  it('runs events in time order and equal times in the order they were scheduled', () => {
    const s = new Scheduler(4); // small, so the heap has to grow
    const r = new Recorder(s);
    const h = s.register(r);
    const times = [50, 10, 50, 30, 10, 50, 0, 30, 10, 70, 50];
    times.forEach((t, i) => s.schedule(t, h, i, null));
    s.runUntil(Infinity);
    const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(r.seen).toEqual(expected);
  });

  it('stops at the requested time and leaves the clock there', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    const h = s.register(r);
    s.schedule(100, h, 1, null);
    s.schedule(200, h, 2, null);
    s.runUntil(150);
    expect(r.seen).toEqual([[100, 1]]);
    expect(s.now).toBe(150);
    expect(s.nextTime()).toBe(200);
  });

  it('refuses times in the past and runs fractional times at the next whole nanosecond', () => {
    const s = new Scheduler();
    const r = new Recorder(s);
    const h = s.register(r);
    s.runUntil(100);
    expect(() => s.schedule(-1, h, 0, null)).toThrow(RangeError);
    s.schedule(0.5, h, 7, null);
    s.runUntil(200);
    expect(r.seen).toEqual([[101, 7]]);
  });

  it('skips cancelled events and ignores stale tokens', () => {
    const s = new Scheduler(2);
    const r = new Recorder(s);
    const h = s.register(r);
    const t1 = s.schedule(10, h, 1, null);
    s.schedule(20, h, 2, null);
    s.cancel(t1);
    s.runUntil(100);
    s.cancel(t1); // slot reused later must not be hit
    s.schedule(10, h, 3, null);
    s.runUntil(200);
    expect(r.seen).toEqual([
      [20, 2],
      [110, 3],
    ]);
    expect(s.executed).toBe(2);
  });
});

describe('random streams', () => {
  it('gives the same numbers for the same seed and id, and different ones per device', () => {
    const a = new RandomStreams(42).forId('sw1');
    const b = new RandomStreams(42).forId('sw1');
    const c = new RandomStreams(42).forId('sw2');
    const d = new RandomStreams(43).forId('sw1');
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
    expect(Array.from({ length: 5 }, () => d.nextU32())).not.toEqual(xs);
  });

  it('is roughly uniform', () => {
    const p = new Prng(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10000; i++) buckets[p.nextInt(10)]++;
    for (const n of buckets) expect(n).toBeGreaterThan(850);
  });
});

describe('scheduler across the near-time window', () => {
  it('keeps time and insertion order for events far ahead, near, and scheduled once the far ones came close', () => {
    const s = new Scheduler(2);
    const r = new Recorder(s);
    const h = s.register(r);
    const far = 1_000_000; // well beyond the 65 µs wheel
    s.schedule(far, h, 1, null);
    s.schedule(far, h, 2, null);
    s.schedule(10, h, 3, null);
    s.schedule(3_000_000_000, h, 4, null); // beyond 2^31 ns
    s.runUntil(far - 100);
    s.schedule(100, h, 5, null); // same instant as 1 and 2, scheduled later: runs after them
    s.schedule(0, h, 6, null);
    s.runUntil(Infinity);
    expect(r.seen).toEqual([
      [10, 3],
      [far - 100, 6],
      [far, 1],
      [far, 2],
      [far, 5],
      [3_000_000_000, 4],
    ]);
  });

  it('matches a reference ordering on a random schedule', () => {
    const s = new Scheduler(4);
    const seen: [number, number][] = [];
    let next = 0;
    const want: [number, number][] = [];
    let x = 12345;
    const rand = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    const h = s.register({
      onEvent(code: number): void {
        seen.push([s.now, code]);
        if (next < 3000) {
          const d = rand(4) === 0 ? rand(500_000) : rand(200);
          const id = next++;
          want.push([s.now + d, id]);
          s.schedule(d, h, id, null);
        }
      },
    });
    for (let i = 0; i < 20; i++) {
      const id = next++;
      const d = rand(100_000);
      want.push([d, id]);
      s.schedule(d, h, id, null);
    }
    s.runUntil(Infinity);
    expect(seen).toEqual([...want].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });
});
