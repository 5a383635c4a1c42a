// The invalid queue: registrations with a report pending, in the order of
// their first hit. A Set keeps insertion order and removes in O(1), which is
// what the kernel's list_head gives (list_add_tail, list_del).

import type { Registration } from './registrations';

export class InvalidQueue {
  private readonly pending = new Set<Registration>();

  get length(): number {
    return this.pending.size;
  }

  push(reg: Registration): void {
    this.pending.add(reg);
  }

  remove(reg: Registration): void {
    this.pending.delete(reg);
  }

  /** Removes and returns the oldest report, or undefined when empty. */
  shift(): Registration | undefined {
    const first = this.pending.values().next();
    if (first.done === true) return undefined;
    this.pending.delete(first.value);
    return first.value;
  }

  /** The queue in read() order, without consuming it. */
  snapshot(): Registration[] {
    return [...this.pending];
  }
}
