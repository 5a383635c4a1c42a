// Turning what a session pushes into timeline records: read results and
// backend notices arrive with their time (`at`, milliseconds); register and
// unregister are not pushed, so they are derived from successive QUERY
// snapshots, stamped with the moment the snapshot arrived.

import type { QueryRegistration } from '../../shared/domain';
import type { PushItem, WireEvent } from '../../shared/messages';
import { hexToU64 } from '../../shared/u64';
import type { TimelineRecord } from './timeline-record';

const eventFromWire = (e: WireEvent) => ({
  type: e.type,
  flags: e.flags,
  hintStart: hexToU64(e.hintStart, 'hintStart'),
  hintEnd: hexToU64(e.hintEnd, 'hintEnd'),
  cookieOrCounter: hexToU64(e.cookieOrCounter, 'cookieOrCounter'),
});

/** The records a pushed item stands for (none for state, snapshot and error items). */
export function recordsFromPush(item: PushItem): TimelineRecord[] {
  if (item.kind === 'events') return [{ kind: 'read', t: item.at, maxEvents: item.maxEvents, events: item.events.map(eventFromWire) }];
  if (item.kind !== 'notice') return [];
  const n = item.notice;
  switch (n.kind) {
    case 'invalidation':
      return [{ kind: 'invalidation', t: item.at, start: hexToU64(n.start), end: hexToU64(n.end), reason: n.reason, hits: n.hits.map((h) => hexToU64(h)) }];
    case 'lab': {
      const r = n.result;
      const result = { op: r.op, start: hexToU64(r.start), end: hexToU64(r.end), ...(r.movedTo && { movedTo: { start: hexToU64(r.movedTo.start), end: hexToU64(r.movedTo.end) } }) };
      return [{ kind: 'lab', t: item.at, result }];
    }
    case 'dead':
      return [{ kind: 'dead', t: item.at }];
  }
}

/** Register and unregister records for the cookies that appeared or vanished between two snapshots. */
export function registrationChanges(before: readonly QueryRegistration[], after: readonly QueryRegistration[], t: number): TimelineRecord[] {
  const old = new Map(before.map((r) => [r.cookie, r]));
  const now = new Set(after.map((r) => r.cookie));
  const records: TimelineRecord[] = [];
  for (const r of before) if (!now.has(r.cookie)) records.push({ kind: 'unregister', t, cookie: r.cookie });
  for (const r of after) {
    const previous = old.get(r.cookie);
    if (previous && (previous.start !== r.start || previous.end !== r.end)) records.push({ kind: 'unregister', t, cookie: r.cookie });
    if (!previous || previous.start !== r.start || previous.end !== r.end) records.push({ kind: 'register', t, cookie: r.cookie, start: r.start, end: r.end, flags: r.filter });
  }
  return records;
}
