// The generation words of FEATURE_GENERATIONS, as the module keeps them
// (kernel/generations.c): slots handed out lowest free first (the kernel's
// IDA), one u64 word per slot that only ever grows (never reset, not when
// the slot is freed nor when it is handed out again), so a reused slot
// starts above any copy a cache kept of its previous registration.

import { GENERATIONS_MAX_SLOTS } from '../../../../shared/domain';

const U64_MAX = (1n << 64n) - 1n;

export class GenerationSlots {
  /** words[slot]; slots past the end were never handed out (their word is 0). */
  private readonly words: bigint[] = [];
  /** Freed slots below words.length, as a min-heap: the lowest is handed out first. */
  private readonly free: number[] = [];

  get inUse(): number {
    return this.words.length - this.free.length;
  }

  /** The lowest free slot, or undefined when GENERATIONS_MAX_SLOTS are in use (ENOSPC). */
  allocate(): number | undefined {
    if (this.free.length > 0) return this.popFree();
    if (this.words.length >= GENERATIONS_MAX_SLOTS) return undefined;
    this.words.push(0n);
    return this.words.length - 1;
  }

  /** Once the slot's last bump is done (UNREGISTER bumps first). */
  release(slot: number): void {
    this.pushFree(slot);
  }

  bump(slot: number): void {
    this.words[slot] = ((this.words[slot] ?? 0n) + 1n) & U64_MAX;
  }

  /** The word of a slot ever handed out; undefined for one never handed out. */
  word(slot: number): bigint | undefined {
    return this.words[slot];
  }

  private pushFree(slot: number): void {
    const heap = this.free;
    heap.push(slot);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as number) <= slot) break;
      heap[i] = heap[parent] as number;
      i = parent;
    }
    heap[i] = slot;
  }

  private popFree(): number {
    const heap = this.free;
    const top = heap[0] as number;
    const last = heap.pop() as number;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && (heap[right] as number) < (heap[left] as number) ? right : left;
        if ((heap[child] as number) >= last) break;
        heap[i] = heap[child] as number;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
