// Messages from the core wait here from the moment they arrive and are
// handled in slices of at most SLICE_MS, each its own task: a burst of
// messages never becomes one long task, clicks and frames get in between
// slices, and whoever handles a message knows when it arrived and how many
// are still waiting (how the page tells that it is behind). A handler that
// returns true ends its slice: what awaited that message (an answer to a
// request) runs before the messages after it are handled.

export const SLICE_MS = 8;

export interface Arrival {
  /** performance.now() when the message arrived. */
  receivedAt: number;
  /** Messages still waiting after this one. */
  waiting: number;
}

export class Inbox<T> {
  private queue: { message: T; receivedAt: number }[] = [];
  private head = 0;
  private scheduled = false;
  private readonly channel = new MessageChannel();

  constructor(private readonly handle: (message: T, arrival: Arrival) => boolean | void) {
    this.channel.port1.onmessage = () => this.run();
  }

  add(message: T): void {
    this.queue.push({ message, receivedAt: performance.now() });
    if (this.scheduled) return;
    this.scheduled = true;
    this.channel.port2.postMessage(null);
  }

  /** Handles everything waiting now, in one go (answers included: a slice does not end at one). */
  flush(): void {
    this.handleUntil(Infinity, false);
  }

  close(): void {
    this.queue = [];
    this.head = 0;
    this.channel.port1.close();
  }

  private run(): void {
    this.scheduled = false;
    this.handleUntil(performance.now() + SLICE_MS, true);
  }

  private handleUntil(until: number, endSlices: boolean): void {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head++];
      let endSlice = false;
      try {
        if (entry) endSlice = this.handle(entry.message, { receivedAt: entry.receivedAt, waiting: this.queue.length - this.head }) === true;
      } catch (err) {
        // Reported as an uncaught error, as a failing message listener's would be; the next message is still handled.
        setTimeout(() => {
          throw err;
        });
      }
      if ((endSlice && endSlices) || performance.now() >= until) break;
    }
    if (this.head < this.queue.length) {
      if (this.scheduled) return;
      this.scheduled = true;
      this.channel.port2.postMessage(null);
    } else {
      this.queue = [];
      this.head = 0;
    }
  }
}
