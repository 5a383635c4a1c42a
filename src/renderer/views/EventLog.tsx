// Every recorded record as a table row, virtualized (only the rows in view
// are in the DOM), filtered by cookie, kind and reason and searched as
// text. Matching (log-matcher) is incremental and time-sliced: an append
// only examines the new records, and a search over a million records shows
// its progress instead of freezing the window.

import { useEffect, useState } from 'react';
import { Reason } from '../../shared/domain';
import { reasonName } from '../draw/format';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import { RECORD_KINDS, type RecordKind } from '../../shared/timeline-record';
import { useViewStore, useViewStoreApi } from '../view-state/use-view-store';
import type { LogFilters } from '../view-state/view-store';
import { describeRecord, shownCookies } from './event-rows';
import { cancelDraw, requestDraw } from './frame-scheduler';
import { matcherFor, type LogMatcher } from './log-matcher';

export interface EventLogProps {
  buffer: TimelineBuffer;
  height?: number;
}

export const ROW_HEIGHT = 22;
const OVERSCAN = 6;

/** How long one slice of matching may run before yielding to the browser. */
const SLICE_MS = 8;

/**
 * The matches under the current filters, kept current as records arrive.
 * Matching runs in slices between frames; the log re-renders at most once
 * per frame, not once per appended batch.
 */
function useLogMatches(buffer: TimelineBuffer, filters: LogFilters, search: string): LogMatcher {
  const matcher = matcherFor(buffer);
  matcher.setQuery(filters, search);
  const [, setRefreshes] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => setRefreshes((n) => n + 1);
    const work = () => {
      timer = undefined;
      const done = matcher.scan(SLICE_MS);
      requestDraw(refresh);
      if (!done) timer = setTimeout(work, 0);
    };
    const kick = () => {
      if (matcher.matchesAll) requestDraw(refresh);
      else timer ??= setTimeout(work, 0);
    };
    kick();
    const stop = buffer.subscribe(kick);
    return () => {
      stop();
      clearTimeout(timer);
      cancelDraw(refresh);
    };
  }, [buffer, matcher, filters, search]);
  return matcher;
}

const parseCookie = (text: string): bigint | null => {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return null;
  return BigInt(t);
};

const REASONS = Object.values(Reason);

export function EventLog({ buffer, height = 240 }: EventLogProps) {
  const store = useViewStoreApi();
  const filters = useViewStore((s) => s.filters);
  const search = useViewStore((s) => s.search);
  const [scrollTop, setScrollTop] = useState(0);
  const [cookieText, setCookieText] = useState(filters.cookie === null ? '' : `0x${filters.cookie.toString(16)}`);
  const matches = useLogMatches(buffer, filters, search);
  const count = matches.count;
  const pending = matches.pending;
  const origin = buffer.firstTime ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows: number[] = [];
  for (let i = first; i < last; i++) rows.push(matches.indexAt(i));

  return (
    <section className="um-panel um-log" data-testid="event-log">
      <div className="um-toolbar">
        <h2>Events</h2>
        <input
          placeholder="cookie"
          aria-label="show records of cookie"
          value={cookieText}
          data-testid="log-filter-cookie"
          onChange={(e) => {
            setCookieText(e.target.value);
            store.getState().setFilters({ cookie: parseCookie(e.target.value) });
          }}
        />
        <select
          value={filters.kinds[0] ?? ''}
          aria-label="record type"
          data-testid="log-filter-kind"
          onChange={(e) => store.getState().setFilters({ kinds: e.target.value ? [e.target.value as RecordKind] : [] })}
        >
          <option value="">all types</option>
          {RECORD_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <select
          value={filters.reason ?? ''}
          aria-label="invalidation reason"
          data-testid="log-filter-reason"
          onChange={(e) => store.getState().setFilters({ reason: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">all reasons</option>
          {REASONS.map((r) => (
            <option key={r} value={r}>
              {reasonName(r)}
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder="search"
          aria-label="search records"
          value={search}
          data-testid="log-search"
          onChange={(e) => store.getState().setSearch(e.target.value)}
        />
        <span className="um-muted" data-testid="log-count">
          {count} of {buffer.length}
        </span>
        {pending > 0 && (
          <span className="um-muted" data-testid="log-progress">
            searching… {Math.floor((100 * (buffer.length - pending)) / Math.max(1, buffer.length))}%
          </span>
        )}
      </div>
      <div className="um-log-viewport" style={{ height }} data-testid="log-viewport" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: count * ROW_HEIGHT, position: 'relative' }}>
          {rows.map((index, i) => {
            const record = buffer.get(index);
            const row = describeRecord(record, origin);
            const cookie = record.kind === 'register' || record.kind === 'unregister' ? record.cookie : null;
            return (
              <div
                key={index + buffer.dropped}
                className={`um-log-row um-log-${row.kind}`}
                style={{ top: (first + i) * ROW_HEIGHT, height: ROW_HEIGHT }}
                data-testid="log-row"
                onClick={() => {
                  if (cookie !== null) store.getState().selectCookie(cookie);
                  store.getState().selectTime({ start: record.t, end: record.t });
                }}
              >
                <span className="um-log-time">{row.time}</span>
                <span className="um-log-kind">{row.kind}</span>
                <span className="um-log-cookies" title={row.cookies}>
                  {shownCookies(row.cookies)}
                </span>
                <span className="um-log-range">{row.range}</span>
                <span className="um-log-detail" title={row.detail}>
                  {row.detail}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
