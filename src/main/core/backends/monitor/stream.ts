// A watched file as a monitor sees it: the MONITOR_QUERY snapshot, then
// every record after its seq applied in order (section 4a of the design;
// kernel/include/uapi/linux/ummunotify.h, "Monitors"). Each record becomes
// the journal record the other backends would give for the same fact:
// REGISTER and UNREGISTER the owner's ops, FEATURES its negotiation,
// INVALIDATE with its HITs one invalidation notice, READ the events the
// owner's read() returned (the reports it took off the queue, each as its
// last HIT left it, then LAST), CLOSE a `closed` notice. A seq gap (records
// the ring dropped) or a failed owner read (which the kernel merges back
// into the queue) re-bases the stream on a fresh snapshot, and the records
// the journal does not show are one `gap` notice, never skipped silently.

import type { MonitorRecord, MonitorSnapshot } from '../../../../../native/lib/types';
import {
  EVENT_FLAG_HINT,
  EVENT_FLAG_HINT_UNION,
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  QUERY_DEAD,
  QUERY_NEED_EMPTY,
  QUERY_REG_HINT,
  QUERY_REG_HINT_UNION,
  QUERY_REG_QUEUED,
  type QueryRegistration,
  type QuerySnapshot,
  type UmmuEvent,
} from '../../../../shared/domain';
import { opRecord, type JournalRecord, type Notice } from '../../../../shared/journal';

// The record types and flags of the uapi header (native/lib/monitor-records.ts
// holds the same values; this module must load where the addon does not).
const RECORD = { FEATURES: 0, REGISTER: 1, UNREGISTER: 2, INVALIDATE: 3, HIT: 4, READ: 5, CLOSE: 6 } as const;
const HIT_QUEUED = 2 ** 31;
const READ_LAST = 1 << 0;
const READ_FAULT = 1 << 1;
const CLOSE_MM_GONE = 1 << 0;
const REASON_FLAGS = 0xffffff00;

/** What one record means for the journal: a record without its time (the session stamps it). */
export type Observation = JournalRecord;

const notice = (n: Notice): Observation => ({ kind: 'notice', t: 0, notice: n });

function compareRegistrations(a: QueryRegistration, b: QueryRegistration): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  return a.cookie === b.cookie ? 0 : a.cookie < b.cookie ? -1 : 1;
}

/** The flags the INVAL event of a queued registration is read with. */
function eventFlags(reg: QueryRegistration): number {
  let flags = reg.reasonFlags;
  if (reg.state & QUERY_REG_HINT) flags |= EVENT_FLAG_HINT;
  if (reg.state & QUERY_REG_HINT_UNION) flags |= EVENT_FLAG_HINT_UNION;
  return flags >>> 0;
}

const unqueued = (reg: QueryRegistration): QueryRegistration => ({ ...reg, state: 0, hintStart: 0n, hintEnd: 0n, reasonFlags: 0 });

export class MonitorStream {
  private registrations = new Map<bigint, QueryRegistration>();
  private queue: bigint[] = [];
  private counter = 0n;
  private needEmpty = false;
  private dead = false;
  private closed = false;
  /** The seq of the last record applied (or of the snapshot). */
  private seq = 0n;
  /** The monitor's count of dropped records as of the last snapshot. */
  private dropped = 0n;
  /** An INVALIDATE waiting for its HITs. */
  private pending: { start: bigint; end: bigint; reason: number; hits: bigint[]; expected: number } | null = null;

  constructor(snapshot: MonitorSnapshot) {
    this.rebase(snapshot);
  }

  /** Starts again from a snapshot: records up to its seq are part of it. */
  rebase(snapshot: MonitorSnapshot): void {
    this.registrations = new Map(snapshot.registrations.map((reg) => [reg.cookie, { ...reg }]));
    this.queue = [...snapshot.queue];
    this.counter = snapshot.counter;
    this.needEmpty = (snapshot.flags & QUERY_NEED_EMPTY) !== 0;
    this.dead = (snapshot.flags & QUERY_DEAD) !== 0;
    this.seq = snapshot.seq;
    this.dropped = snapshot.dropped;
    this.pending = null;
  }

  /**
   * Whether `snapshot` (a MONITOR_QUERY taken while the stream was quiet)
   * says records were dropped since the last snapshot: the ring drops the
   * newest, so the records lost at the end of a burst leave no seq gap
   * until something else happens.
   */
  lostSince(snapshot: MonitorSnapshot): boolean {
    return snapshot.dropped > this.dropped && !this.closed;
  }

  /** The seq of the last record applied. */
  position(): bigint {
    return this.seq;
  }

  isClosed(): boolean {
    return this.closed;
  }

  generationCounter(): bigint {
    return this.counter;
  }

  /** The file as QUERY would show it after the records applied so far. */
  snapshot(): QuerySnapshot {
    return {
      counter: this.counter,
      flags: (this.needEmpty ? QUERY_NEED_EMPTY : 0) | (this.dead ? QUERY_DEAD : 0),
      registrations: [...this.registrations.values()].map((reg) => ({ ...reg })).sort(compareRegistrations),
      queue: [...this.queue],
    };
  }

  /**
   * Applies a batch in order and returns what it means for the journal.
   * `rest` is set when the stream cannot go on from what it has (a seq gap:
   * records the ring dropped; a failed owner read, whose reports the kernel
   * merged back): the caller takes a fresh MONITOR_QUERY, calls resync(),
   * and applies `rest` again.
   */
  apply(records: readonly MonitorRecord[]): { observed: Observation[]; rest: readonly MonitorRecord[] | null } {
    const observed: Observation[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      // A miss (UMMUNOTIFY_MONITOR_MISSES) takes no seq of its own.
      const miss = record.type === RECORD.INVALIDATE && record.seq === this.seq && record.aux === 0n;
      if (record.seq <= this.seq && !miss) continue;
      if (!miss && record.seq !== this.seq + 1n) {
        this.flushInvalidation(observed);
        return { observed, rest: records.slice(i) };
      }
      this.seq = record.seq;
      if (this.applyOne(record, observed) === 'resync') return { observed, rest: records.slice(i + 1) };
    }
    return { observed, rest: null };
  }

  /**
   * Goes on after apply() returned `rest`: from `snapshot` (a fresh
   * MONITOR_QUERY) when there is one, else (the file is already gone) by
   * skipping to `nextSeq`. Returns the gap notice for the records the
   * journal will not show.
   */
  resync(snapshot: MonitorSnapshot | null, nextSeq: bigint): Observation[] {
    const last = snapshot ? snapshot.seq : nextSeq - 1n;
    const observed = last > this.seq ? [notice({ kind: 'gap', firstSeq: this.seq + 1n, lastSeq: last })] : [];
    if (snapshot) this.rebase(snapshot);
    else this.seq = last > this.seq ? last : this.seq;
    return observed;
  }

  /** The stream ended (end of file) without the CLOSE record: it was dropped. */
  endWithoutClose(): Observation[] {
    const observed: Observation[] = [];
    this.flushInvalidation(observed);
    if (this.closed) return observed;
    observed.push(notice({ kind: 'gap', firstSeq: this.seq + 1n, lastSeq: this.seq + 1n }));
    this.closed = true;
    observed.push(notice({ kind: 'closed', ownerGone: false }));
    return observed;
  }

  private applyOne(record: MonitorRecord, observed: Observation[]): 'resync' | undefined {
    if (record.type !== RECORD.HIT) this.flushInvalidation(observed);
    switch (record.type) {
      case RECORD.FEATURES:
        observed.push(opRecord(0, { op: 'negotiateFeatures', requested: record.flags }, { ok: true, result: record.flags }));
        break;
      case RECORD.REGISTER: {
        const reg = { start: record.start, end: record.end, cookie: record.cookie, hintStart: 0n, hintEnd: 0n, state: 0, reasonFlags: 0, filter: record.flags };
        this.registrations.set(record.cookie, reg);
        observed.push(opRecord(0, { op: 'register', start: record.start, end: record.end, cookie: record.cookie, flags: record.flags }, { ok: true, result: null }));
        break;
      }
      case RECORD.UNREGISTER:
        this.registrations.delete(record.cookie);
        this.queue = this.queue.filter((cookie) => cookie !== record.cookie);
        observed.push(opRecord(0, { op: 'unregister', cookie: record.cookie }, { ok: true, result: null }));
        break;
      case RECORD.INVALIDATE: {
        const reason = (record.flags >>> 8) & 0xff;
        this.pending = { start: record.start, end: record.end, reason, hits: [], expected: Number(record.aux) };
        if (record.aux !== 0n) this.counter = record.counter;
        if (this.pending.expected === 0) this.flushInvalidation(observed);
        break;
      }
      case RECORD.HIT:
        this.hit(record, observed);
        break;
      case RECORD.READ:
        if (record.flags & READ_FAULT) {
          observed.push(notice({ kind: 'readFault', events: Number(record.aux) }));
          return 'resync';
        }
        this.read(record, observed);
        break;
      case RECORD.CLOSE:
        this.closed = true;
        this.dead ||= (record.flags & CLOSE_MM_GONE) !== 0;
        observed.push(notice({ kind: 'closed', ownerGone: (record.flags & CLOSE_MM_GONE) !== 0 }));
        break;
    }
    return undefined;
  }

  private hit(record: MonitorRecord, observed: Observation[]): void {
    const reg = this.registrations.get(record.cookie);
    this.counter = record.counter;
    if (reg) {
      if ((reg.state & QUERY_REG_QUEUED) === 0) this.queue.push(record.cookie);
      reg.state = QUERY_REG_QUEUED | (record.flags & EVENT_FLAG_HINT ? QUERY_REG_HINT : 0) | (record.flags & EVENT_FLAG_HINT_UNION ? QUERY_REG_HINT_UNION : 0);
      reg.hintStart = record.start;
      reg.hintEnd = record.end;
      // Bit 31 is HIT_QUEUED, not the reason mask's UNKNOWN bit.
      reg.reasonFlags = (record.flags & REASON_FLAGS & ~HIT_QUEUED) >>> 0;
    }
    const pending = this.pending;
    if (!pending) return;
    pending.hits.push(record.cookie);
    if (pending.hits.length >= pending.expected) this.flushInvalidation(observed);
  }

  private read(record: MonitorRecord, observed: Observation[]): void {
    const count = Number(record.aux);
    const events: UmmuEvent[] = [];
    for (const cookie of this.queue.splice(0, count)) {
      const reg = this.registrations.get(cookie);
      if (!reg) continue;
      events.push({ type: EVENT_TYPE_INVAL, flags: eventFlags(reg), hintStart: reg.hintStart, hintEnd: reg.hintEnd, cookieOrCounter: cookie });
      this.registrations.set(cookie, unqueued(reg));
    }
    if (record.flags & READ_LAST) {
      events.push({ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: record.counter });
      this.needEmpty = false;
    } else if (count > 0) {
      this.needEmpty = true;
    }
    observed.push({ kind: 'events', t: 0, events });
  }

  private flushInvalidation(observed: Observation[]): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    observed.push(notice({ kind: 'invalidation', start: pending.start, end: pending.end, reason: pending.reason, hits: pending.hits }));
  }
}
