// A column of numbers that grows at the back and is consumed from the front,
// both in amortised O(1), with its live part readable as one typed-array view
// (no per-element objects for the garbage collector, no splice per eviction).

export class SlidingColumn {
  private data: Float64Array;
  private head = 0;
  private tail = 0;

  constructor(initialCapacity = 4) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  get length(): number {
    return this.tail - this.head;
  }

  /** The value at index i of the live part. */
  at(i: number): number {
    return this.data[this.head + i] ?? 0;
  }

  last(): number | undefined {
    return this.tail > this.head ? this.data[this.tail - 1] : undefined;
  }

  push(value: number): void {
    if (this.tail === this.data.length) this.makeRoom();
    this.data[this.tail++] = value;
  }

  /** Drops the oldest value. */
  shift(): void {
    if (this.head < this.tail) this.head++;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** The live part, oldest first; valid until the next push or shift. */
  view(): Float64Array {
    return this.data.subarray(this.head, this.tail);
  }

  clear(): void {
    this.head = this.tail = 0;
  }

  private makeRoom(): void {
    const live = this.tail - this.head;
    if (this.head > 0 && live <= this.data.length / 2) {
      this.data.copyWithin(0, this.head, this.tail);
    } else {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data.subarray(this.head, this.tail));
      this.data = grown;
    }
    this.head = 0;
    this.tail = live;
  }
}
