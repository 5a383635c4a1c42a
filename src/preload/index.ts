// The sandboxed preload: exposes the narrow UmmuBridge and nothing else
// (no ipcRenderer, no Node). Requests are validated here too, so a
// compromised renderer cannot even put a malformed message on the channel.
// What crosses is the messages' JSON form (src/shared/message-codec.ts).

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, type UmmuBridge } from '../shared/bridge';
import { decodeRequest } from '../shared/message-codec';
import { IPC_MONITOR_PUSH_CHANNEL, IPC_PUSH_CHANNEL, IPC_REQUEST_CHANNEL } from '../shared/messages';

/** Relays one push channel's batches (and nothing of the IPC event) to `listener`. */
function relay(channel: string, listener: (batch: unknown) => void): () => void {
  const forward = (_event: IpcRendererEvent, batch: unknown): void => listener(batch);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const bridge: UmmuBridge = {
  request(request) {
    decodeRequest(request);
    return ipcRenderer.invoke(IPC_REQUEST_CHANNEL, request) as Promise<unknown>;
  },
  onPush: (listener) => relay(IPC_PUSH_CHANNEL, listener),
  onMonitorPush: (listener) => relay(IPC_MONITOR_PUSH_CHANNEL, listener),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
