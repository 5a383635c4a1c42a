// What the replayed file looks like at the current position. The state is
// taken from the recording itself, never recomputed: query() is the latest
// snapshot applied (a `snapshot` record or a successful `query` op), and
// counter() is the latest counter seen (such a snapshot, or the LAST event
// of a read op or an events batch). This holds for kernel recordings, which
// a model could not reproduce exactly.

import { EVENT_TYPE_LAST, type QuerySnapshot, type UmmuEvent } from '../../../../shared/domain';
import { opResult, type RecordingRecord } from '../../recording/format';

export class ReplayState {
  private snapshot: QuerySnapshot | undefined;
  private latestCounter = 0n;

  reset(): void {
    this.snapshot = undefined;
    this.latestCounter = 0n;
  }

  apply(record: RecordingRecord): void {
    switch (record.kind) {
      case 'snapshot':
        this.takeSnapshot(record.snapshot);
        break;
      case 'events':
        this.takeEvents(record.events);
        break;
      case 'op': {
        const snapshot = opResult(record, 'query');
        if (snapshot) this.takeSnapshot(snapshot);
        this.takeEvents(opResult(record, 'read') ?? []);
        break;
      }
      case 'notice':
        break;
    }
  }

  counter(): bigint {
    return this.latestCounter;
  }

  /** A copy, so that callers cannot change the recording; empty before the first snapshot. */
  query(): QuerySnapshot {
    if (this.snapshot === undefined) return { counter: this.latestCounter, flags: 0, registrations: [], queue: [] };
    return structuredClone(this.snapshot);
  }

  private takeSnapshot(snapshot: QuerySnapshot): void {
    this.snapshot = snapshot;
    this.latestCounter = snapshot.counter;
  }

  private takeEvents(events: readonly UmmuEvent[]): void {
    for (const event of events) if (event.type === EVENT_TYPE_LAST) this.latestCounter = event.cookieOrCounter;
  }
}
