// Pushes to one viewer, bounded by what its socket still holds unsent. A
// viewer that cannot keep up is sent nothing while its socket holds more
// than the limit; the batches it misses leave a gap in their sessions'
// seq and record numbers, which makes the page greet again and get the
// retained history. A gap is only seen when a later batch arrives, so the
// newest batch missed per session is kept and sent once the socket has
// drained: a stream that stops while the viewer is behind still ends with
// the viewer knowing it missed something.

import type { WebSocket } from 'ws';
import type { PushBatch } from '../../shared/messages';

/** How often a viewer that missed batches is checked for having drained. */
const DRAIN_CHECK_MS = 50;

export interface BoundedPushes {
  push(batch: PushBatch): void;
  stop(): void;
}

export function boundedPushes(ws: WebSocket, maxUnsent: number, encode: (batch: PushBatch) => string): BoundedPushes {
  const newestMissed = new Map<number, PushBatch>();
  let drainCheck: NodeJS.Timeout | undefined;
  const open = (): boolean => ws.readyState === ws.OPEN;
  const drained = (): boolean => ws.bufferedAmount <= maxUnsent;
  const stopChecking = (): void => {
    clearInterval(drainCheck);
    drainCheck = undefined;
  };
  const sendMissed = (): void => {
    if (!open()) return stopChecking();
    if (!drained()) return;
    for (const batch of newestMissed.values()) ws.send(encode(batch));
    newestMissed.clear();
    stopChecking();
  };
  return {
    push(batch) {
      if (!open()) return;
      if (drained()) {
        // This batch shows the gap itself (its seq jumps); the older missed one need not go.
        newestMissed.delete(batch.sessionId);
        sendMissed();
        ws.send(encode(batch));
        return;
      }
      newestMissed.set(batch.sessionId, batch);
      drainCheck ??= setInterval(sendMissed, DRAIN_CHECK_MS);
    },
    stop() {
      stopChecking();
      newestMissed.clear();
    },
  };
}
