import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsPush, WsResponse } from '../contract.ts';
import { HostServices } from '../services/host-services.ts';
import { BatchLog, EMPTY_LAB, FAKE_WORKER, tempDir } from '../test-support/host-fixtures.ts';
import { startWebServer, type WebServer } from './web-server.ts';

let server: WebServer;
let services: HostServices;
let rendererDir: string;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  const home = tempDir('ws');
  rendererDir = path.join(home, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>LabBox</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(home, 'secret.txt'), 'do not serve');
  services = HostServices.forNode({ transport: 'websocket', env: { LABBOX_HOME: path.join(home, 'ws-home') }, worker: FAKE_WORKER });
  server = await startWebServer({ api: services, port: 0, rendererDir });
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await server.close();
  await services.dispose();
});

/** A socket client that numbers requests and collects pushes, as the renderer's does. */
async function connect(origin = `http://127.0.0.1:${server.port}`) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { origin });
  sockets.push(ws);
  const pushes: WsPush[] = [];
  const answers = new Map<number, (r: WsResponse) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as WsResponse | WsPush;
    if ('push' in msg) pushes.push(msg);
    else answers.get(msg.id)?.(msg);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 1;
  const call = (method: string, args: unknown): Promise<WsResponse> => {
    const id = next++;
    return new Promise((resolve) => {
      answers.set(id, resolve);
      ws.send(JSON.stringify({ id, method, args }));
    });
  };
  return { ws, call, pushes };
}

function get(urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: urlPath, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser shell server', () => {
  it('serves the renderer with a strict CSP', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>LabBox</title>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain(`ws://127.0.0.1:${server.port}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await get('/nope.js')).status).toBe(404);
  });

  it('refuses to serve anything outside the built renderer', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/%00index.html', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await get(p);
      expect([403, 404], p).toContain(res.status);
      expect(res.body).not.toContain('do not serve');
    }
  });

  it('answers only to its own host name (DNS rebinding)', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(421);
  });

  it('says how to build the UI when it has not been built', async () => {
    fs.rmSync(path.join(rendererDir, 'index.html'));
    const res = await get('/');
    expect(res.status).toBe(503);
    expect(res.body).toContain('npx vite build --config renderer/vite.config.ts');
  });

  it('serves the host contract over /ws', async () => {
    const { call } = await connect();
    const info = await call('hostInfo', []);
    expect(info).toMatchObject({ ok: true, result: { transport: 'websocket', version: expect.any(String) } });
    const created = await call('newLab', ['my-lab']);
    expect(created.ok).toBe(true);
    const saved = await call('saveLabAs', ['my-lab', (created as { result: { text: string } }).result.text]);
    expect(saved).toMatchObject({ ok: true, result: { errors: [] } });
    const list = await call('listLabs', []);
    expect((list as { result: { name: string }[] }).result.map((l) => l.name)).toContain('my-lab');
  });

  it('rejects bad arguments with invalid-argument before they reach the services', async () => {
    const { call } = await connect();
    for (const [method, args] of [
      ['stepRun', ['run-1', -5]],
      ['openLab', [42]],
      ['newLab', []],
      ['startRun', [{ text: EMPTY_LAB, file: '', seed: 1, speed: 0, evil: true }]],
      ['saveLab', 'not-a-tuple'],
      ['constructor', []],
      ['__proto__', []],
    ] as const) {
      const res = await call(method, args);
      expect(res, method).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
  });

  it('answers malformed frames without crashing', async () => {
    const { ws, call } = await connect();
    ws.send('not json');
    ws.send(JSON.stringify({ method: 'hostInfo', args: [] }));
    expect(await call('hostInfo', [])).toMatchObject({ ok: true });
  });

  it('refuses WebSocket connections from another origin', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null']) {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { origin });
      sockets.push(ws);
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
        ws.on('open', () => resolve(101));
      });
      expect(status, origin).toBe(403);
    }
  });

  it('pushes run events and console output to connected pages', async () => {
    const { call, pushes } = await connect();
    const log = new BatchLog();
    services.onRunEvents(log.listener);
    const started = await call('startRun', [{ text: EMPTY_LAB, file: '', seed: 3, speed: 0, forSeconds: 5 }]);
    expect(started.ok).toBe(true);
    const runId = (started as { result: { runId: string } }).result.runId;
    await log.next((b) => b.runId === runId && b.state === 'done');
    const opened = (await call('openConsole', [runId, 'h1'])) as { ok: true; result: { consoleId: string; banner: string } };
    expect(opened.result.banner).toContain('h1#');
    await call('consoleWrite', [opened.result.consoleId, 'echo hello\r']);
    await expect.poll(() => pushes.some((p) => p.push === 'runEvents' && (p.payload as { state: string }).state === 'done')).toBe(true);
    await expect
      .poll(() => pushes.filter((p) => p.push === 'consoleOutput').map((p) => (p.payload as { data: string }).data).join(''))
      .toBe('echo hello\r\nhello\r\nh1#');
  });

  it('refuses a run of a lab with errors, listing them', async () => {
    const { call } = await connect();
    const res = await call('startRun', [{ text: 'apiVersion: labbox/v1\nkind: Lab\n', file: 'broken.lab.yaml', seed: 1, speed: 0 }]);
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid-lab', errors: [expect.objectContaining({ file: 'broken.lab.yaml' })] } });
  });
});
