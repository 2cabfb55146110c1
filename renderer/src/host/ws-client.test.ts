import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WsRequest } from '../../../electron/host/contract.ts';
import { HostError } from './transport.ts';
import { wsHost, type SocketFactory, type SocketHandlers } from './ws-client.ts';

/** A socket the test drives by hand: it records what the client sent and lets the test answer. */
class FakeSocket {
  sent: WsRequest[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly h: SocketHandlers,
  ) {}
  send(data: string): void {
    this.sent.push(JSON.parse(data) as WsRequest);
  }
  close(): void {
    this.closed = true;
  }
  reply(id: number, result: unknown): void {
    this.h.message(JSON.stringify({ id, ok: true, result }));
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const factory: SocketFactory = (url, h) => {
    const s = new FakeSocket(url, h);
    sockets.push(s);
    return s;
  };
  const host = wsHost({ url: 'ws://127.0.0.1:4791/ws', createSocket: factory, initialBackoffMs: 100, maxBackoffMs: 400 });
  return { ...host, sockets, last: () => sockets[sockets.length - 1] };
}

describe('WebSocket host client', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects to the given url and holds requests until the socket opens', async () => {
    const { api, last } = setup();
    expect(last().url).toBe('ws://127.0.0.1:4791/ws');
    const labs = api.listLabs();
    expect(last().sent).toHaveLength(0);
    last().h.open();
    expect(last().sent).toEqual([{ id: 1, method: 'listLabs', args: [] }]);
    last().reply(1, [{ id: '/labs/a.lab.yaml', title: 'A' }]);
    await expect(labs).resolves.toEqual([{ id: '/labs/a.lab.yaml', title: 'A' }]);
  });

  it('matches answers to requests by id, whatever order they arrive in', async () => {
    const { api, last } = setup();
    last().h.open();
    const a = api.openLab('a');
    const b = api.validateLab('b.lab.yaml', 'text');
    expect(last().sent.map((r) => [r.id, r.method, r.args])).toEqual([
      [1, 'openLab', ['a']],
      [2, 'validateLab', ['b.lab.yaml', 'text']],
    ]);
    last().reply(2, { ok: true, errors: [] });
    last().reply(1, { id: 'a', text: 'x' });
    await expect(a).resolves.toEqual({ id: 'a', text: 'x' });
    await expect(b).resolves.toEqual({ ok: true, errors: [] });
  });

  it('rejects with the host error, keeping its code and lab errors', async () => {
    const { api, last } = setup();
    last().h.open();
    const p = api.saveLab('/x.lab.yaml', 'bad');
    const error = { code: 'invalid-lab', message: 'lab has 1 error', errors: [{ file: 'x', line: 3, col: 1, path: 'devices.0.kind', message: 'unknown kind' }] };
    last().h.message(JSON.stringify({ id: 1, ok: false, error }));
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject(error);
  });

  it('delivers pushes to the listeners of their channel only, until unsubscribed', () => {
    const { api, last } = setup();
    last().h.open();
    const batches: unknown[] = [];
    const outputs: unknown[] = [];
    const off = api.onRunEvents((b) => batches.push(b));
    api.onConsoleOutput((o) => outputs.push(o));
    last().h.message(JSON.stringify({ push: 'runEvents', payload: { runId: 'r1', events: [] } }));
    off();
    last().h.message(JSON.stringify({ push: 'runEvents', payload: { runId: 'r2', events: [] } }));
    expect(batches).toEqual([{ runId: 'r1', events: [] }]);
    expect(outputs).toEqual([]);
  });

  it('ignores garbage and answers to unknown ids instead of failing', async () => {
    const { api, last } = setup();
    last().h.open();
    const p = api.hostInfo();
    last().h.message('not json');
    last().h.message(JSON.stringify({ id: 99, ok: true, result: 1 }));
    last().reply(1, { transport: 'websocket' });
    await expect(p).resolves.toEqual({ transport: 'websocket' });
  });

  it('on a lost connection fails what is in flight, reports disconnected and reconnects with growing delays', async () => {
    const { api, connection, sockets, last } = setup();
    const states: string[] = [];
    connection.onState((s) => states.push(s));
    last().h.open();
    const inFlight = api.listLabs();
    last().h.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/lost/) });
    expect(connection.state).toBe('disconnected');
    // While disconnected, requests fail at once rather than hanging.
    await expect(api.listLabs()).rejects.toMatchObject({ message: expect.stringMatching(/not connected/) });

    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    last().h.close(); // the host is still down
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().h.close();
    last().h.close(); // a duplicate close must not schedule a second attempt
    vi.advanceTimersByTime(400);
    expect(sockets).toHaveLength(4);
    last().h.open();
    expect(states).toEqual(['connected', 'disconnected', 'connected']);

    const again = api.listLabs();
    last().reply(last().sent[0].id, []);
    await expect(again).resolves.toEqual([]);
  });

  it('caps the reconnect delay and resets it after a successful connection', () => {
    const { sockets, last } = setup();
    for (let i = 0; i < 5; i++) {
      last().h.close();
      vi.advanceTimersByTime(400);
    }
    expect(sockets).toHaveLength(6);
    last().h.open();
    last().h.close();
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(7);
  });

  it('after dispose it closes the socket, stops reconnecting and refuses requests', async () => {
    const { api, transport, sockets, last } = setup();
    last().h.open();
    transport.dispose();
    expect(sockets[0].closed).toBe(true);
    last().h.close();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
    await expect(api.listLabs()).rejects.toBeInstanceOf(HostError);
  });
});
