// Electron IPC for the session host: one invoke channel for requests, one
// push channel for batches (and one for monitor sessions' batches, once the
// window sent watchProcesses), all carrying the messages' JSON form
// (src/shared/message-codec.ts). Every request is checked twice before it
// reaches the core: the sender must be our own window's top frame showing
// our own page, and the message must decode against the schema.

import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { summarizedFor } from '../core/stream-summarizer';
import type { SessionHost } from '../core/session-host';
import { errorToWire } from '../core/wire';
import { decodeRequest, encodePushBatch, encodeResponse } from '../../shared/message-codec';
import { IPC_MONITOR_PUSH_CHANNEL, IPC_PUSH_CHANNEL, IPC_REQUEST_CHANNEL, type PushBatch } from '../../shared/messages';

export function wireIpc(host: SessionHost, window: BrowserWindow, isAppUrl: (url: string) => boolean): () => void {
  const handle = async (event: IpcMainInvokeEvent, raw: unknown): Promise<unknown> => {
    const frame = event.senderFrame;
    if (event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame || !isAppUrl(frame.url)) {
      return { ok: false, error: { code: 'EACCES', message: 'request from a frame that is not the app' } };
    }
    let request;
    try {
      request = decodeRequest(raw);
    } catch (err) {
      return { ok: false, error: errorToWire(err) };
    }
    if (request.kind === 'hello') takesSummaries = request.summaries === true;
    // Monitor sessions' batches go to the window once it asks for them.
    if (request.kind === 'watchProcesses') unsubscribeMonitors ??= host.onMonitorPush((batch) => send(IPC_MONITOR_PUSH_CHANNEL, summarizedFor(batch, takesSummaries)));
    return encodeResponse(request, await host.handle(request));
  };
  let unsubscribeMonitors: (() => void) | undefined;
  // Set by the window's greeting: whether it takes dense stretches as summaries.
  let takesSummaries = false;
  const send = (channel: string, batch: PushBatch): void => {
    if (!window.isDestroyed()) window.webContents.send(channel, encodePushBatch(batch));
  };
  ipcMain.handle(IPC_REQUEST_CHANNEL, handle);
  const unsubscribe = host.onPush((batch) => send(IPC_PUSH_CHANNEL, summarizedFor(batch, takesSummaries)));
  return () => {
    unsubscribe();
    unsubscribeMonitors?.();
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
  };
}
