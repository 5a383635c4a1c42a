// One client interface for the renderer, whichever way the core is reached:
// the preload bridge in the Electron app, a WebSocket in a browser (serve
// mode). Responses and pushes are validated here, at the boundary.

import { BRIDGE_KEY, type UmmuBridge } from '../../shared/bridge';
import {
  TOKEN_PARAM,
  WS_PATH,
  validatePushBatch,
  validateResponse,
  validateServerFrame,
  type PushBatch,
  type RequestKind,
  type RequestOf,
  type ResultOf,
  type WireError,
} from '../../shared/messages';

export class RequestError extends Error {
  constructor(readonly error: WireError) {
    super(error.line === undefined ? `${error.code}: ${error.message}` : `${error.code}: line ${error.line}: ${error.problem ?? error.message}`);
    this.name = 'RequestError';
  }
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface UmmuClient {
  readonly transport: 'electron' | 'browser';
  request<K extends RequestKind>(request: RequestOf<K>): Promise<ResultOf[K]>;
  onPush(listener: (batch: PushBatch) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

function unwrap<K extends RequestKind>(kind: K, raw: unknown): ResultOf[K] {
  const response = validateResponse(kind, raw);
  if (!response.ok) throw new RequestError(response.error);
  return response.result;
}

export function bridgeClient(bridge: UmmuBridge): UmmuClient {
  return {
    transport: 'electron',
    request: async (request) => unwrap(request.kind, await bridge.request(request)),
    onPush: (listener) => bridge.onPush((raw) => listener(validatePushBatch(raw))),
    onStatus(listener) {
      listener('open');
      return () => undefined;
    },
  };
}

export function webSocketClient(url: string): UmmuClient {
  const socket = new WebSocket(url);
  const pending = new Map<number, { kind: RequestKind; resolve(value: unknown): void; reject(err: Error): void }>();
  const pushListeners = new Set<(batch: PushBatch) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  const opened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve()));
  const setStatus = (next: ConnectionStatus): void => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };
  socket.addEventListener('open', () => setStatus('open'));
  socket.addEventListener('close', () => {
    setStatus('closed');
    for (const { reject } of pending.values()) reject(new Error('connection closed'));
    pending.clear();
  });
  socket.addEventListener('message', (message: MessageEvent<unknown>) => {
    if (typeof message.data !== 'string') return;
    const frame = validateServerFrame(JSON.parse(message.data));
    if (frame.type === 'push') {
      for (const listener of pushListeners) listener(frame.batch);
      return;
    }
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    try {
      waiter.resolve(unwrap(waiter.kind, frame.response));
    } catch (err) {
      waiter.reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
  return {
    transport: 'browser',
    async request<K extends RequestKind>(request: RequestOf<K>): Promise<ResultOf[K]> {
      await opened;
      if (socket.readyState !== WebSocket.OPEN) throw new Error('connection closed');
      const id = nextId++;
      return new Promise<ResultOf[K]>((resolve, reject) => {
        pending.set(id, { kind: request.kind, resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, request }));
      });
    },
    onPush(listener) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
  };
}

/** The Electron preload bridge when present, else the serve-mode WebSocket of this page's origin. */
export function connectClient(): UmmuClient {
  const bridge = (window as unknown as Record<string, UmmuBridge | undefined>)[BRIDGE_KEY];
  if (bridge) return bridgeClient(bridge);
  const token = new URLSearchParams(window.location.search).get(TOKEN_PARAM) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketClient(`${scheme}//${window.location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`);
}
