// Every recorded record as a table row, virtualized (only the rows in view
// are in the DOM), filtered by cookie, kind and reason and searched as
// text. Matching is incremental: an append only examines the new records.

import { useEffect, useMemo, useRef, useState } from 'react';
import { Reason } from '../../shared/domain';
import { reasonName } from '../draw/format';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import { RECORD_KINDS, type RecordKind } from '../view-state/timeline-record';
import { useViewStore, useViewStoreApi } from '../view-state/use-view-store';
import type { LogFilters } from '../view-state/view-store';
import { describeRecord, recordMatches } from './event-rows';

export interface EventLogProps {
  buffer: TimelineBuffer;
  height?: number;
}

export const ROW_HEIGHT = 22;
const OVERSCAN = 6;

/** Sequence numbers (dropped + index) of matching records, updated as the buffer grows. */
function useMatches(buffer: TimelineBuffer, filters: LogFilters, search: string): number[] {
  const [, setVersion] = useState(0);
  const state = useRef<{ key: unknown; seqs: number[]; scanned: number }>({ key: null, seqs: [], scanned: 0 });
  useEffect(() => buffer.subscribe(() => setVersion(buffer.version)), [buffer]);
  const key = useMemo(() => ({ filters, search, buffer }), [filters, search, buffer]);
  const s = state.current;
  const origin = buffer.firstTime ?? 0;
  if (s.key !== key || s.scanned < buffer.dropped) {
    s.key = key;
    s.seqs = [];
    s.scanned = buffer.dropped;
  }
  const total = buffer.dropped + buffer.length;
  if (total < s.scanned) {
    s.seqs = [];
    s.scanned = 0;
  }
  for (let seq = s.scanned; seq < total; seq++) if (recordMatches(buffer.get(seq - buffer.dropped), filters, search, origin)) s.seqs.push(seq);
  s.scanned = total;
  if (s.seqs.length && (s.seqs[0] ?? 0) < buffer.dropped) s.seqs = s.seqs.filter((seq) => seq >= buffer.dropped);
  return s.seqs;
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
  const matches = useMatches(buffer, filters, search);
  const origin = buffer.firstTime ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(matches.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = matches.slice(first, last);

  return (
    <section className="um-panel um-log" data-testid="event-log">
      <div className="um-toolbar">
        <h2>Events</h2>
        <input
          placeholder="cookie"
          value={cookieText}
          data-testid="log-filter-cookie"
          onChange={(e) => {
            setCookieText(e.target.value);
            store.getState().setFilters({ cookie: parseCookie(e.target.value) });
          }}
        />
        <select
          value={filters.kinds[0] ?? ''}
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
          value={search}
          data-testid="log-search"
          onChange={(e) => store.getState().setSearch(e.target.value)}
        />
        <span className="um-muted" data-testid="log-count">
          {matches.length} of {buffer.length}
        </span>
      </div>
      <div className="um-log-viewport" style={{ height }} data-testid="log-viewport" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <div style={{ height: matches.length * ROW_HEIGHT, position: 'relative' }}>
          {rows.map((seq, i) => {
            const record = buffer.get(seq - buffer.dropped);
            const row = describeRecord(record, origin);
            const cookie = record.kind === 'register' || record.kind === 'unregister' ? record.cookie : null;
            return (
              <div
                key={seq}
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
                <span className="um-log-cookies">{row.cookies}</span>
                <span className="um-log-range">{row.range}</span>
                <span className="um-log-detail">{row.detail}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
