// Collects pushed items and hands them on in batches: one batch per
// interval or per `maxItems` items, whichever comes first, so a burst of
// thousands of events costs a few messages, not one message each. History
// items keep their order and none is dropped. State is not history: for
// each key only the latest is sent, made when the batch is delivered
// (a session's state is computed once per batch, not once per operation)
// and placed after the batch's history items. Nothing waits longer than
// one interval, and a batch holds at most `maxItems` items.

export interface BatcherOptions {
  intervalMs: number;
  maxItems: number;
}

export class Batcher<T> {
  private pending: T[] = [];
  private readonly latest = new Map<string, () => T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: BatcherOptions,
    private readonly deliver: (items: T[]) => void,
  ) {}

  /** A history item: delivered in order with the others. */
  push(item: T): void {
    this.pending.push(item);
    this.flushIfFull();
  }

  /** State under `key`: replaces any pending state with that key; `make` runs when the batch is delivered. */
  setLatest(key: string, make: () => T): void {
    this.latest.delete(key);
    this.latest.set(key, make);
    this.flushIfFull();
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 && this.latest.size === 0) return;
    const items = this.pending;
    this.pending = [];
    for (const make of this.latest.values()) items.push(make());
    this.latest.clear();
    this.deliver(items);
  }

  dispose(): void {
    this.flush();
  }

  private flushIfFull(): void {
    if (this.pending.length + this.latest.size >= this.options.maxItems) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.intervalMs);
  }
}
