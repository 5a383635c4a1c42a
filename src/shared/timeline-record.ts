// What the views record over time: every operation and observation of a
// session, stamped with the moment it happened (milliseconds, any epoch,
// non-decreasing). The app turns read() results, lab results and backend
// notices into these; the timeline, the event log and exports consume them.

import type { LabResult, UmmuEvent } from './domain';
import type { StreamSummary } from './stream-summary';

export type TimelineRecord =
  | { kind: 'register'; t: number; cookie: bigint; start: bigint; end: bigint; flags: number }
  | { kind: 'unregister'; t: number; cookie: bigint }
  /** One notifier call; `hits` are the cookies it queued or re-hit. */
  | { kind: 'invalidation'; t: number; start: bigint; end: bigint; reason: number; hits: bigint[] }
  /** One read() with a buffer of `maxEvents` events and what it returned. */
  | { kind: 'read'; t: number; maxEvents: number; events: UmmuEvent[] }
  | { kind: 'lab'; t: number; result: LabResult }
  | { kind: 'dead'; t: number }
  /** A dense stretch of the journal, counted (stream-summary.ts); `t` is its last record's time. */
  | { kind: 'summary'; t: number; summary: StreamSummary };

export type RecordKind = TimelineRecord['kind'];

export const RECORD_KINDS: readonly RecordKind[] = ['register', 'unregister', 'invalidation', 'read', 'lab', 'dead', 'summary'];

/** The cookies a record concerns, for filtering by cookie. */
export function recordCookies(record: TimelineRecord): bigint[] {
  switch (record.kind) {
    case 'register':
    case 'unregister':
      return [record.cookie];
    case 'invalidation':
      return record.hits;
    case 'read':
      return record.events.filter((e) => e.type === 0).map((e) => e.cookieOrCounter);
    case 'summary':
      return [...new Set([...record.summary.hits, ...record.summary.deliveries].map((c) => c.cookie))];
    default:
      return [];
  }
}
