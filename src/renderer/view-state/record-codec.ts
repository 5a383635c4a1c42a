// Timeline records as bytes. A million records kept as objects (with their
// BigInts, hit lists and event arrays) are several million heap objects the
// garbage collector walks on every major collection, which stalls the main
// thread for hundreds of milliseconds; as bytes they are none. Registrations,
// invalidations and reads are encoded; lab results (rare, and open-ended)
// and summaries of dense stretches (one per batch at most) are not:
// `encodedSize` returns null for them and the buffer keeps them
// as objects.

import type { UmmuEvent } from '../../shared/domain';
import type { TimelineRecord } from '../../shared/timeline-record';

const U64 = 8;
const U32 = 4;
const F64 = 8;
const EVENT_BYTES = 2 * U32 + 3 * U64;

/** Bytes `record` takes when encoded, or null when it is kept as an object. */
export function encodedSize(record: TimelineRecord): number | null {
  switch (record.kind) {
    case 'register':
      return F64 + 3 * U64 + U32;
    case 'unregister':
      return F64 + U64;
    case 'invalidation':
      return F64 + 2 * U64 + 2 * U32 + record.hits.length * U64;
    case 'read':
      return F64 + 2 * U32 + record.events.length * EVENT_BYTES;
    case 'dead':
      return F64;
    case 'lab':
    case 'summary':
      return null;
  }
}

/** Writes `record` at `at`; the caller reserved encodedSize(record) bytes. */
export function encodeRecord(view: DataView, at: number, record: TimelineRecord): void {
  view.setFloat64(at, record.t, true);
  let o = at + F64;
  const u64 = (value: bigint) => {
    view.setBigUint64(o, value, true);
    o += U64;
  };
  const u32 = (value: number) => {
    view.setUint32(o, value, true);
    o += U32;
  };
  switch (record.kind) {
    case 'register':
      u64(record.cookie);
      u64(record.start);
      u64(record.end);
      u32(record.flags);
      break;
    case 'unregister':
      u64(record.cookie);
      break;
    case 'invalidation':
      u64(record.start);
      u64(record.end);
      u32(record.reason);
      u32(record.hits.length);
      for (const cookie of record.hits) u64(cookie);
      break;
    case 'read':
      u32(record.maxEvents);
      u32(record.events.length);
      for (const e of record.events) {
        u32(e.type);
        u32(e.flags);
        u64(e.hintStart);
        u64(e.hintEnd);
        u64(e.cookieOrCounter);
      }
      break;
    default:
      break;
  }
}

/** The record of kind `kind` encoded at `at`. */
export function decodeRecord(view: DataView, at: number, kind: 'register' | 'unregister' | 'invalidation' | 'read' | 'dead'): TimelineRecord {
  const t = view.getFloat64(at, true);
  let o = at + F64;
  const u64 = () => {
    const value = view.getBigUint64(o, true);
    o += U64;
    return value;
  };
  const u32 = () => {
    const value = view.getUint32(o, true);
    o += U32;
    return value;
  };
  switch (kind) {
    case 'register':
      return { kind, t, cookie: u64(), start: u64(), end: u64(), flags: u32() };
    case 'unregister':
      return { kind, t, cookie: u64() };
    case 'invalidation': {
      const start = u64();
      const end = u64();
      const reason = u32();
      const hits = new Array<bigint>(u32());
      for (let i = 0; i < hits.length; i++) hits[i] = u64();
      return { kind, t, start, end, reason, hits };
    }
    case 'read': {
      const maxEvents = u32();
      const events = new Array<UmmuEvent>(u32());
      for (let i = 0; i < events.length; i++)
        events[i] = { type: u32() as UmmuEvent['type'], flags: u32(), hintStart: u64(), hintEnd: u64(), cookieOrCounter: u64() };
      return { kind, t, maxEvents, events };
    }
    case 'dead':
      return { kind, t };
  }
}
