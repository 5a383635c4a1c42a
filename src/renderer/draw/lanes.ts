// Greedy interval lane assignment: overlapping registrations are stacked in
// separate lanes, each taking the lowest lane free at its start. Intervals
// are half-open, so [a, b) and [b, c) share a lane. O(n log n); a list
// already sorted by start (as QUERY returns it) is not sorted again.

export interface Interval {
  start: bigint;
  end: bigint;
}

export interface LaneLayout {
  /** lanes[i] is the lane of intervals[i]. */
  lanes: Uint32Array;
  laneCount: number;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i] as T, a[parent] as T)) break;
      [a[i], a[parent]] = [a[parent] as T, a[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.less(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

export function assignLanes(intervals: readonly Interval[]): LaneLayout {
  // User addresses are below 2^47, exact as doubles; numbers sort far faster than bigints.
  const n = intervals.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const interval = intervals[i] as Interval;
    starts[i] = Number(interval.start);
    ends[i] = Number(interval.end);
    if (i > 0 && (starts[i - 1] as number) > (starts[i] as number)) sorted = false;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!sorted) order.sort((a, b) => (starts[a] as number) - (starts[b] as number) || (ends[a] as number) - (ends[b] as number) || a - b);
  const lanes = new Uint32Array(n);
  const busy = new MinHeap<{ end: number; lane: number }>((a, b) => a.end < b.end || (a.end === b.end && a.lane < b.lane));
  const free = new MinHeap<number>((a, b) => a < b);
  let laneCount = 0;
  for (const index of order) {
    const start = starts[index] as number;
    while (busy.size > 0 && (busy.peek()?.end ?? 0) <= start) free.push(busy.pop()?.lane ?? 0);
    const lane = free.pop() ?? laneCount++;
    lanes[index] = lane;
    busy.push({ end: ends[index] as number, lane });
  }
  return { lanes, laneCount };
}
