import type { HostApi, MenuCommand } from '../../../electron/host/contract.ts';
import { ipcHost } from './ipc-client.ts';
import type { ConnectionSource } from './transport.ts';
import { wsHost } from './ws-client.ts';

export interface HostConnection {
  api: HostApi;
  connection: ConnectionSource;
  transport: 'ipc' | 'websocket';
  /** Desktop menu choices (File ▸ Open…, Save As…); the browser shell never sends any. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

/** The one place that knows there are two transports: Electron's bridge when present, else the browser shell's socket. */
export function connectHost(): HostConnection {
  const bridge = window.labboxBridge;
  if (bridge) {
    return {
      ...ipcHost(bridge),
      transport: 'ipc',
      onMenuCommand: (listener) => bridge.subscribe('menuCommand', (p) => listener(p as MenuCommand)),
    };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const { api, connection, transport } = wsHost({ url: `${scheme}://${location.host}/ws` });
  return {
    api,
    connection,
    transport: 'websocket',
    onMenuCommand: (listener) => transport.subscribe('menuCommand', (p) => listener(p as MenuCommand)),
  };
}
