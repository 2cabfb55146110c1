import { describe, expect, it } from 'vitest';
import type { HostApi, HostPush } from '../contract.ts';
import { attachIpcTransport, createIpcHandler, type IpcMainLike, type IpcResult, type IpcSenderInfo } from './ipc.ts';
import { INVOKE_CHANNEL, PUSH_CHANNEL } from './ipc-channels.ts';

const APP = 'labbox://app/index.html';
const trusted = (url: string) => url.startsWith('labbox://app/');
const fromApp: IpcSenderInfo = { senderFrame: { url: APP, parent: null } };

function fakeApi() {
  const calls: unknown[][] = [];
  const runListeners: ((b: unknown) => void)[] = [];
  const api = {
    stepRun: (...args: unknown[]) => {
      calls.push(args);
      return Promise.resolve();
    },
    hostInfo: () => Promise.resolve({ transport: 'ipc', version: '0.1.0', workspace: '/w' }),
    onRunEvents: (l: (b: unknown) => void) => {
      runListeners.push(l);
      return () => {};
    },
    onConsoleOutput: () => () => {},
  } as unknown as HostApi;
  return { api, calls, runListeners };
}

describe('IPC transport (main side)', () => {
  it('answers valid calls from the app window', async () => {
    const { api, calls } = fakeApi();
    const handle = createIpcHandler(api, trusted);
    expect(await handle(fromApp, 'hostInfo', [])).toEqual({ ok: true, result: { transport: 'ipc', version: '0.1.0', workspace: '/w' } });
    expect(await handle(fromApp, 'stepRun', ['run-1', 2])).toEqual({ ok: true, result: null });
    expect(calls).toEqual([['run-1', 2]]);
  });

  it('validates every argument in main and never lets a bad one through', async () => {
    const { api, calls } = fakeApi();
    const handle = createIpcHandler(api, trusted);
    for (const [method, args] of [
      ['stepRun', ['run-1', '2']],
      ['stepRun', ['run-1']],
      ['stepRun', { 0: 'run-1', 1: 2 }],
      ['require', ['child_process']],
      ['hostInfo', ['extra']],
    ] as const) {
      const res = await handle(fromApp, method, args);
      expect(res, method).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses calls from frames that are not the app page', async () => {
    const { api } = fakeApi();
    const handle = createIpcHandler(api, trusted);
    const senders: IpcSenderInfo[] = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: APP, parent: {} } },
      { senderFrame: null },
    ];
    for (const s of senders) expect(await handle(s, 'hostInfo', [])).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('registers one invoke channel and forwards pushes to the window', async () => {
    const { api, runListeners } = fakeApi();
    const handlers = new Map<string, (e: IpcSenderInfo, ...a: unknown[]) => Promise<IpcResult>>();
    const ipcMain: IpcMainLike = { handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) };
    const sent: [string, HostPush][] = [];
    const detach = attachIpcTransport(ipcMain, api, () => ({ isDestroyed: () => false, send: (c, m) => sent.push([c, m]) }), trusted);
    expect([...handlers.keys()]).toEqual([INVOKE_CHANNEL]);
    expect(await handlers.get(INVOKE_CHANNEL)!(fromApp, 'hostInfo', [])).toMatchObject({ ok: true });
    runListeners[0]!({ runId: 'run-1', state: 'running', now: 0, endTime: null, events: [] });
    expect(sent).toEqual([[PUSH_CHANNEL, { channel: 'runEvents', payload: { runId: 'run-1', state: 'running', now: 0, endTime: null, events: [] } }]]);
    detach();
    expect(handlers.size).toBe(0);
  });
});
