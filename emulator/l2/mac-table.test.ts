import { describe, expect, it } from 'vitest';
import { MacTable, NOT_FOUND } from './mac-table.ts';

describe('MAC table', () => {
  it('agrees with a plain map under random learning, moves, removals, flushes and expiry', () => {
    const t = new MacTable(4);
    const ref = new Map<number, { port: number; exp: number }>();
    let x = 99;
    const rand = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    let now = 0;
    for (let step = 0; step < 20000; step++) {
      now += rand(3);
      const mac = 0x020000000000 + rand(300) * 0x1000001; // collide in the low bits on purpose
      const op = rand(10);
      if (op < 6) {
        const port = rand(8);
        const before = ref.get(mac);
        const moved = t.learn(mac, port, now + 500, now);
        const wasAlive = before !== undefined && before.exp > now;
        expect(moved).toBe(wasAlive && before.port !== port ? before.port : NOT_FOUND);
        ref.set(mac, { port, exp: now + 500 });
      } else if (op < 8) {
        const e = ref.get(mac);
        const want = e !== undefined && e.exp > now ? e.port : NOT_FOUND;
        expect(t.lookup(mac, now)).toBe(want);
        if (e !== undefined && e.exp <= now) ref.delete(mac);
      } else if (op < 9) {
        expect(t.remove(mac)).toBe(ref.delete(mac));
      } else if (rand(50) === 0) {
        const port = rand(8);
        t.flushPort(port);
        for (const [m, e] of ref) if (e.port === port) ref.delete(m);
      }
    }
    const live = [...ref].filter(([, e]) => e.exp > now).map(([m, e]) => [m, e.port]).sort((a, b) => a[0] - b[0]);
    expect(t.entries(now).map((e) => [e.mac, e.port]).sort((a, b) => a[0] - b[0])).toEqual(live);
  });

  it('never lets learning overwrite a static entry', () => {
    const t = new MacTable();
    t.setStatic(0x001122334455, 3);
    expect(t.learn(0x001122334455, 5, 1000, 0)).toBe(-2);
    expect(t.lookup(0x001122334455, 1e15)).toBe(3);
    expect(t.flushDynamic()).toBe(0);
    expect(t.entries(0)).toEqual([{ mac: 0x001122334455, port: 3, isStatic: true, expiresNs: Infinity }]);
  });
});
