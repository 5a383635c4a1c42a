// The API the preload script exposes to the renderer (window.ummunotify)
// through contextBridge. Deliberately narrow: send one validated request,
// receive pushed batches. Everything crossing it is re-validated by the
// receiving side.

import type { Request } from './messages';

export const BRIDGE_KEY = 'ummunotify';

export interface UmmuBridge {
  /** Resolves with the raw response (validated by the caller, who knows the request kind). */
  request(request: Request): Promise<unknown>;
  /** Raw pushed batches; returns an unsubscribe function. */
  onPush(listener: (batch: unknown) => void): () => void;
}
