// Timeline records as JSON (u64 values as hex strings), for exports; the
// domain values inside them use the shared codec.

import { decodeEvents, decodeLabResult, decodeSummary, encodeEvents, encodeLabResult, encodeRange, encodeSummary } from '../../shared/codec/domain';
import { Fields, u64, type JsonObject } from '../../shared/codec/fields';
import { u64ToHex } from '../../shared/u64';
import { RECORD_KINDS, type TimelineRecord } from '../../shared/timeline-record';

export type RecordJson = JsonObject & { kind: TimelineRecord['kind']; t: number };

export function recordToJson(r: TimelineRecord): RecordJson {
  switch (r.kind) {
    case 'register':
      return { kind: r.kind, t: r.t, cookie: u64ToHex(r.cookie), ...encodeRange(r), flags: r.flags };
    case 'unregister':
      return { kind: r.kind, t: r.t, cookie: u64ToHex(r.cookie) };
    case 'invalidation':
      return { kind: r.kind, t: r.t, ...encodeRange(r), reason: r.reason, hits: r.hits.map(u64ToHex) };
    case 'read':
      return { kind: r.kind, t: r.t, maxEvents: r.maxEvents, events: encodeEvents(r.events) };
    case 'lab':
      return { kind: r.kind, t: r.t, result: encodeLabResult(r.result) };
    case 'dead':
      return { kind: r.kind, t: r.t };
    case 'summary':
      return { kind: r.kind, t: r.t, summary: encodeSummary(r.summary) };
  }
}

/** Throws CodecError naming the bad field. */
export function recordFromJson(v: unknown, path = 'record'): TimelineRecord {
  const f = Fields.of(v, path);
  const kind = f.oneOf('kind', RECORD_KINDS);
  const t = f.finite('t');
  switch (kind) {
    case 'register':
      return { kind, t, cookie: f.u64('cookie'), start: f.u64('start'), end: f.u64('end'), flags: f.u32('flags') };
    case 'unregister':
      return { kind, t, cookie: f.u64('cookie') };
    case 'invalidation':
      return { kind, t, start: f.u64('start'), end: f.u64('end'), reason: f.integer('reason', -1, 0xffff_ffff), hits: f.array('hits', u64) };
    case 'read':
      return { kind, t, maxEvents: f.count('maxEvents'), events: f.read('events', decodeEvents) };
    case 'lab':
      return { kind, t, result: f.read('result', decodeLabResult) };
    case 'dead':
      return { kind, t };
    case 'summary':
      return { kind, t, summary: f.read('summary', decodeSummary) };
  }
}
