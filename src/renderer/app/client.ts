// One client interface for the renderer, whichever way the core is reached:
// the preload bridge in the Electron app, a WebSocket in a browser (serve
// mode). Requests are encoded, responses and pushes decoded and checked
// here, at the boundary (src/shared/message-codec.ts). The WebSocket
// reconnects by itself and says so through its status.

import { BRIDGE_KEY, type UmmuBridge } from '../../shared/bridge';
import { decodePushBatch, decodeResponse, decodeServerFrame, encodeRequest } from '../../shared/message-codec';
import { PendingRequests } from '../../shared/pending-requests';
import { TOKEN_PARAM, WS_PATH, type PushBatch, type Request, type ResultFor, type WireError } from '../../shared/messages';
import { Inbox, type Arrival } from './inbox';

export class RequestError extends Error {
  constructor(readonly error: WireError) {
    super(error.line === undefined ? `${error.code}: ${error.message}` : `${error.code}: line ${error.line}: ${error.problem ?? error.message}`);
    this.name = 'RequestError';
  }
}

/**
 * 'connecting': the first connection is being made; 'open': requests go
 * through; 'reconnecting': the connection was lost and is being made again;
 * 'refused': the server refuses this page's token (no retry helps).
 */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'refused';

/** A pushed batch's listener: the batch, when it arrived and how many messages wait after it. */
export type PushListener = (batch: PushBatch, arrival: Arrival) => void;

export interface UmmuClient {
  readonly transport: 'electron' | 'browser';
  request<R extends Request>(request: R): Promise<ResultFor<R>>;
  onPush(listener: PushListener): () => void;
  /** Batches of the monitor sessions (watched and replayed processes), once a watchProcesses request was made. */
  onMonitorPush(listener: PushListener): () => void;
  /** Called at once with the current status, then on every change. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

function unwrap<R extends Request>(request: R, raw: unknown): ResultFor<R> {
  const response = decodeResponse(request, raw);
  if (!response.ok) throw new RequestError(response.error);
  return response.result;
}

export function bridgeClient(bridge: UmmuBridge): UmmuClient {
  return {
    transport: 'electron',
    request: async (request) => unwrap(request, await bridge.request(encodeRequest(request))),
    onPush: (listener) => bridge.onPush((raw) => listener(decodePushBatch(raw), { receivedAt: performance.now(), waiting: 0 })),
    onMonitorPush: (listener) => bridge.onMonitorPush((raw) => listener(decodePushBatch(raw), { receivedAt: performance.now(), waiting: 0 })),
    onStatus(listener) {
      listener('open');
      return () => undefined;
    },
  };
}

export interface WebSocketClientOptions {
  /** The page's own URL: fetched after a failed connection to tell a refused token (401) from a server that is down. */
  pageUrl?: string;
  /** First delay before reconnecting; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export function webSocketClient(url: string, options: WebSocketClientOptions = {}): UmmuClient & { close(): void } {
  const pending = new PendingRequests((error) => new RequestError(error));
  const pushListeners = new Set<PushListener>();
  const monitorPushListeners = new Set<PushListener>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const firstRetry = options.retryMs ?? 500;
  let retry = firstRetry;
  let status: ConnectionStatus = 'connecting';
  let socket: WebSocket;
  let closed = false;
  let openWaiters: (() => void)[] = [];

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    if (next === 'open' || next === 'refused') {
      const waiters = openWaiters;
      openWaiters = [];
      for (const wake of waiters) wake();
    }
    for (const listener of statusListeners) listener(next);
  };

  /** Handles one frame; true after an answer, so that its requester runs before later frames (pushes after it) are applied. */
  const receive = (data: string, arrival: Arrival): boolean => {
    const frame = decodeServerFrame(JSON.parse(data));
    if (frame.type === 'push') {
      for (const listener of pushListeners) listener(frame.batch, arrival);
      return false;
    }
    if (frame.type === 'refused') {
      console.warn(`the server refused a message: ${frame.error.message}`);
      return false;
    }
    if (frame.type === 'monitorPush') {
      for (const listener of monitorPushListeners) listener(frame.batch, arrival);
      return false;
    }
    return pending.answer(frame.id, frame.response);
  };

  const inbox = new Inbox<string>(receive);

  async function tokenRefused(): Promise<boolean> {
    if (!options.pageUrl) return false;
    try {
      return (await fetch(options.pageUrl, { method: 'HEAD', cache: 'no-store' })).status === 401;
    } catch {
      return false;
    }
  }

  function connect(): void {
    let opened = false;
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      opened = true;
      retry = firstRetry;
      setStatus('open');
    });
    socket.addEventListener('message', (message: MessageEvent<unknown>) => {
      if (typeof message.data === 'string') inbox.add(message.data);
    });
    // The close event that follows an error is what reconnects.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      // What arrived before the close is handled first: answers that came are answers.
      inbox.flush();
      pending.failAll(new Error('connection lost before the answer came; reconnecting'));
      if (closed) return;
      if (status !== 'connecting') setStatus('reconnecting');
      void (async () => {
        if (!opened && (await tokenRefused())) {
          setStatus('refused');
          return;
        }
        if (!closed) setTimeout(connect, retry);
        retry = Math.min(retry * 2, options.maxRetryMs ?? 5000);
      })();
    });
  }
  connect();

  return {
    transport: 'browser',
    async request<R extends Request>(request: R): Promise<ResultFor<R>> {
      if (status === 'connecting') await new Promise<void>((resolve) => openWaiters.push(resolve));
      if (status !== 'open' || socket.readyState !== WebSocket.OPEN) throw new Error(`not connected (${status}): try again when the connection is back`);
      return pending.send(request, (frame) => socket.send(JSON.stringify(frame)));
    },
    onPush(listener) {
      pushListeners.add(listener);
      return () => pushListeners.delete(listener);
    },
    onMonitorPush(listener) {
      monitorPushListeners.add(listener);
      return () => monitorPushListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
    /** Closes the connection for good: no reconnecting after it. */
    close() {
      closed = true;
      socket.close();
      inbox.close();
    },
  };
}

/** The Electron preload bridge when present, else the serve-mode WebSocket of this page's origin. */
export function connectClient(): UmmuClient {
  const bridge = (window as unknown as Record<string, UmmuBridge | undefined>)[BRIDGE_KEY];
  if (bridge) return bridgeClient(bridge);
  const token = new URLSearchParams(window.location.search).get(TOKEN_PARAM) ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return webSocketClient(`${scheme}//${window.location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, {
    pageUrl: window.location.href,
  });
}
