// What the event log's filter and search matched, as the timeline and the
// address map highlight it (views/log-matcher.ts computes it).

export interface SearchHighlight {
  /** Whether a filter or search is active (otherwise nothing is highlighted). */
  readonly active: boolean;
  /** Times of the matching records, sorted; valid until the next append. */
  times(): ArrayLike<number>;
  /** Whether a retained matching record concerns this cookie. */
  matchesCookie(cookie: bigint): boolean;
}
