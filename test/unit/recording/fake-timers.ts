// A deterministic clock for replay tests: time moves only when advance() is
// called, and due callbacks run in time order.

import type { ReplayTimers } from '../../../src/main/core/backends/replay';

interface Pending {
  id: number;
  due: number;
  callback: () => void;
}

export class FakeTimers implements ReplayTimers {
  private time = 0;
  private nextId = 1;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    // As Node does: a delay that does not fit 32 bits becomes 1 ms.
    if (ms > 2 ** 31 - 1) ms = 1;
    const id = this.nextId++;
    this.pending.push({ id, due: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  get scheduled(): number {
    return this.pending.length;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = [...this.pending].sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined || next.due > until) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.time = next.due;
      next.callback();
    }
    this.time = until;
  }
}
