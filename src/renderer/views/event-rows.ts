// The event log's rows: each timeline record written as text, and the
// filter (cookie, kind, reason, free-text search) the log applies.

import { EVENT_FLAG_HINT, EVENT_FLAG_HINT_UNION, EVENT_TYPE_INVAL, eventReason, eventReasonMask } from '../../shared/domain';
import { describeReasons, hex, reasonName, thousands } from '../draw/format';
import { formatDuration } from '../draw/time-scale';
import { summarizedRecords, type StreamSummary } from '../../shared/stream-summary';
import { recordCookies, type TimelineRecord } from '../../shared/timeline-record';
import type { LogFilters } from '../view-state/view-store';

export interface EventRow {
  time: string;
  kind: string;
  cookies: string;
  range: string;
  detail: string;
}

/** Characters the cookies column shows (its width in workbench.css holds this many). */
export const COOKIE_COLUMN_CHARS = 21;

/**
 * The cookies column as shown: every cookie where they fit, otherwise the
 * first (its low digits, if it alone is too long) and how many more; the
 * full list is the cell's title.
 */
export function shownCookies(cookies: string, chars = COOKIE_COLUMN_CHARS): string {
  if (cookies.length <= chars) return cookies;
  const [first = '', ...rest] = cookies.split(' ');
  const more = rest.length > 0 ? ` +${rest.length}` : '';
  const room = chars - more.length;
  return (first.length <= room ? first : `…${first.slice(first.length - room + 1)}`) + more;
}

const range = (start: bigint, end: bigint): string => `${hex(start)}–${hex(end)}`;

function describeRead(record: Extract<TimelineRecord, { kind: 'read' }>): string {
  if (record.events.length === 0) return `buffer ${record.maxEvents}: EAGAIN`;
  const parts = record.events.map((e) => {
    if (e.type !== EVENT_TYPE_INVAL) return `LAST counter=${e.cookieOrCounter}`;
    const hint = e.flags & EVENT_FLAG_HINT_UNION ? 'HINT∪' : e.flags & EVENT_FLAG_HINT ? 'HINT' : 'whole';
    const reasons = describeReasons(e.flags);
    return `INVAL ${hex(e.cookieOrCounter)} ${hint} ${range(e.hintStart, e.hintEnd)}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
  });
  return `buffer ${record.maxEvents}: ${parts.join('; ')}`;
}

const counted = (n: number, one: string, many = `${one}s`): string => `${thousands(n)} ${n === 1 ? one : many}`;

/** A summary's counts in words: what the records it stands for did. */
export function describeSummary(s: StreamSummary): string {
  const parts = [
    `${counted(summarizedRecords(s), 'record')} over ${formatDuration(s.t1 - s.t0)}, counted (the stream was too dense to send one by one)`,
    `${counted(s.invalidations, 'notifier call')}, hitting ${counted(s.hits.length, 'cookie')}`,
    `${counted(s.reads, 'read')} returning ${counted(s.events, 'event')}`,
    `${counted(s.labOps, 'lab op')}`,
  ];
  if (s.failed > 0) parts.push(`${counted(s.failed, 'failed op')}`);
  return parts.join('; ');
}

export function describeRecord(record: TimelineRecord, origin: number): EventRow {
  const time = formatDuration(record.t - origin);
  const cookies = recordCookies(record).map(hex).join(' ');
  switch (record.kind) {
    case 'register':
      return { time, kind: 'register', cookies, range: range(record.start, record.end), detail: record.flags ? `filter 0x${record.flags.toString(16)}` : '' };
    case 'unregister':
      return { time, kind: 'unregister', cookies, range: '', detail: '' };
    case 'invalidation':
      return {
        time,
        kind: 'invalidation',
        cookies,
        range: range(record.start, record.end),
        detail: `${reasonName(record.reason)}${record.hits.length ? `, queued for ${record.hits.length}` : ', no registration hit'}`,
      };
    case 'read':
      return { time, kind: 'read', cookies, range: '', detail: describeRead(record) };
    case 'lab': {
      const moved = record.result.movedTo ? ` → ${range(record.result.movedTo.start, record.result.movedTo.end)}` : '';
      return { time, kind: 'lab', cookies, range: range(record.result.start, record.result.end), detail: `${record.result.op}${moved}` };
    }
    case 'dead':
      return { time, kind: 'dead', cookies, range: '', detail: 'the watched memory map went away' };
    case 'summary':
      return { time, kind: 'summary', cookies, range: '', detail: describeSummary(record.summary) };
  }
}

function recordHasReason(record: TimelineRecord, reason: number): boolean {
  if (record.kind === 'invalidation') return record.reason === reason;
  if (record.kind === 'read')
    return record.events.some((e) => e.type === EVENT_TYPE_INVAL && (eventReasonMask(e.flags) & (1 << reason) || (eventReasonMask(e.flags) && eventReason(e.flags) === reason)));
  return false;
}

/** The words of a free-text search, lowercased; a record matches when its text contains all of them. */
export const searchWords = (search: string): string[] => search.toLowerCase().split(/\s+/).filter(Boolean);

export function recordMatches(record: TimelineRecord, filters: LogFilters, words: readonly string[]): boolean {
  if (filters.kinds.length > 0 && !filters.kinds.includes(record.kind)) return false;
  if (filters.cookie !== null && !recordCookies(record).includes(filters.cookie)) return false;
  if (filters.reason !== null && !recordHasReason(record, filters.reason)) return false;
  if (words.length > 0) {
    const row = describeRecord(record, 0);
    const text = `${row.kind} ${row.cookies} ${row.range} ${row.detail}`.toLowerCase();
    return words.every((word) => text.includes(word));
  }
  return true;
}
