import type { HostApi } from '../../../electron/host/contract.ts';
import { ipcHost } from './ipc-client.ts';
import type { ConnectionSource } from './transport.ts';
import { wsHost } from './ws-client.ts';

export interface HostConnection {
  api: HostApi;
  connection: ConnectionSource;
  transport: 'ipc' | 'websocket';
}

/** The one place that knows there are two transports: Electron's bridge when present, else the browser shell's socket. */
export function connectHost(): HostConnection {
  const bridge = window.labboxBridge;
  if (bridge) return { ...ipcHost(bridge), transport: 'ipc' };
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const { api, connection } = wsHost({ url: `${scheme}://${location.host}/ws` });
  return { api, connection, transport: 'websocket' };
}
