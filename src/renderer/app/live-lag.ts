// How far behind the session the page is. Each pushed batch's newest
// record carries the session's time (the core's clock); the page notes
// when the batch arrived (its own clock). The smallest difference seen
// is the clocks' offset plus the quickest delivery, so for any batch
// `applied at - (record time + offset)` is how much later than the
// quickest delivery its records reached the page: time spent queued in
// the core's socket, in the page's inbox, or waiting for a busy main
// thread. Once nothing is left to apply, the page shows all it was sent
// and is not behind.

/** Behind by less than this is following live (a batch waits up to 16 ms in the core, and a frame is 16 ms). */
export const BEHIND_MS = 500;

export class LiveLag {
  private offset = Infinity;
  private lagMs = 0;

  /** A batch whose newest record has session time `t` arrived at `receivedAt` and is applied `now` (page clock, ms). */
  applied(t: number, receivedAt: number, now: number): void {
    this.offset = Math.min(this.offset, receivedAt - t);
    this.lagMs = Math.max(0, now - (t + this.offset));
  }

  /** Nothing is waiting to be applied: everything sent has been shown. */
  caughtUp(): void {
    this.lagMs = 0;
  }

  /** Another session (or another server) starts: its clock is another one. */
  reset(): void {
    this.offset = Infinity;
    this.lagMs = 0;
  }

  /** Milliseconds behind the session, or 0 when following live. */
  get behindMs(): number {
    return this.lagMs >= BEHIND_MS ? this.lagMs : 0;
  }
}
