// The recording as Chrome Trace Event JSON, which Perfetto UI and
// chrome://tracing open: registrations as async slices (b/e), invalidations
// and reads as instant events with their ranges in args, and the generation
// counter and queue depth as counter tracks (C). Times are microseconds.

import { summarizedRecords, type CookieCount } from '../../shared/stream-summary';
import { EVENT_TYPE_INVAL } from '../../shared/domain';
import { hex, reasonName, describeReasons } from '../draw/format';
import type { TimelineBuffer } from '../view-state/timeline-buffer';

export interface TraceEvent {
  name: string;
  ph: 'b' | 'e' | 'i' | 'X' | 'C' | 'M';
  /** Complete events ('X'): how long, in microseconds. */
  dur?: number;
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: string;
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface TraceFile {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

const PID = 1;
const TID_SESSION = 1;

const byCookie = (counts: readonly CookieCount[]): Record<string, number> => Object.fromEntries(counts.map((c) => [hex(c.cookie), c.count]));

export function toTraceEvents(buffer: TimelineBuffer, description = 'ummunotify session'): TraceFile {
  const origin = buffer.firstTime ?? 0;
  const us = (t: number) => Math.round((t - origin) * 1000 * 1000) / 1000;
  const events: TraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: PID, tid: TID_SESSION, args: { name: description } },
    { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: TID_SESSION, args: { name: 'invalidations and reads' } },
  ];
  const open = new Map<bigint, string>();
  let lastCounter: number | undefined;
  let lastDepth: number | undefined;
  for (let i = 0; i < buffer.length; i++) {
    const r = buffer.get(i);
    const ts = us(buffer.timeAt(i));
    switch (r.kind) {
      case 'register': {
        const id = `${hex(r.cookie)}@${i}`;
        open.set(r.cookie, id);
        events.push({ name: `registration ${hex(r.cookie)}`, cat: 'registration', ph: 'b', id, ts, pid: PID, tid: TID_SESSION, args: { cookie: hex(r.cookie), start: hex(r.start), end: hex(r.end), filter: r.flags } });
        break;
      }
      case 'unregister': {
        const id = open.get(r.cookie);
        if (id !== undefined) events.push({ name: `registration ${hex(r.cookie)}`, cat: 'registration', ph: 'e', id, ts, pid: PID, tid: TID_SESSION });
        open.delete(r.cookie);
        break;
      }
      case 'invalidation':
        events.push({
          name: `invalidate ${reasonName(r.reason)}`,
          cat: 'invalidation',
          ph: 'i',
          s: 't',
          ts,
          pid: PID,
          tid: TID_SESSION,
          args: { start: hex(r.start), end: hex(r.end), reason: reasonName(r.reason), hits: r.hits.map(hex) },
        });
        break;
      case 'read':
        events.push({
          name: `read ${r.events.length} event${r.events.length === 1 ? '' : 's'}`,
          cat: 'read',
          ph: 'i',
          s: 't',
          ts,
          pid: PID,
          tid: TID_SESSION,
          args: {
            bufferEvents: r.maxEvents,
            events: r.events.map((e) =>
              e.type === EVENT_TYPE_INVAL
                ? { type: 'INVAL', cookie: hex(e.cookieOrCounter), flags: e.flags, hintStart: hex(e.hintStart), hintEnd: hex(e.hintEnd), reasons: describeReasons(e.flags) }
                : { type: 'LAST', counter: e.cookieOrCounter.toString() },
            ),
          },
        });
        break;
      case 'lab':
        events.push({ name: `lab ${r.result.op}`, cat: 'lab', ph: 'i', s: 't', ts, pid: PID, tid: TID_SESSION, args: { start: hex(r.result.start), end: hex(r.result.end) } });
        break;
      case 'dead':
        events.push({ name: 'memory map gone', cat: 'session', ph: 'i', s: 'g', ts, pid: PID, tid: TID_SESSION });
        break;
      case 'summary': {
        // A counted stretch: one complete event over its time span, with its counts.
        const start = Math.min(us(r.summary.t0), ts);
        const { summary: s } = r;
        events.push({
          name: `${summarizedRecords(s)} records, counted`,
          cat: 'summary',
          ph: 'X',
          ts: start,
          dur: ts - start,
          pid: PID,
          tid: TID_SESSION,
          args: {
            invalidations: s.invalidations,
            hits: byCookie(s.hits),
            reads: s.reads,
            events: s.events,
            delivered: byCookie(s.deliveries),
            labOps: s.labOps,
            failedOps: s.failed,
          },
        });
        break;
      }
    }
    const counter = buffer.counterAt(i);
    const depth = buffer.queueDepthAt(i);
    if (counter !== lastCounter) events.push({ name: 'generation counter', ph: 'C', ts, pid: PID, tid: TID_SESSION, args: { counter } });
    if (depth !== lastDepth) events.push({ name: 'invalid queue depth', ph: 'C', ts, pid: PID, tid: TID_SESSION, args: { depth } });
    lastCounter = counter;
    lastDepth = depth;
  }
  const end = us(buffer.lastTime ?? origin);
  for (const [cookie, id] of open) events.push({ name: `registration ${hex(cookie)}`, cat: 'registration', ph: 'e', id, ts: end, pid: PID, tid: TID_SESSION });
  return { traceEvents: events, displayTimeUnit: 'ms', otherData: { producer: 'ummunotify visualizer', dropped: String(buffer.dropped) } };
}
