import { describe, expect, it } from 'vitest';
import type { RunStepResult } from '../contract.ts';
import type { LabRun, RunEvent } from '../../../emulator/run/types.ts';
import type { WorkerBatch, WorkerToHost } from './protocol.ts';
import { RunLoop } from './run-loop.ts';

/**
 * A network reduced to a list of timed events, each due at its time: it says when the next one
 * is due, as the engine does, so a step can stop on it.
 */
function scriptedRun(script: RunEvent[], endTime: number | null): LabRun & { advances: number[] } {
  let now = 0;
  const advances: number[] = [];
  const due = () => script.filter((e) => e.t > now);
  return {
    advances,
    status: () => ({ now, endTime, done: endTime !== null && now >= endTime, eventsExecuted: 0, frameHops: 0 }),
    nextEventAt: () => due()[0]?.t ?? null,
    advance(untilNs) {
      const until = endTime === null ? untilNs : Math.min(untilNs, endTime);
      advances.push(until);
      const out = due().filter((e) => e.t <= until);
      now = Math.max(now, until);
      return out;
    },
    consoleInput: () => ({ output: '', prompt: '' }),
    consolePrompt: () => '',
    startCapture: () => 'cap-1',
    stopCapture: () => undefined,
    exportCapture: () => new Uint8Array(),
    listCaptures: () => [],
  };
}

/**
 * The worker's surroundings, driven by hand: wall time moves only when a test says so (or by a
 * fixed amount per reading), and yielded work waits until the test lets it run.
 */
class Harness {
  readonly posted: WorkerToHost[] = [];
  private readonly queued: (() => void)[] = [];
  wall = 0;
  /** Wall milliseconds each reading of the clock costs: makes every advance look slow. */
  msPerReading = 0;
  readonly loop: RunLoop;

  constructor(run: LabRun, paused = true) {
    this.loop = new RunLoop(run, 0, 50, paused, {
      post: (msg) => this.posted.push(msg),
      now: () => (this.wall += this.msPerReading),
      setTimer: (fn) => this.queued.push(fn),
      yieldThen: (fn) => this.queued.push(fn),
    });
  }

  /** Lets queued slices and timers run until nothing is left (or `limit` rounds). */
  drain(limit = 10_000): void {
    for (let i = 0; i < limit && this.queued.length > 0; i++) this.queued.shift()!();
  }

  batches(): WorkerBatch[] {
    return this.posted.filter((m): m is WorkerBatch => m.type === 'batch');
  }

  steps(): { stepId: number; result: RunStepResult }[] {
    return this.posted.flatMap((m) => (m.type === 'stepped' ? [{ stepId: m.stepId, result: m.result }] : []));
  }

  lastBatch(): WorkerBatch {
    return this.batches().at(-1)!;
  }
}

const ev = (t: number, kind: string, device?: string): RunEvent => ({ t, kind, text: `${kind} at ${t}`, ...(device ? { device } : {}) });

describe('stepping a paused run', () => {
  it('a 100 ms step moves the clock by exactly 1e8 ns and leaves the run paused', () => {
    const h = new Harness(scriptedRun([ev(0.05e9, 'port.up', 'sw1'), ev(0.3e9, 'link.down')], 10e9));
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'time', ns: 1e8 } });
    h.drain();
    expect(h.steps()).toEqual([{ stepId: 1, result: { now: 1e8, reason: 'elapsed' } }]);
    expect(h.lastBatch()).toMatchObject({ state: 'paused', status: { now: 1e8 } });
    expect(h.batches().flatMap((b) => b.events.map((e) => e.kind))).toEqual(['port.up']);

    h.loop.handle({ type: 'step', stepId: 2, step: { by: 'time', ns: 1e8 } });
    h.drain();
    expect(h.steps()[1]!.result).toEqual({ now: 2e8, reason: 'elapsed' });
  });

  it('a next-event step runs past housekeeping and halts on the nanosecond of the next notable event, reporting it', () => {
    const script = [ev(0.5e9, 'igmp.join', 'sw1'), ev(2_250_000_123, 'link.down'), ev(2_250_000_123, 'port.down', 'pc2'), ev(6e9, 'port.up', 'pc2')];
    const h = new Harness(scriptedRun(script, 10e9));
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'event', withinNs: null } });
    h.drain();
    expect(h.steps()).toEqual([{ stepId: 1, result: { now: 2_250_000_123, reason: 'event', event: script[1] } }]);
    expect(h.lastBatch()).toMatchObject({ state: 'paused', status: { now: 2_250_000_123 } });
    // Everything on the way still reaches the timeline, the quiet kinds included (the UI hides those).
    expect(h.batches().flatMap((b) => b.events.map((e) => e.kind))).toEqual(['igmp.join', 'link.down', 'port.down']);
    // The batch with the event is out before the answer, so the UI shows the event when the step ends.
    expect(h.posted.at(-1)!.type).toBe('stepped');

    h.loop.handle({ type: 'step', stepId: 2, step: { by: 'event', withinNs: null } });
    h.drain();
    expect(h.steps()[1]!.result).toMatchObject({ now: 6e9, reason: 'event', event: { kind: 'port.up' } });
  });

  it('a next-event step with nothing ahead stops at its limit, or at the run’s end', () => {
    const h = new Harness(scriptedRun([ev(1e9, 'link.down')], 10e9));
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'event', withinNs: null } });
    h.loop.handle({ type: 'step', stepId: 2, step: { by: 'event', withinNs: 3e9 } });
    h.drain();
    expect(h.steps().map((s) => s.result)).toEqual([
      { now: 1e9, reason: 'event', event: ev(1e9, 'link.down') },
      { now: 4e9, reason: 'limit' },
    ]);
    expect(h.lastBatch().state).toBe('paused');

    h.loop.handle({ type: 'step', stepId: 3, step: { by: 'event', withinNs: null } });
    h.drain();
    expect(h.steps()[2]!.result).toEqual({ now: 10e9, reason: 'end' });
    expect(h.lastBatch().state).toBe('done');
  });

  it('a run with no end gives a next-event step an hour at most', () => {
    const h = new Harness(scriptedRun([], null));
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'event', withinNs: null } });
    h.drain();
    expect(h.steps()[0]!.result).toEqual({ now: 3600e9, reason: 'limit' });
    expect(h.lastBatch().state).toBe('paused');
  });

  it('a long step runs in slices, reports progress on the way, and a pause ends it where it has got to', () => {
    const run = scriptedRun([ev(50e9, 'link.down')], 100e9);
    const h = new Harness(run);
    // Every advance looks slow, so each slice holds one and then lets messages through.
    h.msPerReading = 15;
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'time', ns: 30e9 } });
    expect(h.steps()).toEqual([]);
    h.drain(3);
    expect(h.steps()).toEqual([]);
    const reached = run.status().now;
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(30e9);
    expect(h.batches().some((b) => b.status.now > 0 && b.state === 'paused')).toBe(true);

    h.loop.handle({ type: 'pause' });
    expect(h.steps()).toEqual([{ stepId: 1, result: { now: reached, reason: 'interrupted' } }]);
    h.drain();
    expect(run.status().now).toBe(reached);
    expect(h.lastBatch()).toMatchObject({ state: 'paused', status: { now: reached } });
    expect(h.loop.currentState).toBe('paused');
  });

  it('resume and stop end a step too; a step of a running run does nothing', () => {
    const run = scriptedRun([], 100e9);
    const h = new Harness(run);
    h.msPerReading = 15;
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'time', ns: 90e9 } });
    h.loop.handle({ type: 'resume' });
    expect(h.steps()[0]!.result.reason).toBe('interrupted');
    expect(h.loop.currentState).toBe('running');

    const before = run.status().now;
    h.loop.handle({ type: 'step', stepId: 2, step: { by: 'time', ns: 1e9 } });
    expect(h.steps()[1]!.result).toEqual({ now: before, reason: 'interrupted' });

    h.loop.handle({ type: 'pause' });
    h.loop.handle({ type: 'step', stepId: 3, step: { by: 'time', ns: 90e9 } });
    h.loop.handle({ type: 'stop' });
    expect(h.steps()[2]!.result.reason).toBe('interrupted');
    expect(h.lastBatch().state).toBe('stopped');
    h.drain();
    expect(h.steps()).toHaveLength(3);
  });

  it('without a way to see what is due, a next-event step still stops, at the end of the slice that held the event', () => {
    const run = scriptedRun([ev(2.5e6, 'link.down')], 10e9);
    delete run.nextEventAt;
    const h = new Harness(run);
    h.loop.handle({ type: 'step', stepId: 1, step: { by: 'event', withinNs: null } });
    h.drain();
    const { result } = h.steps()[0]!;
    expect(result).toMatchObject({ reason: 'event', event: { t: 2.5e6, kind: 'link.down' } });
    expect(result.now).toBeGreaterThanOrEqual(2.5e6);
    expect(result.now).toBe(run.status().now);
  });
});
