import { describe, expect, it } from 'vitest';
import { EventHeap } from './event-heap.ts';

describe('event heap', () => {
  it('pops by time, then by sequence', () => {
    const h = new EventHeap();
    const items = Array.from({ length: 200 }, (_, i) => ({ t: (i * 7919) % 13, s: i }));
    for (const it of items) h.push(it.t, it.s, it.s);
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop());
    expect(out).toEqual([...items].sort((a, b) => a.t - b.t || a.s - b.s).map((x) => x.s));
  });
});
