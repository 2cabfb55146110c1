import { afterEach, describe, expect, it } from 'vitest';
import { parseLab } from '../services/lab-codec.ts';
import { RunManager } from '../services/run-manager.ts';
import { BatchLog } from '../test-support/host-fixtures.ts';

const SMALL_LAB = `apiVersion: labbox/v1
kind: Lab
metadata: { name: small }
devices:
  - { name: sw1, kind: l2-switch, settings: { ports: 4 } }
  - { name: pc1, kind: pc, settings: { ip: 10.0.0.1/24 } }
  - { name: pc2, kind: pc, settings: { ip: 10.0.0.2/24 } }
links:
  - { a: pc1:eth0, b: sw1:port1 }
  - { a: pc2:eth0, b: sw1:port2 }
`;

let manager: RunManager | null = null;
afterEach(async () => {
  await manager?.dispose();
  manager = null;
});

function lab() {
  const parsed = parseLab('small.lab.yaml', SMALL_LAB);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.lab;
}

describe('the run worker on the real engine', () => {
  it('runs a small lab in a worker thread: step while paused, capture, run to the end', async () => {
    manager = new RunManager();
    const log = new BatchLog();
    manager.onBatch(log.listener);
    const { runId } = manager.start({ lab: lab(), file: '', scenario: null, seed: 5, speed: 0, forNs: 10e9, paused: true });
    await log.next((b) => b.state === 'paused');
    // A PC answers at a Windows command prompt, through the worker like any other console.
    await expect(manager.call(runId, { op: 'consolePrompt', device: 'pc1' })).resolves.toMatch(/^C:\\Users\\\w+>$/);
    const cap = (await manager.call(runId, { op: 'startCapture', target: 'pc1:eth0' })) as string;

    const stepped = log.upcoming((b) => b.now === 2e9);
    manager.step(runId, 2);
    expect((await stepped).state).toBe('paused');

    manager.resume(runId);
    const report = await manager.finished(runId);
    expect(report).toMatchObject({ state: 'done', passed: true, simulatedNs: 10e9, seed: 5 });
    expect(report.eventsExecuted).toBeGreaterThan(0);

    // A finished run keeps its network, so its consoles and captures can still be inspected.
    const bytes = (await manager.call(runId, { op: 'exportCapture', id: cap })) as Uint8Array;
    expect([...bytes.slice(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
  });

  it('steps a scenario run on to each notable event, on the nanosecond the network reports it', async () => {
    const text = `${SMALL_LAB}scenarios:
  - name: pull
    duration: 6s
    steps:
      - { at: 2500ms, do: link-down, link: "pc2:eth0" }
`;
    const parsed = parseLab('small.lab.yaml', text);
    if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
    manager = new RunManager();
    const log = new BatchLog();
    manager.onBatch(log.listener);
    const { runId } = manager.start({ lab: parsed.lab, file: '', scenario: 'pull', seed: 3, speed: 0, paused: true });

    const first = await manager.step(runId, { to: 'next-event' });
    expect(first).toMatchObject({ now: 2.5e9, reason: 'event', event: { t: 2.5e9, kind: 'scenario.step' } });
    expect(log.events(runId).filter((e) => e.kind === 'link.down').map((e) => e.t)).toEqual([2.5e9]);
    // The ports notice a moment after the cable: the next step stops there, not a slice later.
    const ports = await manager.step(runId, { to: 'next-event' });
    expect(ports).toMatchObject({ reason: 'event', event: { kind: 'port.down' } });
    expect(ports.now).toBe(ports.event!.t);
    expect(ports.now).toBeGreaterThan(2.5e9);
    expect(log.batches.at(-1)).toMatchObject({ state: 'paused', now: ports.now });

    await expect(manager.step(runId, 0.1)).resolves.toEqual({ now: ports.now + 1e8, reason: 'elapsed' });
  });

  it('gives the same run for the same seed', async () => {
    manager = new RunManager();
    const a = manager.start({ lab: lab(), file: '', scenario: null, seed: 9, speed: 0, forNs: 5e9 });
    const b = manager.start({ lab: lab(), file: '', scenario: null, seed: 9, speed: 0, forNs: 5e9 });
    const [ra, rb] = await Promise.all([manager.finished(a.runId), manager.finished(b.runId)]);
    expect([ra.eventsExecuted, ra.frameHops, ra.events]).toEqual([rb.eventsExecuted, rb.frameHops, rb.events]);
  });
});
