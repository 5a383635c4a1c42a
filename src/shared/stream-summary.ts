// Summaries of dense stretches of a session's journal. When records come
// faster than a viewer can take them in one by one (session option
// `summarizeAbove`, records per second), a viewer that asked for summaries
// gets each run of high-volume records (invalidations, reads, lab
// operations) as one summary that counts them exactly: per cookie, how many
// invalidations hit it and how many reports read() delivered for it, and the
// generation counter and the reports queued after the run's last record.
// Registrations, unregistrations and every other record still come one by
// one. The journal keeps every record: history pages and recordings hold
// them in full.

import { EVENT_TYPE_INVAL, EVENT_TYPE_LAST } from './domain';
import type { JournalRecord } from './journal';
import type { TimelineRecord } from './timeline-record';

export interface CookieCount {
  cookie: bigint;
  count: number;
}

export interface StreamSummary {
  /** The journal records first..last, every one of them counted here. */
  first: number;
  last: number;
  /** Session times of the first and the last of them. */
  t0: number;
  t1: number;
  /** Operations among them (lab, read), and how many of those failed. */
  ops: number;
  failed: number;
  /** Lab operations that succeeded. */
  labOps: number;
  /** Notifier calls (invalidation notices), and per cookie how many hit it. */
  invalidations: number;
  hits: CookieCount[];
  /** read() calls and auto-read batches, how many of them returned nothing, the events they returned, and how many ended with LAST. */
  reads: number;
  emptyReads: number;
  events: number;
  drains: number;
  /** Per cookie, the INVAL events delivered for it. */
  deliveries: CookieCount[];
  /** The generation counter as read() reports it, and the cookies with a report queued, after record `last`. */
  counter: number;
  queued: bigint[];
}

/**
 * The generation counter and the queued reports as the records show them:
 * a hitting invalidation moves the counter and queues its cookies, a read
 * delivers them (and LAST resynchronises the counter), an unregister drops
 * its report. The timeline draws these; summaries carry them.
 */
export class ReportFold {
  counter = 0;
  readonly queued = new Set<bigint>();

  take(record: TimelineRecord): void {
    switch (record.kind) {
      case 'unregister':
        this.queued.delete(record.cookie);
        break;
      case 'invalidation':
        if (record.hits.length > 0) this.counter++;
        for (const cookie of record.hits) this.queued.add(cookie);
        break;
      case 'read':
        for (const event of record.events) {
          if (event.type === EVENT_TYPE_INVAL) this.queued.delete(event.cookieOrCounter);
          else if (event.type === EVENT_TYPE_LAST) this.counter = Number(event.cookieOrCounter);
        }
        break;
      case 'summary':
        this.adopt(record.summary);
        break;
      default:
        break;
    }
  }

  /** The state a summary ends in. */
  adopt(summary: StreamSummary): void {
    this.counter = summary.counter;
    this.queued.clear();
    for (const cookie of summary.queued) this.queued.add(cookie);
  }

  reset(): void {
    this.counter = 0;
    this.queued.clear();
  }
}

/** Whether a record is of the high volume a summary counts (everything else is sent on its own). */
export function isSummarizable(record: JournalRecord): boolean {
  switch (record.kind) {
    case 'events':
      return true;
    case 'notice':
      return record.notice.kind === 'invalidation' || record.notice.kind === 'lab';
    case 'op':
      return record.op.op === 'lab' || record.op.op === 'read';
    case 'snapshot':
      return false;
  }
}

const bump = (counts: Map<bigint, number>, cookie: bigint): void => {
  counts.set(cookie, (counts.get(cookie) ?? 0) + 1);
};

const countList = (counts: Map<bigint, number>): CookieCount[] => [...counts].map(([cookie, count]) => ({ cookie, count }));

/** Counts a run of summarizable records, given in order with what the timeline makes of each. */
export class SummaryBuilder {
  private first = -1;
  private last = -1;
  private t0 = 0;
  private t1 = 0;
  private ops = 0;
  private failed = 0;
  private labOps = 0;
  private invalidations = 0;
  private reads = 0;
  private emptyReads = 0;
  private events = 0;
  private drains = 0;
  private readonly hits = new Map<bigint, number>();
  private readonly deliveries = new Map<bigint, number>();

  get size(): number {
    return this.first < 0 ? 0 : this.last - this.first + 1;
  }

  add(n: number, record: JournalRecord, timeline: readonly TimelineRecord[]): void {
    if (this.first < 0) {
      this.first = n;
      this.t0 = record.t;
    }
    this.last = n;
    this.t1 = record.t;
    if (record.kind === 'op') {
      this.ops++;
      if (!record.outcome.ok) this.failed++;
    }
    for (const item of timeline) {
      switch (item.kind) {
        case 'invalidation':
          this.invalidations++;
          for (const cookie of item.hits) bump(this.hits, cookie);
          break;
        case 'read':
          this.reads++;
          if (item.events.length === 0) this.emptyReads++;
          this.events += item.events.length;
          for (const event of item.events) if (event.type === EVENT_TYPE_INVAL) bump(this.deliveries, event.cookieOrCounter);
          if (item.events.some((event) => event.type === EVENT_TYPE_LAST)) this.drains++;
          break;
        case 'lab':
          this.labOps++;
          break;
        default:
          break;
      }
    }
  }

  /** The summary of what was added, ending in `fold`'s state; the builder starts again empty. */
  take(fold: ReportFold): StreamSummary {
    const summary: StreamSummary = {
      first: this.first,
      last: this.last,
      t0: this.t0,
      t1: this.t1,
      ops: this.ops,
      failed: this.failed,
      labOps: this.labOps,
      invalidations: this.invalidations,
      hits: countList(this.hits),
      reads: this.reads,
      emptyReads: this.emptyReads,
      events: this.events,
      drains: this.drains,
      deliveries: countList(this.deliveries),
      counter: fold.counter,
      queued: [...fold.queued],
    };
    this.first = this.last = -1;
    this.ops = this.failed = this.labOps = this.invalidations = this.reads = this.emptyReads = this.events = this.drains = 0;
    this.hits.clear();
    this.deliveries.clear();
    return summary;
  }
}

/** How many journal records a summary stands for. */
export const summarizedRecords = (summary: StreamSummary): number => summary.last - summary.first + 1;
