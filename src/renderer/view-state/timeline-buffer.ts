// The recording the timeline draws: a bounded ring of timeline records with
// columns (time, kind, generation counter, queue depth) kept in typed arrays
// so that views can scan a million records per frame. Appends notify
// subscribers directly ("transient" updates): canvases redraw on their own
// schedule and React does not re-render per record.

import { EVENT_TYPE_INVAL, EVENT_TYPE_LAST } from '../../shared/domain';
import { RECORD_KINDS, type RecordKind, type TimelineRecord } from './timeline-record';

/** One registration's life as the recording saw it. */
export interface RegistrationLifetime {
  cookie: bigint;
  start: bigint;
  end: bigint;
  flags: number;
  registeredAt: number;
  unregisteredAt?: number;
}

export type BufferListener = (buffer: TimelineBuffer) => void;

/** Times of one kind of mark, sorted, for drawing without scanning every record. */
export interface MarkTimes {
  times: number[];
}

/** Reads over time, with running totals so that any time range sums in O(1). */
export interface ReadMarks extends MarkTimes {
  /** Events returned by reads [0, i]. */
  eventTotals: number[];
  /** Reads [0, i] that ended with LAST. */
  drainTotals: number[];
}

/** Index of the first time at or after t in sorted times. */
export const lowerBound = (times: readonly number[], t: number): number => {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Evicted marks are pruned once per this many evictions. */
const PRUNE_EVERY = 4096;

const KIND_CODE = new Map<RecordKind, number>(RECORD_KINDS.map((kind, code) => [kind, code]));

export class TimelineBuffer {
  readonly capacity: number;
  private readonly records: (TimelineRecord | undefined)[];
  private readonly times: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly counters: Float64Array;
  private readonly depths: Uint32Array;
  private head = 0;
  private size = 0;
  private evicted = 0;
  private revision = 0;
  private latestTime = -Infinity;
  private counter = 0;
  private readonly queued = new Set<bigint>();
  private readonly lifetimeByCookie = new Map<bigint, RegistrationLifetime>();
  private readonly lifetimeOrder: RegistrationLifetime[] = [];
  private readonly listeners = new Set<BufferListener>();
  private readonly hitsByCookie = new Map<bigint, MarkTimes>();
  private readonly deliveriesByCookie = new Map<bigint, MarkTimes>();
  private readonly readMarks: ReadMarks = { times: [], eventTotals: [], drainTotals: [] };

  constructor(capacity = 1 << 20) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.records = new Array<TimelineRecord | undefined>(capacity);
    this.times = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.counters = new Float64Array(capacity);
    this.depths = new Uint32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Records dropped from the front because the ring was full. */
  get dropped(): number {
    return this.evicted;
  }

  /** Changes on every append or clear; lets views skip redundant redraws. */
  get version(): number {
    return this.revision;
  }

  get firstTime(): number | undefined {
    return this.size ? this.timeAt(0) : undefined;
  }

  get lastTime(): number | undefined {
    return this.size ? this.timeAt(this.size - 1) : undefined;
  }

  append(record: TimelineRecord): void {
    this.push(record);
    this.revision++;
    this.notify();
  }

  appendAll(records: Iterable<TimelineRecord>): void {
    let any = false;
    for (const record of records) {
      this.push(record);
      any = true;
    }
    if (!any) return;
    this.revision++;
    this.notify();
  }

  clear(): void {
    this.records.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.evicted = 0;
    this.latestTime = -Infinity;
    this.counter = 0;
    this.queued.clear();
    this.lifetimeByCookie.clear();
    this.lifetimeOrder.length = 0;
    this.hitsByCookie.clear();
    this.deliveriesByCookie.clear();
    this.readMarks.times.length = 0;
    this.readMarks.eventTotals.length = 0;
    this.readMarks.drainTotals.length = 0;
    this.revision++;
    this.notify();
  }

  subscribe(listener: BufferListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The i-th retained record, oldest first. */
  get(i: number): TimelineRecord {
    const record = this.records[this.slot(i)];
    if (!record) throw new RangeError(`record ${i} out of range (length ${this.size})`);
    return record;
  }

  timeAt(i: number): number {
    return this.times[this.slot(i)] ?? 0;
  }

  kindAt(i: number): RecordKind {
    return RECORD_KINDS[this.kinds[this.slot(i)] ?? 0] ?? 'dead';
  }

  /** The generation counter just after record i (LAST events resynchronise it). */
  counterAt(i: number): number {
    return this.counters[this.slot(i)] ?? 0;
  }

  /** How many reports were queued just after record i. */
  queueDepthAt(i: number): number {
    return this.depths[this.slot(i)] ?? 0;
  }

  /** Index of the first record at or after t (length when none). */
  indexAtTime(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Registrations in order of first registration, including unregistered ones. */
  lifetimes(): readonly RegistrationLifetime[] {
    return this.lifetimeOrder;
  }

  lifetime(cookie: bigint): RegistrationLifetime | undefined {
    return this.lifetimeByCookie.get(cookie);
  }

  /** When invalidations hit this cookie. */
  hitTimes(cookie: bigint): readonly number[] {
    return this.hitsByCookie.get(cookie)?.times ?? [];
  }

  /** When reads delivered an INVAL event for this cookie. */
  deliveryTimes(cookie: bigint): readonly number[] {
    return this.deliveriesByCookie.get(cookie)?.times ?? [];
  }

  reads(): Readonly<ReadMarks> {
    return this.readMarks;
  }

  toArray(from = 0, to = this.size): TimelineRecord[] {
    const out: TimelineRecord[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.size); i++) out.push(this.get(i));
    return out;
  }

  private slot(i: number): number {
    return (this.head + i) % this.capacity;
  }

  private push(record: TimelineRecord): void {
    // Clocks of different processes may step back slightly; the time column
    // stays sorted so that time lookups remain binary searches.
    const t = Math.max(record.t, this.latestTime);
    this.latestTime = t;
    this.observe(record, t);
    let slot: number;
    if (this.size < this.capacity) {
      slot = this.slot(this.size);
      this.size++;
    } else {
      slot = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.evicted++;
      if (this.evicted % PRUNE_EVERY === 0) this.pruneMarks(this.times[this.head] ?? t);
    }
    this.records[slot] = record;
    this.times[slot] = t;
    this.kinds[slot] = KIND_CODE.get(record.kind) ?? 0;
    this.counters[slot] = this.counter;
    this.depths[slot] = this.queued.size;
  }

  private static mark(index: Map<bigint, MarkTimes>, cookie: bigint, t: number): void {
    const marks = index.get(cookie);
    if (marks) marks.times.push(t);
    else index.set(cookie, { times: [t] });
  }

  /** Drops marks older than the oldest retained record. */
  private pruneMarks(oldest: number): void {
    for (const index of [this.hitsByCookie, this.deliveriesByCookie])
      for (const [cookie, marks] of index) {
        const keep = lowerBound(marks.times, oldest);
        if (keep === marks.times.length) index.delete(cookie);
        else if (keep > 0) marks.times.splice(0, keep);
      }
    const r = this.readMarks;
    const keep = lowerBound(r.times, oldest);
    r.times.splice(0, keep);
    r.eventTotals.splice(0, keep);
    r.drainTotals.splice(0, keep);
  }

  private observe(record: TimelineRecord, t: number): void {
    switch (record.kind) {
      case 'register': {
        const lifetime: RegistrationLifetime = {
          cookie: record.cookie,
          start: record.start,
          end: record.end,
          flags: record.flags,
          registeredAt: record.t,
        };
        this.lifetimeByCookie.set(record.cookie, lifetime);
        this.lifetimeOrder.push(lifetime);
        break;
      }
      case 'unregister': {
        const lifetime = this.lifetimeByCookie.get(record.cookie);
        if (lifetime) lifetime.unregisteredAt = record.t;
        this.queued.delete(record.cookie);
        break;
      }
      case 'invalidation':
        if (record.hits.length > 0) this.counter++;
        for (const cookie of record.hits) {
          this.queued.add(cookie);
          TimelineBuffer.mark(this.hitsByCookie, cookie, t);
        }
        break;
      case 'read': {
        let drained = 0;
        for (const event of record.events) {
          if (event.type === EVENT_TYPE_INVAL) {
            this.queued.delete(event.cookieOrCounter);
            TimelineBuffer.mark(this.deliveriesByCookie, event.cookieOrCounter, t);
          } else if (event.type === EVENT_TYPE_LAST) {
            this.counter = Number(event.cookieOrCounter);
            drained = 1;
          }
        }
        const r = this.readMarks;
        r.times.push(t);
        r.eventTotals.push((r.eventTotals[r.eventTotals.length - 1] ?? 0) + record.events.length);
        r.drainTotals.push((r.drainTotals[r.drainTotals.length - 1] ?? 0) + drained);
        break;
      }
      default:
        break;
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this);
  }
}
