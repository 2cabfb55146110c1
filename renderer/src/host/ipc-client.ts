import type { HostApi, PreloadBridge } from '../../../electron/host/contract.ts';
import { hostApiOver, type ConnectionSource } from './transport.ts';

declare global {
  interface Window {
    /** Present only inside the Electron shell, put there by the preload script. */
    labboxBridge?: PreloadBridge;
  }
}

/** The Electron shell's host: IPC through the preload bridge, which is never "disconnected". */
export function ipcHost(bridge: PreloadBridge): { api: HostApi; connection: ConnectionSource } {
  const connection: ConnectionSource = { state: 'connected', onState: () => () => {} };
  return { api: hostApiOver(bridge), connection };
}
