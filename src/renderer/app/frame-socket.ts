// The serve-mode WebSocket as the client uses it: it opens, delivers the
// server's frames, closes. In a page it runs in a dedicated worker
// (socket-worker.ts), which also parses and checks every frame
// (decodeServerFrame), so a fast stream's JSON never costs the page's
// main thread; the frames reach the page decoded. Where there is no
// Worker (Node, the unit tests) it runs inline and the client decodes.

import { decodeServerFrame, type ServerEnvelope } from '../../shared/message-codec';

export interface FrameSocketHandlers {
  open(): void;
  /** A server frame, decoded, or its text when the client is to decode it. */
  frame(frame: ServerEnvelope | string): void;
  close(): void;
}

export interface FrameSocket {
  readonly isOpen: boolean;
  send(text: string): void;
  close(): void;
}

/** Page -> worker. */
export type ToSocketWorker = { kind: 'connect'; url: string } | { kind: 'send'; text: string } | { kind: 'close' };
/** Worker -> page, in the order they happened. */
export type FromSocketWorker =
  | { kind: 'open' }
  | { kind: 'frame'; frame: ServerEnvelope }
  /** A frame that does not decode: what is wrong with it. */
  | { kind: 'badFrame'; problem: string }
  | { kind: 'close' };

/** Decodes a frame's text; what is wrong with it, when it does not decode. */
export function decodeFrameText(text: string): { frame: ServerEnvelope } | { problem: string } {
  try {
    return { frame: decodeServerFrame(JSON.parse(text)) };
  } catch (err) {
    return { problem: err instanceof Error ? err.message : String(err) };
  }
}

function inlineSocket(url: string, handlers: FrameSocketHandlers): FrameSocket {
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => handlers.open());
  socket.addEventListener('message', (message: MessageEvent<unknown>) => {
    if (typeof message.data === 'string') handlers.frame(message.data);
  });
  // The close event that follows an error is what the client acts on.
  socket.addEventListener('error', () => undefined);
  socket.addEventListener('close', () => handlers.close());
  return {
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (text) => socket.send(text),
    close: () => socket.close(),
  };
}

let worker: Worker | null = null;
let workerHandlers: FrameSocketHandlers | null = null;
// Set when the worker could not start (a policy that forbids workers): sockets run inline from then on.
let workerFailed = false;

function workerSocket(url: string, handlers: FrameSocketHandlers): FrameSocket {
  // One worker for the page's life; each connection replaces the last one's handlers.
  worker ??= new Worker(new URL('./socket-worker.ts', import.meta.url), { type: 'module', name: 'ummunotify socket' });
  workerHandlers = handlers;
  let open = false;
  const post = (message: ToSocketWorker): void => worker?.postMessage(message);
  worker.onerror = (event) => {
    event.preventDefault();
    console.warn(`the socket worker failed (${event.message || 'it did not start'}); decoding on the page's main thread instead`);
    workerFailed = true;
    worker?.terminate();
    worker = null;
    // The client reconnects, now inline.
    if (workerHandlers === handlers) handlers.close();
  };
  worker.onmessage = (event: MessageEvent<FromSocketWorker>) => {
    const message = event.data;
    const current = workerHandlers;
    if (!current) return;
    switch (message.kind) {
      case 'open':
        open = true;
        current.open();
        break;
      case 'frame':
        current.frame(message.frame);
        break;
      case 'badFrame':
        // Reported as a failing message listener's error would be; the next frame is still handled.
        setTimeout(() => {
          throw new Error(`a server frame did not decode: ${message.problem}`);
        });
        break;
      case 'close':
        open = false;
        current.close();
        break;
    }
  };
  post({ kind: 'connect', url });
  return {
    get isOpen() {
      return open;
    },
    send: (text) => post({ kind: 'send', text }),
    close: () => post({ kind: 'close' }),
  };
}

/** A socket to `url`: in a worker where the page can have one, else inline. */
export function openFrameSocket(url: string, handlers: FrameSocketHandlers): FrameSocket {
  return typeof Worker === 'function' && !workerFailed ? workerSocket(url, handlers) : inlineSocket(url, handlers);
}
