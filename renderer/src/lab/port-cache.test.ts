import { describe, expect, it } from 'vitest';
import type { CatalogPort, DevicePortsQuery } from '../../../electron/host/contract.ts';
import { routerPorts } from './fake-port-answers.ts';
import { createPortCache } from './port-cache.ts';

/** A host that holds each batch until `answer()`; `down` while there is no host to ask. */
function slowHost() {
  const batches: DevicePortsQuery[][] = [];
  const held: { queries: DevicePortsQuery[]; resolve: (lists: (CatalogPort[] | null)[]) => void; reject: (e: Error) => void }[] = [];
  const host = {
    down: false,
    batches,
    cache: createPortCache((queries) => {
      if (host.down) return undefined;
      batches.push(queries);
      return new Promise((resolve, reject) => held.push({ queries, resolve, reject }));
    }),
    /** Lets the cache send what it was asked for. */
    sent: () => Promise.resolve(),
    async answer() {
      await Promise.resolve();
      const now = held.splice(0);
      for (const h of now) h.resolve(h.queries.map(routerPorts));
      await Promise.resolve();
    },
    async fail() {
      await Promise.resolve();
      for (const h of held.splice(0)) h.reject(new Error('connection lost'));
      await Promise.resolve();
    },
  };
  return host;
}

const eight: DevicePortsQuery = { kind: 'router', settings: { ports: 8 } };
const six: DevicePortsQuery = { kind: 'router', settings: { ports: 6 } };

describe('the cache of the host\'s port answers', () => {
  it('asks once for two thousand devices with the same settings, and once more only for other settings', async () => {
    const host = slowHost();
    const answers = host.cache.getState().answers;
    for (let i = 0; i < 2000; i++) answers.want('r8', eight);
    answers.want('r6', six);
    await host.sent();
    expect(host.batches).toEqual([[eight, six]]);
    answers.want('r8', eight);
    await host.sent();
    expect(host.batches).toHaveLength(1);
    expect(answers.get('r8')).toBeUndefined();
  });

  it('hands out new answers once the host replies, so what was drawn from the old ones is drawn again', async () => {
    const host = slowHost();
    const before = host.cache.getState().answers;
    before.want('r8', eight);
    await host.answer();
    const after = host.cache.getState().answers;
    expect(after).not.toBe(before);
    expect(after.get('r8')?.map((p) => p.name)).toEqual(routerPorts(eight)?.map((p) => p.name));
    // The same list each time, so entries made from it can be kept.
    after.want('r8', eight);
    await host.sent();
    expect(host.batches).toHaveLength(1);
    expect(host.cache.getState().answers.get('r8')).toBe(after.get('r8'));
  });

  it('sends a long list of questions in batches the host accepts', async () => {
    const host = slowHost();
    const answers = host.cache.getState().answers;
    for (let n = 0; n < 600; n++) answers.want(`k${n}`, { kind: 'router', settings: { ports: (n % 8) + 1 } });
    await host.sent();
    expect(host.batches.map((b) => b.length)).toEqual([256, 256, 88]);
  });

  it('asks again after a failed request or while there was no host, and drops answers from before a reset', async () => {
    const host = slowHost();
    host.down = true;
    host.cache.getState().answers.want('r8', eight);
    await host.sent();
    expect(host.batches).toEqual([]);
    host.down = false;
    host.cache.getState().answers.want('r8', eight);
    await host.fail();
    host.cache.getState().answers.want('r8', eight);
    await host.sent();
    expect(host.batches).toEqual([[eight], [eight]]);
    host.cache.getState().reset();
    await host.answer();
    expect(host.cache.getState().answers.get('r8')).toBeUndefined();
  });
});
