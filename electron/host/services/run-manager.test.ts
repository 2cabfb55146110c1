import { afterEach, describe, expect, it } from 'vitest';
import type { Lab } from '../../../emulator/lab/schema.ts';
import { BatchLog, FAKE_WORKER } from '../test-support/host-fixtures.ts';
import { HostError } from './host-error.ts';
import { RunManager, type RunHistory } from './run-manager.ts';

const lab: Lab = {
  apiVersion: 'labbox/v1',
  kind: 'Lab',
  metadata: { name: 'two-hosts' },
  devices: [
    { name: 'h1', kind: 'host' },
    { name: 'h2', kind: 'host' },
  ],
  links: [],
  scenarios: [],
  guide: [],
};

let manager: RunManager | null = null;
afterEach(async () => {
  await manager?.dispose();
  manager = null;
});

describe('run workers', () => {
  it('runs a lab flat out to its end and reports every event in batches', async () => {
    const recorded: { outcome: string; report: unknown }[] = [];
    const history: RunHistory = {
      recordRunStart: () => 41,
      recordRunFinish: (_id, outcome, report) => recorded.push({ outcome, report }),
    };
    manager = new RunManager({ worker: FAKE_WORKER, history });
    const log = new BatchLog();
    manager.onBatch(log.listener);
    const info = manager.start({ lab, file: '/labs/two.lab.yaml', scenario: null, seed: 7, speed: 0, forNs: 30e9 });
    expect(info.state).toBe('running');
    const report = await manager.finished(info.runId);
    expect(report.state).toBe('done');
    expect(report.passed).toBe(true);
    expect(report.simulatedSeconds).toBe(30);
    // One clock tick and one event per device for each of the 30 simulated seconds.
    expect(report.eventCounts).toEqual({ 'clock.tick': 30, tick: 60 });
    expect(log.events(info.runId)).toHaveLength(90);
    expect(log.events(info.runId)[1]!.text).toContain('seed 7');
    const last = log.batches.at(-1)!;
    expect(last).toMatchObject({ runId: info.runId, state: 'done', now: 30e9, endTime: 30e9 });
    expect(recorded).toEqual([{ outcome: 'passed', report }]);
    expect(manager.list()[0]!.state).toBe('done');
  });

  it('pauses, steps by simulated seconds, resumes and stops', async () => {
    manager = new RunManager({ worker: FAKE_WORKER });
    const log = new BatchLog();
    manager.onBatch(log.listener);
    const { runId } = manager.start({ lab, file: '', scenario: null, seed: 1, speed: 1, paused: true });
    await log.next((b) => b.state === 'paused');
    expect(() => manager!.step('run-999', 1)).toThrow(HostError);

    const stepped = log.upcoming((b) => b.now === 2e9);
    manager.step(runId, 2);
    await stepped;
    expect(log.events(runId).filter((e) => e.kind === 'clock.tick').map((e) => e.t)).toEqual([1e9, 2e9]);

    const running = log.upcoming((b) => b.state === 'running');
    manager.resume(runId);
    await running;
    expect(() => manager!.step(runId, 1)).toThrowError(/pause it before stepping/);

    const paused = log.upcoming((b) => b.state === 'paused');
    manager.pause(runId);
    await paused;

    manager.stop(runId);
    const report = await manager.finished(runId);
    expect(report.state).toBe('stopped');
    expect(report.passed).toBe(false);
    expect(() => manager!.resume(runId)).toThrowError(/stopped/);
  });

  it('steps in the chosen unit, or on to the next event, and the run stays paused', async () => {
    manager = new RunManager({ worker: FAKE_WORKER });
    const log = new BatchLog();
    manager.onBatch(log.listener);
    const { runId } = manager.start({ lab, file: '', scenario: null, seed: 1, speed: 1, forNs: 5e9, paused: true });

    await expect(manager.step(runId, 0.1)).resolves.toEqual({ now: 1e8, reason: 'elapsed' });
    expect(log.batches.at(-1)).toMatchObject({ state: 'paused', now: 1e8 });
    await expect(manager.step(runId, 0.01)).resolves.toEqual({ now: 1.1e8, reason: 'elapsed' });

    // The next thing the timeline would list is the tick at one second.
    const next = await manager.step(runId, { to: 'next-event' });
    expect(next).toEqual({ now: 1e9, reason: 'event', event: { t: 1e9, kind: 'clock.tick', text: 'second 1' } });
    expect(log.batches.at(-1)).toMatchObject({ state: 'paused', now: 1e9 });
    expect(log.events(runId).map((e) => e.t)).toEqual([1e9, 1e9, 1e9]);

    await expect(manager.step(runId, { to: 'next-event', withinSeconds: 0.5 })).resolves.toEqual({ now: 1.5e9, reason: 'limit' });

    // Pause, then step at once: the step finds the run paused, though no batch has said so yet.
    const running = log.upcoming((b) => b.state === 'running');
    manager.resume(runId);
    await running;
    expect(() => manager!.step(runId, 0.1)).toThrowError(/pause it before stepping/);
    manager.pause(runId);
    const after = await manager.step(runId, { to: 'next-event' });
    expect(after.reason).toBe('event');
    expect(after.now % 1e9).toBe(0);
    expect(log.batches.at(-1)).toMatchObject({ state: 'paused', now: after.now });

    // A step that reaches the end finishes the run.
    await expect(manager.step(runId, 10)).resolves.toEqual({ now: 5e9, reason: 'end' });
    expect((await manager.finished(runId)).state).toBe('done');
  });

  it('answers console and capture calls from the live network', async () => {
    manager = new RunManager({ worker: FAKE_WORKER });
    const { runId } = manager.start({ lab, file: '', scenario: null, seed: 1, speed: 0, paused: true });
    await expect(manager.call(runId, { op: 'consolePrompt', device: 'h1' })).resolves.toBe('h1#');
    await expect(manager.call(runId, { op: 'consoleInput', device: 'h1', line: 'echo hi' })).resolves.toEqual({ output: 'hi\nh1#', prompt: 'h1#' });
    await expect(manager.call(runId, { op: 'consolePrompt', device: 'missing1' })).rejects.toThrowError(/no device missing1/);
    const cap = (await manager.call(runId, { op: 'startCapture', target: 'h1:eth0' })) as string;
    manager.step(runId, 3);
    const list = (await manager.call(runId, { op: 'listCaptures' })) as { frames: number }[];
    expect(list).toEqual([{ id: cap, target: 'h1:eth0', frames: 6 }]);
    const bytes = (await manager.call(runId, { op: 'exportCapture', id: cap })) as Uint8Array;
    expect(new TextDecoder().decode(bytes)).toBe('fake pcapng: h1:eth0 6 frames');
  });

  it('reports a run whose network cannot be built as failed', async () => {
    manager = new RunManager({ worker: { file: FAKE_WORKER.file, data: { entry: new URL('../worker/test-support/broken-run-worker.ts', import.meta.url).href } } });
    const { runId } = manager.start({ lab, file: '', scenario: null, seed: 1, speed: 0 });
    const report = await manager.finished(runId);
    expect(report.state).toBe('failed');
    expect(report.error).toContain('cannot build');
  });
});
