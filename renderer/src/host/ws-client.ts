import type { ContractMethod, HostApi, HostPush, WsRequest, WsResponse } from '../../../electron/host/contract.ts';
import {
  HostError,
  hostApiOver,
  isHostErrorWire,
  type ConnectionSource,
  type ConnectionState,
  type HostTransport,
} from './transport.ts';

/** The least a socket must do; the browser's WebSocket is adapted to it, tests pass a fake. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
}

export interface SocketHandlers {
  open(): void;
  close(): void;
  message(data: string): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export const browserSocket: SocketFactory = (url, h) => {
  const ws = new WebSocket(url);
  ws.onopen = () => h.open();
  // A failed connect fires error then close; close alone is enough to drive reconnection.
  ws.onclose = () => h.close();
  ws.onmessage = (ev: MessageEvent) => {
    if (typeof ev.data === 'string') h.message(ev.data);
  };
  return ws;
};

export interface WsClientOptions {
  url: string;
  createSocket?: SocketFactory;
  /** First reconnect delay; doubles on each failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: HostError): void;
}

/**
 * The browser shell's transport: one WebSocket, numbered requests, a promise per request, push
 * listeners, and reconnection with backoff. Requests made before the first connection wait for
 * it; requests made while the connection is lost fail at once, so the UI never hangs on a host
 * that is gone and can say so instead.
 */
export class WsTransport implements HostTransport, ConnectionSource {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queued: WsRequest[] = [];
  private readonly pushListeners = new Map<HostPush['channel'], Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private currentState: ConnectionState = 'connecting';
  private backoff: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly createSocket: SocketFactory;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;

  constructor(private readonly opts: WsClientOptions) {
    this.createSocket = opts.createSocket ?? browserSocket;
    this.initialBackoff = opts.initialBackoffMs ?? 250;
    this.maxBackoff = opts.maxBackoffMs ?? 5000;
    this.backoff = this.initialBackoff;
    this.connect();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  invoke(method: ContractMethod, args: unknown[]): Promise<unknown> {
    if (this.disposed) return Promise.reject(new HostError({ code: 'internal', message: 'the host connection is closed' }));
    if (this.currentState === 'disconnected') {
      return Promise.reject(new HostError({ code: 'internal', message: 'not connected to the LabBox host' }));
    }
    const req: WsRequest = { id: this.nextId++, method, args };
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      if (this.currentState === 'connected' && this.socket) this.socket.send(JSON.stringify(req));
      else this.queued.push(req);
    });
  }

  subscribe(channel: HostPush['channel'], listener: (payload: unknown) => void): () => void {
    let set = this.pushListeners.get(channel);
    if (!set) {
      set = new Set();
      this.pushListeners.set(channel, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const s = this.socket;
    this.socket = null;
    s?.close();
    this.failAll('the host connection is closed');
  }

  private connect(): void {
    const handlers: SocketHandlers = {
      open: () => {
        if (this.socket !== socket) return;
        this.backoff = this.initialBackoff;
        this.setState('connected');
        const queued = this.queued;
        this.queued = [];
        for (const req of queued) socket.send(JSON.stringify(req));
      },
      close: () => {
        // A close from a socket we have already replaced or disposed is old news.
        if (this.socket !== socket) return;
        this.socket = null;
        this.failAll('the connection to the LabBox host was lost');
        if (this.disposed) return;
        this.setState('disconnected');
        this.scheduleReconnect();
      },
      message: (data) => {
        if (this.socket === socket) this.receive(data);
      },
    };
    const socket = this.createSocket(this.opts.url, handlers);
    this.socket = socket;
  }

  private scheduleReconnect(): void {
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.disposed) this.connect();
    }, delay);
  }

  private receive(data: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as Record<string, unknown>;
    if (typeof m.push === 'string') {
      const set = this.pushListeners.get(m.push as HostPush['channel']);
      if (set) for (const l of [...set]) l(m.payload);
      return;
    }
    if (typeof m.id !== 'number') return;
    const res = msg as WsResponse;
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (res.ok) p.resolve(res.result);
    else p.reject(new HostError(isHostErrorWire(res.error) ? res.error : { code: 'internal', message: 'malformed error from host' }));
  }

  private failAll(message: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.queued = [];
    for (const p of pending) p.reject(new HostError({ code: 'internal', message }));
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const l of [...this.stateListeners]) l(state);
  }
}

export function wsHost(opts: WsClientOptions): { api: HostApi; connection: ConnectionSource; transport: WsTransport } {
  const transport = new WsTransport(opts);
  return { api: hostApiOver(transport), connection: transport, transport };
}
