// The recording the timeline draws: a bounded ring of timeline records.
// Columns (time, kind, generation counter, queue depth) are typed arrays so
// that views can scan a million records per frame; the records themselves
// are kept as bytes (record-codec) and decoded on demand, so a full ring is
// not millions of objects for the garbage collector to walk. Per-cookie
// mark times are kept exactly for the retained records: evicting a record
// removes the marks it added. Appends notify subscribers directly
// ("transient" updates): canvases redraw on their own schedule and React
// does not re-render per record.

import { EVENT_TYPE_INVAL, EVENT_TYPE_LAST } from '../../shared/domain';
import { ReportFold, type CookieCount, type StreamSummary } from '../../shared/stream-summary';
import { ChunkedBytes } from './chunked-bytes';
import { decodeRecord, encodedSize, encodeRecord } from './record-codec';
import { SlidingColumn } from './sliding-column';
import { RECORD_KINDS, type RecordKind, type TimelineRecord } from '../../shared/timeline-record';

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

/** Reads over time, with running totals so that any time range sums in O(1). */
export interface ReadMarks {
  times: ArrayLike<number>;
  /** Events returned by reads [0, i]. */
  eventTotals: ArrayLike<number>;
  /** Reads [0, i] that ended with LAST. */
  drainTotals: ArrayLike<number>;
}

/** Sum over reads [first, next) of a running-total column of ReadMarks. */
export const sumBetween = (totals: ArrayLike<number>, first: number, next: number): number =>
  (next > 0 ? (totals[next - 1] as number) : 0) - (first > 0 ? (totals[first - 1] as number) : 0);

/** Index of the first time at or after t in sorted times. */
export const lowerBound = (times: ArrayLike<number>, t: number): number => {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** Index of the first time after t in sorted times. */
export const upperBound = (times: ArrayLike<number>, t: number): number => {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const KIND_CODE = new Map<RecordKind, number>(RECORD_KINDS.map((kind, code) => [kind, code]));
const NO_MARKS = new Float64Array(0);
/** Position of a record kept as an object rather than as bytes. */
const AS_OBJECT = -1;

export interface TimelineBufferOptions {
  /** Size of the byte chunks records are encoded into (tests use small ones). */
  chunkSize?: number;
}

export class TimelineBuffer {
  readonly capacity: number;
  private readonly bytes: ChunkedBytes;
  /** Where each slot's record is encoded, or AS_OBJECT. */
  private readonly positions: Float64Array;
  /** Records too rare or too large to encode, by slot. */
  private readonly objects = new Map<number, TimelineRecord>();
  private readonly times: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly counters: Float64Array;
  private readonly depths: Uint32Array;
  private head = 0;
  private size = 0;
  private evicted = 0;
  private revision = 0;
  private clears = 0;
  private latestTime = -Infinity;
  private readonly reports = new ReportFold();
  private readonly lifetimeByCookie = new Map<bigint, RegistrationLifetime>();
  private readonly lifetimeOrder: RegistrationLifetime[] = [];
  private readonly listeners = new Set<BufferListener>();
  private readonly hitsByCookie = new Map<bigint, SlidingColumn>();
  private readonly deliveriesByCookie = new Map<bigint, SlidingColumn>();
  private readonly readTimes = new SlidingColumn(1024);
  private readonly readEventTotals = new SlidingColumn(1024);
  private readonly readDrainTotals = new SlidingColumn(1024);

  /**
   * How far the source has been appended (the app: the number of the last
   * journal record applied); the timeline's drawing marks carry it.
   */
  sourcePosition: number | null = null;

  constructor(capacity = 1 << 20, options: TimelineBufferOptions = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.bytes = new ChunkedBytes(options.chunkSize);
    this.positions = new Float64Array(capacity);
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

  /** Changes when the buffer is cleared: sequence numbers (dropped + index) restart. */
  get epoch(): number {
    return this.clears;
  }

  /** Bytes held for encoded records (bounded by the capacity, not by what was ever appended). */
  get retainedBytes(): number {
    return this.bytes.retainedBytes;
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
    this.sourcePosition = null;
    this.bytes.clear();
    this.objects.clear();
    this.head = 0;
    this.size = 0;
    this.evicted = 0;
    this.latestTime = -Infinity;
    this.reports.reset();
    this.lifetimeByCookie.clear();
    this.lifetimeOrder.length = 0;
    this.hitsByCookie.clear();
    this.deliveriesByCookie.clear();
    this.readTimes.clear();
    this.readEventTotals.clear();
    this.readDrainTotals.clear();
    this.clears++;
    this.revision++;
    this.notify();
  }

  subscribe(listener: BufferListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The i-th retained record, oldest first (decoded afresh on each call). */
  get(i: number): TimelineRecord {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`record ${i} out of range (length ${this.size})`);
    return this.recordIn(this.slot(i));
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

  /** When retained invalidations hit this cookie, sorted; valid until the next append. */
  hitTimes(cookie: bigint): ArrayLike<number> {
    return this.hitsByCookie.get(cookie)?.view() ?? NO_MARKS;
  }

  /** When retained reads delivered an INVAL event for this cookie, sorted; valid until the next append. */
  deliveryTimes(cookie: bigint): ArrayLike<number> {
    return this.deliveriesByCookie.get(cookie)?.view() ?? NO_MARKS;
  }

  /** The retained reads; valid until the next append. */
  reads(): ReadMarks {
    return { times: this.readTimes.view(), eventTotals: this.readEventTotals.view(), drainTotals: this.readDrainTotals.view() };
  }

  toArray(from = 0, to = this.size): TimelineRecord[] {
    const out: TimelineRecord[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.size); i++) out.push(this.get(i));
    return out;
  }

  private slot(i: number): number {
    return (this.head + i) % this.capacity;
  }

  private recordIn(slot: number): TimelineRecord {
    const position = this.positions[slot] ?? AS_OBJECT;
    if (position === AS_OBJECT) {
      const record = this.objects.get(slot);
      if (!record) throw new Error(`slot ${slot} holds no record`);
      return record;
    }
    const kind = RECORD_KINDS[this.kinds[slot] ?? 0];
    if (kind === undefined || kind === 'lab' || kind === 'summary') throw new Error(`slot ${slot} has no encoded record`);
    return decodeRecord(this.bytes.viewOf(position), this.bytes.offsetOf(position), kind);
  }

  private push(record: TimelineRecord): void {
    // Clocks of different processes may step back slightly; the time column
    // stays sorted so that time lookups remain binary searches.
    const t = Math.max(record.t, this.latestTime);
    this.latestTime = t;
    let slot: number;
    if (this.size < this.capacity) {
      slot = this.slot(this.size);
      this.size++;
    } else {
      slot = this.head;
      this.evict(slot);
      this.head = (this.head + 1) % this.capacity;
      this.evicted++;
    }
    this.observe(record, t);
    const size = encodedSize(record);
    if (size === null || size > this.bytes.chunkSize) {
      this.positions[slot] = AS_OBJECT;
      this.objects.set(slot, record);
    } else {
      const position = this.bytes.reserve(size);
      encodeRecord(this.bytes.viewOf(position), this.bytes.offsetOf(position), record);
      this.positions[slot] = position;
    }
    this.times[slot] = t;
    this.kinds[slot] = KIND_CODE.get(record.kind) ?? 0;
    this.counters[slot] = this.reports.counter;
    this.depths[slot] = this.reports.queued.size;
  }

  /** Forgets the oldest record (in `slot`): its marks and, when unneeded, its bytes. */
  private evict(slot: number): void {
    const record = this.recordIn(slot);
    this.objects.delete(slot);
    if (record.kind === 'invalidation') for (const cookie of record.hits) TimelineBuffer.unmark(this.hitsByCookie, cookie);
    else if (record.kind === 'read') {
      for (const event of record.events) if (event.type === EVENT_TYPE_INVAL) TimelineBuffer.unmark(this.deliveriesByCookie, event.cookieOrCounter);
      this.shiftReads(1);
    } else if (record.kind === 'summary') {
      for (const { cookie, count } of record.summary.hits) for (let i = 0; i < count; i++) TimelineBuffer.unmark(this.hitsByCookie, cookie);
      for (const { cookie, count } of record.summary.deliveries) for (let i = 0; i < count; i++) TimelineBuffer.unmark(this.deliveriesByCookie, cookie);
      this.shiftReads(record.summary.reads);
    }
    if (this.size > 1) {
      const next = this.positions[(slot + 1) % this.capacity] ?? AS_OBJECT;
      if (next !== AS_OBJECT) this.bytes.releaseBefore(next);
    }
  }

  private static mark(index: Map<bigint, SlidingColumn>, cookie: bigint, t: number): void {
    let marks = index.get(cookie);
    if (!marks) index.set(cookie, (marks = new SlidingColumn()));
    marks.push(t);
  }

  /** Removes the oldest mark of `cookie` (marks are added and evicted in record order). */
  private static unmark(index: Map<bigint, SlidingColumn>, cookie: bigint): void {
    const marks = index.get(cookie);
    if (!marks) return;
    marks.shift();
    if (marks.length === 0) index.delete(cookie);
  }

  private shiftReads(reads: number): void {
    for (let i = 0; i < reads; i++) {
      this.readTimes.shift();
      this.readEventTotals.shift();
      this.readDrainTotals.shift();
    }
  }

  private pushRead(t: number, events: number, drained: number): void {
    this.readTimes.push(t);
    this.readEventTotals.push((this.readEventTotals.last() ?? 0) + events);
    this.readDrainTotals.push((this.readDrainTotals.last() ?? 0) + drained);
  }

  /**
   * A summary's marks, spread evenly over its stretch (t0, t]: every
   * invalidation, delivery and read it counts is a mark, so counts over the
   * stretch are exact and only their times within it are not. Its events
   * and drains are all given to its last read.
   */
  private observeSummary(summary: StreamSummary, t: number): void {
    const t0 = Math.min(summary.t0, t);
    const spread = (index: Map<bigint, SlidingColumn>, counts: readonly CookieCount[]): void => {
      for (const { cookie, count } of counts) for (let i = 1; i <= count; i++) TimelineBuffer.mark(index, cookie, t0 + ((t - t0) * i) / count);
    };
    spread(this.hitsByCookie, summary.hits);
    spread(this.deliveriesByCookie, summary.deliveries);
    for (let i = 1; i <= summary.reads; i++) {
      const last = i === summary.reads;
      this.pushRead(t0 + ((t - t0) * i) / summary.reads, last ? summary.events : 0, last ? summary.drains : 0);
    }
  }

  private observe(record: TimelineRecord, t: number): void {
    this.reports.take(record);
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
        break;
      }
      case 'invalidation':
        for (const cookie of record.hits) TimelineBuffer.mark(this.hitsByCookie, cookie, t);
        break;
      case 'read': {
        let drained = 0;
        for (const event of record.events) {
          if (event.type === EVENT_TYPE_INVAL) TimelineBuffer.mark(this.deliveriesByCookie, event.cookieOrCounter, t);
          else if (event.type === EVENT_TYPE_LAST) drained = 1;
        }
        this.pushRead(t, record.events.length, drained);
        break;
      }
      case 'summary':
        this.observeSummary(record.summary, t);
        break;
      default:
        break;
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this);
  }
}
