// Answers sent in one turn of the event loop leave the socket in one write:
// the first corks it and the turn's end (setImmediate) uncorks it. A client
// that keeps thousands of requests in flight gets a burst of answers per
// turn; sent one write each, they cost the server more than handling them.
// A push is news: it goes at once, with what was held before it.

import type { Duplex } from 'node:stream';

export interface CoalescedWrites {
  /** Call before sending an answer: it may wait for the end of this turn. */
  hold(): void;
  /** Call before sending a push: it and what was held go now. */
  release(): void;
}

export function coalescedWrites(socket: Duplex): CoalescedWrites {
  let corked = false;
  const release = (): void => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  return {
    hold() {
      if (corked) return;
      corked = true;
      socket.cork();
      setImmediate(release);
    },
    release,
  };
}
