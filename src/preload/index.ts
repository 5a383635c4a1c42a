// The sandboxed preload: exposes the narrow UmmuBridge and nothing else
// (no ipcRenderer, no Node). Requests are validated here too, so a
// compromised renderer cannot even put a malformed message on the channel.
// What crosses is the messages' JSON form (src/shared/message-codec.ts).

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, type UmmuBridge } from '../shared/bridge';
import { decodeRequest } from '../shared/message-codec';
import { IPC_PUSH_CHANNEL, IPC_REQUEST_CHANNEL } from '../shared/messages';

const bridge: UmmuBridge = {
  request(request) {
    decodeRequest(request);
    return ipcRenderer.invoke(IPC_REQUEST_CHANNEL, request) as Promise<unknown>;
  },
  onPush(listener) {
    const forward = (_event: IpcRendererEvent, batch: unknown): void => listener(batch);
    ipcRenderer.on(IPC_PUSH_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_PUSH_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
