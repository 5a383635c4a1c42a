// A session's journal: the one list of what happened, in backend order.
// Every viewer is fed from it: the retained history on connect, then each
// record as it is appended, numbered so that a viewer can tell a record it
// already has from one it missed. Snapshots pass through to listeners (a
// recorder writes them) but are state, not history: they are neither
// numbered nor retained; the session keeps the latest one.

import type { JournalRecord } from '../../shared/journal';
import type { JournalHistory } from '../../shared/messages';

/** Records kept for viewers that connect later; older ones are dropped first. */
export const DEFAULT_RETAINED_RECORDS = 100_000;

/** `n` is the record's number, null for a snapshot. */
export type JournalListener = (record: JournalRecord, n: number | null) => void;

export class Journal {
  private records: JournalRecord[] = [];
  /** The number of records[0]. */
  private first = 0;
  private readonly listeners = new Set<JournalListener>();

  constructor(private readonly retain = DEFAULT_RETAINED_RECORDS) {}

  append(record: JournalRecord): void {
    let n: number | null = null;
    if (record.kind !== 'snapshot') {
      n = this.first + this.records.length;
      this.records.push(record);
      // Dropping in slices keeps appends O(1) amortized.
      if (this.records.length > this.retain + Math.ceil(this.retain / 4)) this.dropOldest(this.records.length - this.retain);
    }
    for (const listener of this.listeners) listener(record, n);
  }

  /** Up to `limit` retained records from number `from` on (from the oldest retained when that one is gone). */
  history(from = 0, limit = Infinity): JournalHistory {
    if (this.records.length > this.retain) this.dropOldest(this.records.length - this.retain);
    const end = this.first + this.records.length;
    const start = Math.min(Math.max(from, this.first), end) - this.first;
    return { first: this.first + start, records: this.records.slice(start, start + limit), end };
  }

  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  private dropOldest(count: number): void {
    this.records = this.records.slice(count);
    this.first += count;
  }
}
