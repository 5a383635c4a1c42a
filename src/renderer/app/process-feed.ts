// One watched (or replayed) process as the renderer knows it: its session
// state, last QUERY snapshot, timeline and what its journal counted, kept
// current from its greeting and its pushed batches. Records are numbered in
// the session's journal; each is applied once, in order, and a number
// ahead of the next expected one is a gap the caller answers by greeting
// again.

import type { QuerySnapshot, UmmuEvent } from '../../shared/domain';
import { EVENT_TYPE_INVAL } from '../../shared/domain';
import type { JournalRecord } from '../../shared/journal';
import type { HelloResult, JournalHistory, PushItem, SessionState } from '../../shared/messages';
import { takeInOrder } from '../../shared/in-order';
import type { StreamSummary } from '../../shared/stream-summary';
import { timelineRecordsOf } from '../../shared/timeline-records-of';
import { TimelineBuffer } from '../view-state/timeline-buffer';

/** What a process's journal holds, counted as it is applied. */
export interface ProcessCounts {
  registers: number;
  unregisters: number;
  invalidations: number;
  /** Owner read() calls that returned something. */
  reads: number;
  /** INVAL events those reads returned. */
  events: number;
  /** Times the monitor lost records (gap notices), and how many records. */
  gaps: number;
  lostRecords: number;
  /** Owner reads whose reports went back to the queue. */
  readFaults: number;
}

export const NO_COUNTS: ProcessCounts = { registers: 0, unregisters: 0, invalidations: 0, reads: 0, events: 0, gaps: 0, lostRecords: 0, readFaults: 0 };

/** What the views draw of one process (a new object whenever something in it changed). */
export interface ProcessView {
  sessionId: number;
  state: SessionState;
  snapshot: QuerySnapshot | null;
  counts: ProcessCounts;
  timeline: TimelineBuffer;
}

const invalCount = (events: readonly UmmuEvent[]): number => events.filter((e) => e.type === EVENT_TYPE_INVAL).length;

function count(counts: ProcessCounts, record: JournalRecord): ProcessCounts {
  switch (record.kind) {
    case 'op': {
      if (!record.outcome.ok) return counts;
      const { op } = record;
      if (op.op === 'register') return { ...counts, registers: counts.registers + 1 };
      if (op.op === 'unregister') return { ...counts, unregisters: counts.unregisters + 1 };
      if (op.op === 'read') {
        const events = record.outcome.result as UmmuEvent[];
        return events.length === 0 ? counts : { ...counts, reads: counts.reads + 1, events: counts.events + invalCount(events) };
      }
      return counts;
    }
    case 'events':
      return { ...counts, reads: counts.reads + 1, events: counts.events + invalCount(record.events) };
    case 'notice': {
      const { notice } = record;
      if (notice.kind === 'invalidation') return { ...counts, invalidations: counts.invalidations + 1 };
      if (notice.kind === 'gap') return { ...counts, gaps: counts.gaps + 1, lostRecords: counts.lostRecords + Number(notice.lastSeq - notice.firstSeq + 1n) };
      if (notice.kind === 'readFault') return { ...counts, readFaults: counts.readFaults + 1 };
      return counts;
    }
    case 'snapshot':
      return counts;
  }
}

/** The counts of a run of records a summary stands for. */
const countSummary = (counts: ProcessCounts, s: StreamSummary): ProcessCounts => ({
  ...counts,
  invalidations: counts.invalidations + s.invalidations,
  reads: counts.reads + s.reads - s.emptyReads,
  events: counts.events + s.deliveries.reduce((n, d) => n + d.count, 0),
});

/** A journal record, or a summary of records first..last, as a feed applies it. */
export type FeedEntry = { first: number; last: number; record: JournalRecord } | { first: number; last: number; summary: StreamSummary };

/** The entry a pushed record or summary is (null for any other item). */
export const feedEntry = (item: PushItem): FeedEntry | null =>
  item.kind === 'record'
    ? { first: item.n, last: item.n, record: item.record }
    : item.kind === 'summary'
      ? { first: item.summary.first, last: item.summary.last, summary: item.summary }
      : null;

export class ProcessFeed {
  readonly timeline = new TimelineBuffer();
  private state: SessionState;
  private snapshot: QuerySnapshot | null;
  private counts: ProcessCounts = NO_COUNTS;
  /** The number of the next journal record to apply. */
  private next: number;
  private current: ProcessView;

  constructor(hello: HelloResult) {
    this.state = hello.state;
    this.snapshot = hello.snapshot;
    this.next = hello.history.first;
    this.apply(hello.history.records.map((record, i) => ({ first: hello.history.first + i, last: hello.history.first + i, record })));
    this.current = this.build();
  }

  /** A feed for a session first seen in a pushed batch (its journal starts at record 0). */
  static fromState(state: SessionState): ProcessFeed {
    return new ProcessFeed({ state, snapshot: null, history: { first: 0, records: [], end: 0 } });
  }

  get sessionId(): number {
    return this.state.sessionId;
  }

  view(): ProcessView {
    return this.current;
  }

  /** Applies a batch's items; false when a record is missing before them (greet again). */
  applyItems(items: readonly PushItem[]): boolean {
    for (const item of items) {
      if (item.kind === 'state') this.state = item.state;
      else if (item.kind === 'snapshot') this.snapshot = item.snapshot;
    }
    const { taken, gap } = takeInOrder(items.flatMap((item) => feedEntry(item) ?? []), this.next);
    this.apply(taken);
    this.current = this.build();
    return !gap;
  }

  /** The number of the next journal record this feed expects. */
  get nextRecord(): number {
    return this.next;
  }

  /** A further page of the session's history (asked for from nextRecord); records the core no longer keeps are skipped. */
  applyHistory(page: JournalHistory): void {
    if (page.first > this.next) this.next = page.first;
    const from = this.next - page.first;
    this.apply(page.records.slice(from).map((record, i) => ({ first: this.next + i, last: this.next + i, record })));
    this.current = this.build();
  }

  /** Records held back while a greeting was on its way: those after its history. */
  applyHeld(entries: readonly FeedEntry[]): void {
    this.apply(takeInOrder(entries, this.next).taken);
    this.current = this.build();
  }

  /** Applies entries that follow each other from the next record on. */
  private apply(entries: readonly FeedEntry[]): void {
    const last = entries[entries.length - 1];
    if (!last) return;
    for (const entry of entries) this.counts = 'record' in entry ? count(this.counts, entry.record) : countSummary(this.counts, entry.summary);
    this.next = last.last + 1;
    this.timeline.sourcePosition = last.last;
    this.timeline.appendAll(entries.flatMap((entry) => ('record' in entry ? timelineRecordsOf(entry.record) : [{ kind: 'summary' as const, t: entry.summary.t1, summary: entry.summary }])));
  }

  private build(): ProcessView {
    return { sessionId: this.state.sessionId, state: this.state, snapshot: this.snapshot, counts: this.counts, timeline: this.timeline };
  }
}
