// Which records the event log shows under the current filters and search.
// With nothing to filter, every record matches and nothing is stored. With
// a filter, records are examined incrementally and in time slices (scan),
// so a search over a million records or a live stream never blocks the main
// thread; the sequence numbers (dropped + index) of matches are kept sorted
// and forgotten as the buffer evicts them.

import type { TimelineBuffer } from '../view-state/timeline-buffer';
import type { LogFilters } from '../view-state/view-store';
import { recordMatches, searchWords } from './event-rows';
import { SlidingColumn } from '../view-state/sliding-column';

/** Records examined between two clock checks while scanning. */
const CHECK_EVERY = 256;

export class LogMatcher {
  private filters: LogFilters = { kinds: [], cookie: null, reason: null };
  private search = '';
  private words: string[] = [];
  private epoch: number;
  private readonly seqs = new SlidingColumn(1024);
  /** The next sequence number to examine. */
  private scanned = 0;

  constructor(private readonly buffer: TimelineBuffer) {
    this.scanned = buffer.dropped + buffer.length;
    this.epoch = buffer.epoch;
  }

  /** True when every record matches (no filter, no search). */
  get matchesAll(): boolean {
    return this.filters.kinds.length === 0 && this.filters.cookie === null && this.filters.reason === null && this.words.length === 0;
  }

  setQuery(filters: LogFilters, search: string): void {
    if (filters === this.filters && search === this.search) return;
    this.filters = filters;
    this.search = search;
    this.words = searchWords(search);
    this.restart();
  }

  /** Records not examined yet. */
  get pending(): number {
    this.forgetEvicted();
    return this.matchesAll ? 0 : this.total() - this.scanned;
  }

  get count(): number {
    this.forgetEvicted();
    return this.matchesAll ? this.buffer.length : this.seqs.length;
  }

  /** The buffer index of the i-th match. */
  indexAt(i: number): number {
    return (this.matchesAll ? this.buffer.dropped + i : this.seqs.at(i)) - this.buffer.dropped;
  }

  /** Examines new records for about budgetMs; true when none are left. */
  scan(budgetMs: number): boolean {
    this.forgetEvicted();
    if (this.matchesAll) return true;
    const { buffer, filters, words } = this;
    const total = this.total();
    const kinds = filters.kinds;
    const decode = filters.cookie !== null || filters.reason !== null || words.length > 0;
    const deadline = performance.now() + budgetMs;
    while (this.scanned < total) {
      const stop = Math.min(total, this.scanned + CHECK_EVERY);
      for (let seq = this.scanned; seq < stop; seq++) {
        const i = seq - buffer.dropped;
        if (kinds.length > 0 && !kinds.includes(buffer.kindAt(i))) continue;
        if (decode && !recordMatches(buffer.get(i), filters, words)) continue;
        this.seqs.push(seq);
      }
      this.scanned = stop;
      if (performance.now() >= deadline) break;
    }
    return this.scanned >= total;
  }

  private total(): number {
    return this.buffer.dropped + this.buffer.length;
  }

  private restart(): void {
    this.seqs.clear();
    this.epoch = this.buffer.epoch;
    this.scanned = this.matchesAll ? this.total() : this.buffer.dropped;
  }

  /** Drops matches the buffer evicted; starts over when the buffer was cleared. */
  private forgetEvicted(): void {
    if (this.buffer.epoch !== this.epoch) this.restart();
    const { dropped } = this.buffer;
    while (this.seqs.length > 0 && this.seqs.at(0) < dropped) this.seqs.shift();
    if (this.scanned < dropped) this.scanned = dropped;
  }
}
