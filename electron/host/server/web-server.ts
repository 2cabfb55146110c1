import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { HostApi, HostPush, WsPush, WsResponse } from '../contract.ts';
import { HostError, toWireError } from '../services/host-error.ts';
import { createDispatcher } from '../transports/dispatch.ts';
import { lookupStatic } from './static-files.ts';

export const DEFAULT_PORT = 4780;
const HOST = '127.0.0.1';
/** The largest request a page may send: a 20 MB lab plus JSON framing. */
const MAX_MESSAGE_BYTES = 24 * 1024 * 1024;
/** A client this far behind on run-event pushes gets later batches skipped until it catches up. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export interface WebServerOptions {
  api: HostApi;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React Flow and xterm position their nodes with inline style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const NOT_BUILT = (dir: string) => `<!doctype html><meta charset="utf-8"><title>LabBox: UI not built</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>The LabBox UI has not been built yet</h1>
<p>The browser shell serves the built renderer from <code>${dir.replace(/[<>&]/g, '')}</code>, which is missing.
Build it with:</p>
<pre>npx vite build --config renderer/vite.config.ts</pre>
<p>then reload this page. (<code>npm run web</code> and <code>npm start</code> build it for you.)</p>`;

/**
 * The browser shell: the built renderer over HTTP and the host contract over a WebSocket at
 * `/ws`, on the loopback interface only. Requests from pages of any other origin are refused,
 * both for the socket (cross-site WebSocket hijacking) and by Host header (DNS rebinding).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const dispatch = createDispatcher(options.api);
  const rendererDir = path.resolve(options.rendererDir);
  let port = options.port;
  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  const server = http.createServer((req, res) => {
    const security = {
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { ...security, 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!allowedHosts().has(req.headers.host ?? '')) return send(421, 'text/plain; charset=utf-8', 'This server answers only to its own address.\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    }
    const rawPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) return send(503, 'text/html; charset=utf-8', NOT_BUILT(rendererDir));
    const found = lookupStatic(rendererDir, rawPath);
    if (found.kind === 'forbidden') return send(403, 'text/plain; charset=utf-8', 'Forbidden\n');
    if (found.kind === 'not-found') return send(404, 'text/plain; charset=utf-8', 'Not found\n');
    // Vite names assets by content hash, so they may be cached; index.html must not be.
    const hashed = rawPath.startsWith('/assets/');
    res.writeHead(200, {
      ...security,
      'Content-Type': found.contentType,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = (req.url ?? '').split('?')[0];
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url !== '/ws') return refuse('404 Not Found');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse('421 Misdirected Request');
    // Browsers always send Origin on a WebSocket handshake; a missing or foreign one is refused.
    if (!allowedOrigins().has(req.headers.origin ?? '')) return refuse('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  const push = (channel: HostPush['channel'], payload: unknown, droppable: boolean) => {
    const frame = JSON.stringify({ push: channel, payload } satisfies WsPush);
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (droppable && ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      ws.send(frame);
    }
  };
  const unsubscribe = [
    options.api.onRunEvents((batch) => push('runEvents', batch, batch.state === 'running' && batch.events.length > 0)),
    options.api.onConsoleOutput((out) => push('consoleOutput', out, false)),
  ];

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ws, data, isBinary);
    });
  });

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    let id = 0;
    let response: WsResponse;
    try {
      if (isBinary) throw new HostError('invalid-argument', 'binary frames are not part of the protocol');
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        throw new HostError('invalid-argument', 'a request must be JSON');
      }
      if (typeof msg !== 'object' || msg === null) throw new HostError('invalid-argument', 'a request must be a JSON object');
      const req = msg as Record<string, unknown>;
      if (typeof req.id === 'number' && Number.isSafeInteger(req.id)) id = req.id;
      else throw new HostError('invalid-argument', 'a request needs an integer "id"');
      const result = await dispatch(req.method, req.args);
      response = { id, ok: true, result: result === undefined ? null : result };
    } catch (err) {
      response = { id, ok: false, error: toWireError(err) };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/`,
    port,
    close: async () => {
      for (const u of unsubscribe) u();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
