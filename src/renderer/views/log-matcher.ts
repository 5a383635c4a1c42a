// Which records the event log shows under the current filters and search.
// With nothing to filter, every record matches and nothing is stored. With
// a filter, records are examined incrementally and in time slices (scan),
// so a search over a million records or a live stream never blocks the main
// thread; the sequence numbers (dropped + index) and times of matches are
// kept sorted and forgotten as the buffer evicts them. The timeline and the
// address map highlight what matched (the SearchHighlight view of it): one
// matcher per buffer, shared through matcherFor.

import type { TimelineBuffer } from '../view-state/timeline-buffer';
import type { SearchHighlight } from '../view-state/search-highlight';
import type { LogFilters } from '../view-state/view-store';
import { recordCookies } from '../../shared/timeline-record';
import { recordMatches, searchWords } from './event-rows';
import { SlidingColumn } from '../view-state/sliding-column';

/** Records examined between two clock checks while scanning. */
const CHECK_EVERY = 256;
const NO_TIMES = new Float64Array(0);

export class LogMatcher implements SearchHighlight {
  private filters: LogFilters = { kinds: [], cookie: null, reason: null };
  private search = '';
  private words: string[] = [];
  private epoch: number;
  private readonly seqs = new SlidingColumn(1024);
  private readonly matchTimes = new SlidingColumn(1024);
  /** The last matching sequence number of each cookie a match concerned. */
  private readonly lastMatchOf = new Map<bigint, number>();
  private readonly listeners = new Set<() => void>();
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

  get active(): boolean {
    return !this.matchesAll;
  }

  times(): ArrayLike<number> {
    this.forgetEvicted();
    return this.matchesAll ? NO_TIMES : this.matchTimes.view();
  }

  matchesCookie(cookie: bigint): boolean {
    this.forgetEvicted();
    return !this.matchesAll && (this.lastMatchOf.get(cookie) ?? -1) >= this.buffer.dropped;
  }

  /** Called when the matches change other than by the buffer growing with everything matching. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setQuery(filters: LogFilters, search: string): void {
    if (filters === this.filters && search === this.search) return;
    this.filters = filters;
    this.search = search;
    this.words = searchWords(search);
    this.restart();
    this.notify();
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
    const deadline = performance.now() + budgetMs;
    const before = this.scanned;
    while (this.scanned < total) {
      const stop = Math.min(total, this.scanned + CHECK_EVERY);
      for (let seq = this.scanned; seq < stop; seq++) {
        const i = seq - buffer.dropped;
        if (kinds.length > 0 && !kinds.includes(buffer.kindAt(i))) continue;
        const record = buffer.get(i);
        if (!recordMatches(record, filters, words)) continue;
        this.seqs.push(seq);
        this.matchTimes.push(buffer.timeAt(i));
        for (const cookie of recordCookies(record)) this.lastMatchOf.set(cookie, seq);
      }
      this.scanned = stop;
      if (performance.now() >= deadline) break;
    }
    if (this.scanned !== before) this.notify();
    return this.scanned >= total;
  }

  /** Examines every record not examined yet, however long it takes (exports, tests). */
  scanToEnd(): void {
    this.scan(Infinity);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private total(): number {
    return this.buffer.dropped + this.buffer.length;
  }

  private restart(): void {
    this.seqs.clear();
    this.matchTimes.clear();
    this.lastMatchOf.clear();
    this.epoch = this.buffer.epoch;
    this.scanned = this.matchesAll ? this.total() : this.buffer.dropped;
  }

  /** Drops matches the buffer evicted; starts over when the buffer was cleared. */
  private forgetEvicted(): void {
    if (this.buffer.epoch !== this.epoch) this.restart();
    const { dropped } = this.buffer;
    while (this.seqs.length > 0 && this.seqs.at(0) < dropped) {
      this.seqs.shift();
      this.matchTimes.shift();
    }
    if (this.scanned < dropped) this.scanned = dropped;
  }
}

const matchers = new WeakMap<TimelineBuffer, LogMatcher>();

/** The one matcher of a buffer, shared by the log that sets its query and the views that highlight it. */
export function matcherFor(buffer: TimelineBuffer): LogMatcher {
  let matcher = matchers.get(buffer);
  if (!matcher) matchers.set(buffer, (matcher = new LogMatcher(buffer)));
  return matcher;
}
