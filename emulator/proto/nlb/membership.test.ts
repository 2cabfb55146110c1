import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { DEFAULT_TIMERS, NlbMembership } from './membership.ts';

function host(id: number) {
  const events: { kind: string; t: number }[] = [];
  let now = 0;
  const m = new NlbMembership({ clusterIp: 100, hostId: id, dedicatedIp: id, rulesHash: 7 }, DEFAULT_TIMERS, (kind) => events.push({ kind, t: now }));
  return { m, events, at: (t: number) => (now = t) };
}

describe('membership without a network', () => {
  it('a lone host converges alone once membership held still for the convergence time, at its tick', () => {
    const h = host(1);
    h.m.start(0);
    for (let t = 1; t <= 2; t++) h.m.tick(t * SECOND);
    expect(h.m.state).toBe('converging');
    h.at(3 * SECOND);
    h.m.tick(3 * SECOND);
    expect(h.m.state).toBe('converged');
    expect(h.m.converged).toEqual([1]);
    expect(h.m.isDefault()).toBe(true);
  });

  it('a new host heard while converged restarts convergence; silence for the tolerance removes it', () => {
    const h = host(2);
    h.m.start(0);
    for (let t = 1; t <= 3; t++) h.m.tick(t * SECOND);
    h.m.heard({ hostId: 1, dedicatedIp: 1, rulesHash: 7, converging: true }, 3.5 * SECOND);
    expect(h.m.state).toBe('converging');
    expect(h.m.convergences).toBe(2);
    h.m.heard({ hostId: 1, dedicatedIp: 1, rulesHash: 7, converging: true }, 4.5 * SECOND);
    for (let t = 4; t <= 6; t++) h.m.tick(t * SECOND);
    expect(h.m.converged).toEqual([1, 2]);
    expect(h.m.isDefault()).toBe(false);
    // host 1 last heard at 4.5 s: offline at the first tick 5 periods later
    for (let t = 7; t <= 9; t++) h.m.tick(t * SECOND);
    expect(h.m.state).toBe('converged');
    h.m.tick(10 * SECOND);
    expect(h.m.state).toBe('converging');
    for (let t = 11; t <= 13; t++) h.m.tick(t * SECOND);
    expect(h.m.converged).toEqual([2]);
  });

  it('ignores its own heartbeat looped back, but not another host claiming its priority', () => {
    const h = host(1);
    h.m.start(0);
    h.m.heard({ hostId: 1, dedicatedIp: 1, rulesHash: 7, converging: true }, 0.5 * SECOND);
    expect(h.m.conflicts()).toEqual([]);
    h.m.heard({ hostId: 1, dedicatedIp: 9, rulesHash: 7, converging: true }, 0.6 * SECOND);
    expect(h.m.conflicts()).toHaveLength(1);
    for (let t = 1; t <= 4; t++) h.m.tick(t * SECOND);
    expect(h.m.state).toBe('converging');
    // the intruder goes quiet: the conflict ages out and the host converges
    for (let t = 5; t <= 10; t++) h.m.tick(t * SECOND);
    expect(h.m.state).toBe('converged');
  });
});
