import type { HostApi, HostErrorWire, HostPush } from '../contract.ts';
import { HostError, toWireError } from '../services/host-error.ts';
import { createDispatcher } from './dispatch.ts';
import { INVOKE_CHANNEL, PUSH_CHANNEL } from './ipc-channels.ts';

/**
 * What crosses the invoke channel back to the preload. Errors travel as data, because Electron
 * reduces a rejected handler to a message string and the UI needs the code and lab errors.
 */
export type IpcResult = { ok: true; result: unknown } | { ok: false; error: HostErrorWire };

/** The part of an IpcMainInvokeEvent the handler looks at. */
export interface IpcSenderInfo {
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * The main-process side of one IPC call: the sender must be the app's own top-level page, and
 * every argument goes through the same contract validation as the WebSocket transport.
 */
export function createIpcHandler(api: HostApi, isTrustedUrl: (url: string) => boolean) {
  const dispatch = createDispatcher(api);
  return async (event: IpcSenderInfo, method: unknown, args: unknown): Promise<IpcResult> => {
    try {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
        throw new HostError('invalid-argument', 'calls are accepted only from the LabBox window');
      }
      const result = await dispatch(method, args);
      return { ok: true, result: result === undefined ? null : result };
    } catch (err) {
      return { ok: false, error: toWireError(err) };
    }
  };
}

/** The subset of Electron's ipcMain and WebContents this transport uses (kept structural for tests). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => Promise<IpcResult>): void;
  removeHandler(channel: string): void;
}

export interface PushTarget {
  isDestroyed(): boolean;
  send(channel: string, message: HostPush): void;
}

/** Serves the host contract over IPC and forwards pushes to the window; returns a detach function. */
export function attachIpcTransport(ipcMain: IpcMainLike, api: HostApi, target: () => PushTarget | null, isTrustedUrl: (url: string) => boolean): () => void {
  const handler = createIpcHandler(api, isTrustedUrl);
  ipcMain.handle(INVOKE_CHANNEL, (event, method, args) => handler(event, method, args));
  const push = (message: HostPush) => {
    const t = target();
    if (t && !t.isDestroyed()) t.send(PUSH_CHANNEL, message);
  };
  const offRuns = api.onRunEvents((payload) => push({ channel: 'runEvents', payload }));
  const offConsole = api.onConsoleOutput((payload) => push({ channel: 'consoleOutput', payload }));
  return () => {
    ipcMain.removeHandler(INVOKE_CHANNEL);
    offRuns();
    offConsole();
  };
}
