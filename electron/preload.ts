import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HostPush, PreloadBridge } from './host/contract.ts';
import type { IpcResult } from './host/transports/ipc.ts';
import { INVOKE_CHANNEL, PUSH_CHANNEL } from './host/transports/ipc-channels.ts';

/**
 * The only thing the sandboxed page gets from Electron: two functions. No ipcRenderer, no
 * event objects, no Node. Arguments are validated again in main; this side only frames them.
 */
const bridge: PreloadBridge = {
  async invoke(method, args) {
    const reply = (await ipcRenderer.invoke(INVOKE_CHANNEL, method, args)) as IpcResult;
    if (reply.ok) return reply.result;
    // A plain object survives the context bridge intact; the UI reads its code and lab errors.
    return Promise.reject(reply.error);
  },
  subscribe(channel, listener) {
    const handler = (_event: IpcRendererEvent, message: HostPush) => {
      if (message.channel === channel) listener(message.payload);
    };
    ipcRenderer.on(PUSH_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(PUSH_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('labboxBridge', bridge);
