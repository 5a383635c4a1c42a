// The timeline's records for one journal record of the session: every
// successful register, unregister and read is its own record (never
// inferred from snapshots, so a register and unregister between two
// snapshots still shows), auto-read batches are reads, notices keep their
// kind. Snapshots, failed operations and feature exchanges add nothing.

import type { UmmuEvent } from './domain';
import type { JournalRecord, Notice } from './journal';
import type { TimelineRecord } from './timeline-record';

function fromNotice(notice: Notice, t: number): TimelineRecord[] {
  switch (notice.kind) {
    case 'invalidation':
      return [{ kind: 'invalidation', t, start: notice.start, end: notice.end, reason: notice.reason, hits: notice.hits }];
    case 'lab':
      return [{ kind: 'lab', t, result: notice.result }];
    case 'dead':
      return [{ kind: 'dead', t }];
    case 'closed':
      return notice.ownerGone ? [{ kind: 'dead', t }] : [];
    // A monitor's lost records and failed owner reads are shown by the processes view (issue 10), not on the timeline;
    // a replay's seek starts the timeline again (the session store clears it).
    case 'gap':
    case 'readFault':
    case 'replaySeek':
      return [];
  }
}

export function timelineRecordsOf(record: JournalRecord): TimelineRecord[] {
  const { t } = record;
  switch (record.kind) {
    case 'op': {
      const { op, outcome } = record;
      if (!outcome.ok) return [];
      switch (op.op) {
        case 'register':
          return [{ kind: 'register', t, cookie: op.cookie, start: op.start, end: op.end, flags: op.flags }];
        case 'unregister':
          return [{ kind: 'unregister', t, cookie: op.cookie }];
        case 'read':
          return [{ kind: 'read', t, maxEvents: op.maxEvents, events: outcome.result as UmmuEvent[] }];
        default:
          return [];
      }
    }
    case 'events':
      return [{ kind: 'read', t, maxEvents: record.maxEvents ?? record.events.length, events: record.events }];
    case 'notice':
      return fromNotice(record.notice, t);
    case 'snapshot':
      return [];
  }
}
