// Collects pushed items and hands them on in batches: one batch per
// interval or per `maxItems` items, whichever comes first, so a burst of
// thousands of events costs a few messages, not one message each. Items
// keep their order and none is dropped, except that an item with a
// coalescing key replaces the pending item with the same key (a newer
// state or snapshot makes the older one worthless).

export interface BatcherOptions<T> {
  intervalMs: number;
  maxItems: number;
  /** Items with the same key supersede each other within one batch. */
  coalesceKey?: (item: T) => string | undefined;
}

export class Batcher<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: BatcherOptions<T>,
    private readonly deliver: (items: T[]) => void,
  ) {}

  push(item: T): void {
    const key = this.options.coalesceKey?.(item);
    if (key !== undefined) {
      const previous = this.pending.findIndex((p) => this.options.coalesceKey?.(p) === key);
      if (previous >= 0) this.pending.splice(previous, 1);
    }
    this.pending.push(item);
    if (this.pending.length >= this.options.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.intervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.deliver(items);
  }

  dispose(): void {
    this.flush();
  }
}
