import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleOutput } from '../contract.ts';
import { BatchLog, EMPTY_LAB, FAKE_WORKER, tempDir } from '../test-support/host-fixtures.ts';
import { HostServices } from './host-services.ts';

let services: HostServices;
let home: string;

beforeEach(() => {
  home = path.join(tempDir('services'), 'home');
  services = HostServices.forNode({ transport: 'websocket', env: { LABBOX_HOME: home }, worker: FAKE_WORKER });
});
afterEach(() => services.dispose());

describe('host services', () => {
  it('keeps autosave snapshots for recovery until they are discarded or the lab is saved', async () => {
    await services.autosave(null, `${EMPTY_LAB}# draft 1\n`);
    await services.autosave(null, `${EMPTY_LAB}# draft 2\n`);
    const file = path.join(home, 'labs', 'kept.lab.yaml');
    await services.autosave(file, `${EMPTY_LAB}# unsaved edit\n`);
    const snaps = await services.recoverySnapshots();
    expect(snaps.map((s) => [s.labPath, s.text.split('\n').at(-2)])).toEqual([
      [file, '# unsaved edit'],
      [null, '# draft 2'],
      [null, '# draft 1'],
    ]);
    await services.saveLabAs(file, EMPTY_LAB);
    await services.discardSnapshot(snaps[2]!.id);
    expect((await services.recoverySnapshots()).map((s) => s.text.split('\n').at(-2))).toEqual(['# draft 2']);
  });

  it('edits console lines as a terminal does and shows the device prompt after each answer', async () => {
    const log = new BatchLog();
    services.onRunEvents(log.listener);
    const out: ConsoleOutput[] = [];
    services.onConsoleOutput((o) => out.push(o));
    const run = await services.startRun({ text: EMPTY_LAB, file: '', seed: 1, speed: 0, forSeconds: 1 });
    const { consoleId, banner } = await services.openConsole(run.runId, 'sw1');
    expect(banner.endsWith('sw1#')).toBe(true);
    await services.consoleWrite(consoleId, 'echo hexx');
    await services.consoleWrite(consoleId, '\x7f\x7fllo there\r');
    await services.consoleWrite(consoleId, 'conf\x03');
    await services.consoleWrite(consoleId, 'bogus\r');
    const screen = out.filter((o) => o.consoleId === consoleId).map((o) => o.data).join('');
    expect(screen).toBe('echo hexx\b \b\b \bllo there\r\nhello there\r\nsw1#conf^C\r\nsw1#bogus\r\n% Unknown command "bogus"\r\nsw1#');
    await expect(services.openConsole(run.runId, 'missing-dev')).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(services.consoleWrite('console-999', 'x')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('exports a capture as base64 pcapng named after the lab and target', async () => {
    const file = path.join(home, 'labs', 'cap.lab.yaml');
    const run = await services.startRun({ text: EMPTY_LAB, file, seed: 1, speed: 0, forSeconds: 5 });
    const cap = await services.startCapture(run.runId, 'sw1:Gi0/1');
    expect(cap).toMatchObject({ runId: run.runId, target: 'sw1:Gi0/1', frames: 0 });
    await services.stopCapture(run.runId, cap.id);
    expect(await services.listCaptures(run.runId)).toEqual([{ ...cap, frames: expect.any(Number) }]);
    const exported = await services.exportCapture(run.runId, cap.id);
    expect(exported.fileName).toBe('cap-sw1_Gi0_1.pcapng');
    expect(Buffer.from(exported.base64, 'base64').toString()).toMatch(/^fake pcapng: sw1:Gi0\/1 \d+ frames$/);
  });

  it('offers the device catalog as plain data the palette can use', async () => {
    const catalog = await services.deviceCatalog();
    const pc = catalog.find((k) => k.kind === 'pc');
    expect(pc).toMatchObject({ vendor: expect.any(String), role: 'host', configSyntax: null });
    expect(pc!.ports[0]).toMatchObject({ name: 'eth0', speedBps: 1e9, medium: 'copper', aliases: expect.arrayContaining(['nic1']) });
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog);
  });

  it('lists the ports of a batch of devices as their settings give them, in order, with nothing for one it cannot place', async () => {
    const [router, unknown, stockRouter] = await services.devicePorts([
      { kind: 'router', settings: { ports: 8 } },
      { kind: 'no-such-kind', settings: {} },
      { kind: 'router', settings: {} },
    ]);
    expect(router?.map((p) => p.name)).toEqual(['GigabitEthernet0/0', 'GigabitEthernet0/1', 'GigabitEthernet0/2', 'GigabitEthernet0/3', 'GigabitEthernet0/4', 'GigabitEthernet0/5', 'GigabitEthernet0/6', 'GigabitEthernet0/7']);
    expect(unknown).toBeNull();
    expect(stockRouter).toEqual((await services.deviceCatalog()).find((e) => e.kind === 'router')?.ports);
  });

  it('refuses to run a lab that does not validate, or a scenario it does not have', async () => {
    await expect(services.startRun({ text: 'kind: Lab\n', file: 'x.lab.yaml', seed: 1, speed: 0 })).rejects.toMatchObject({ code: 'invalid-lab' });
    await expect(services.startRun({ text: EMPTY_LAB, file: '', scenario: 'nope', seed: 1, speed: 0 })).rejects.toMatchObject({
      code: 'not-found',
      message: 'no scenario "nope" in empty; it has none',
    });
  });
});
