// The API the preload script exposes to the renderer (window.ummunotify)
// through contextBridge. Deliberately narrow: send one request, receive
// pushed batches (the current session's and the monitor sessions'), in their JSON form (src/shared/message-codec.ts).
// Everything crossing it is decoded and checked again by the receiving side.

export const BRIDGE_KEY = 'ummunotify';

export interface UmmuBridge {
  /** Sends an encoded request; resolves with the raw response (decoded by the caller, who knows the request). */
  request(request: unknown): Promise<unknown>;
  /** Raw pushed batches; returns an unsubscribe function. */
  onPush(listener: (batch: unknown) => void): () => void;
  /** Raw pushed batches of monitor sessions (after a watchProcesses request); returns an unsubscribe function. */
  onMonitorPush(listener: (batch: unknown) => void): () => void;
}
