import { describe, expect, it } from 'vitest';
import type { HostApi } from '../contract.ts';
import { HostError } from '../services/host-error.ts';
import { createDispatcher } from './dispatch.ts';

/** A HostApi that records what reached it, to prove bad calls never do. */
function recordingApi() {
  const calls: { method: string; args: unknown[] }[] = [];
  const api = new Proxy({} as HostApi, {
    get: (_t, method: string) =>
      (...args: unknown[]) => {
        calls.push({ method, args });
        return Promise.resolve('ok');
      },
  });
  return { api, calls };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof HostError ? err.code : 'other';
  }
}

describe('validating dispatcher (shared by the IPC and WebSocket transports)', () => {
  it('passes well-formed calls through with the parsed arguments', async () => {
    const { api, calls } = recordingApi();
    const dispatch = createDispatcher(api);
    await expect(dispatch('stepRun', ['run-1', 0.5])).resolves.toBe('ok');
    await dispatch('stepRun', ['run-1', { to: 'next-event', withinSeconds: 30 }]);
    await dispatch('startRun', [{ text: 'x', file: 'a.lab.yaml', seed: 4, speed: 0 }]);
    await dispatch('devicePorts', [[{ kind: 'router', settings: { ports: 8 } }, { kind: 'cisco-catalyst-3750', settings: {}, parentKind: 'cisco-catalyst-3750-stack', slot: 2 }]]);
    expect(calls).toEqual([
      { method: 'stepRun', args: ['run-1', 0.5] },
      { method: 'stepRun', args: ['run-1', { to: 'next-event', withinSeconds: 30 }] },
      { method: 'startRun', args: [{ text: 'x', file: 'a.lab.yaml', seed: 4, speed: 0 }] },
      {
        method: 'devicePorts',
        args: [[{ kind: 'router', settings: { ports: 8 } }, { kind: 'cisco-catalyst-3750', settings: {}, parentKind: 'cisco-catalyst-3750-stack', slot: 2 }]],
      },
    ]);
  });

  it('refuses unknown methods, wrong types, extra keys and oversized text', async () => {
    const { api, calls } = recordingApi();
    const dispatch = createDispatcher(api);
    const bad: [unknown, unknown][] = [
      ['deleteEverything', []],
      ['toString', []],
      ['hasOwnProperty', []],
      [42, []],
      ['openLab', []],
      ['openLab', ['']],
      ['openLab', ['a', 'b']],
      ['openLab', 'a'],
      ['openLab', null],
      ['stepRun', ['run-1', 0]],
      ['stepRun', ['run-1', Number.NaN]],
      ['stepRun', ['run-1', { to: 'previous-event' }]],
      ['stepRun', ['run-1', { to: 'next-event', withinSeconds: 0 }]],
      ['stepRun', ['run-1', { to: 'next-event', kinds: ['link.down'] }]],
      ['startRun', [{ text: 'x', file: '', seed: -1, speed: 0 }]],
      ['startRun', [{ text: 'x', file: '', seed: 1, speed: 0, code: 'rm -rf /' }]],
      ['saveLab', ['/a.lab.yaml', 'x'.repeat(20 * 1024 * 1024 + 1)]],
      ['discardSnapshot', [1.5]],
      ['newLab', ['x'.repeat(64)]],
      ['devicePorts', []],
      ['devicePorts', [{ kind: 'router', settings: {} }]],
      ['devicePorts', [[{ kind: 'router' }]]],
      ['devicePorts', [[{ kind: '', settings: {} }]]],
      ['devicePorts', [[{ kind: 'router', settings: { ports: { $gt: 1 } } }]]],
      ['devicePorts', [[{ kind: 'router', settings: { ports: Number.POSITIVE_INFINITY } }]]],
      ['devicePorts', [[{ kind: 'router', settings: {}, slot: -1 }]]],
      ['devicePorts', [[{ kind: 'router', settings: {}, slot: 1.5 }]]],
      ['devicePorts', [[{ kind: 'router', settings: {}, script: 'x' }]]],
      ['devicePorts', [[{ kind: 'router', settings: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`s${i}`, 1])) }]]],
      ['devicePorts', [Array.from({ length: 257 }, () => ({ kind: 'router', settings: {} }))]],
    ];
    for (const [method, args] of bad) expect(await codeOf(dispatch(method, args)), String(method)).toBe('invalid-argument');
    expect(calls).toEqual([]);
  });

  it('passes the services\' own errors through unchanged', async () => {
    const api = { openLab: () => Promise.reject(new HostError('not-found', 'gone')) } as unknown as HostApi;
    await expect(createDispatcher(api)('openLab', ['x'])).rejects.toMatchObject({ code: 'not-found', message: 'gone' });
  });
});
