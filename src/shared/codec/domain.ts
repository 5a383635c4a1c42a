// The domain's values in JSON, both ways: u64 as "0x" hex strings
// (src/shared/u64.ts), everything else as it is. Messages, recordings, the
// device-session protocol and exports all use these; decoding checks every
// field and throws CodecError naming its path.

import {
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  type LabOp,
  type LabResult,
  type MadviseAdvice,
  type Protection,
  type QueryRegistration,
  type QuerySnapshot,
  type SessionOp,
  type SessionOpResults,
  type SlotGeneration,
  type UmmuEvent,
} from '../domain';
import type { Notice, OpResultFor } from '../journal';
import type { CookieCount, StreamSummary } from '../stream-summary';
import { u64ToHex } from '../u64';
import { CodecError, Fields, array, boolean, count, u32, u64, type Json, type JsonObject } from './fields';

export const LAB_OPS: readonly LabOp['op'][] = ['touch', 'read', 'munmap', 'mmap', 'madvise', 'mprotect', 'mremap', 'fork'];
export const MADVISE_ADVICE: readonly MadviseAdvice[] = ['DONTNEED', 'FREE', 'PAGEOUT', 'COLD', 'DONTFORK', 'DOFORK', 'WILLNEED'];
export const PROTECTIONS: readonly Protection[] = ['rw', 'r', 'none'];
export const SESSION_OPS: readonly SessionOp['op'][] = ['negotiateFeatures', 'register', 'unregister', 'read', 'query', 'lab'];
const NOTICE_KINDS: readonly Notice['kind'][] = ['invalidation', 'lab', 'dead', 'gap', 'readFault', 'closed', 'replaySeek'];

export const encodeEvent = (e: UmmuEvent): JsonObject => ({
  type: e.type,
  flags: e.flags,
  hintStart: u64ToHex(e.hintStart),
  hintEnd: u64ToHex(e.hintEnd),
  cookieOrCounter: u64ToHex(e.cookieOrCounter),
});

export function decodeEvent(value: unknown, path: string): UmmuEvent {
  const f = Fields.of(value, path);
  const type = f.u32('type');
  if (type !== EVENT_TYPE_INVAL && type !== EVENT_TYPE_LAST) {
    throw new CodecError(f.at('type'), `expected ${EVENT_TYPE_INVAL} (INVAL) or ${EVENT_TYPE_LAST} (LAST)`);
  }
  return { type, flags: f.u32('flags'), hintStart: f.u64('hintStart'), hintEnd: f.u64('hintEnd'), cookieOrCounter: f.u64('cookieOrCounter') };
}

export const encodeEvents = (events: readonly UmmuEvent[]): Json => events.map(encodeEvent);
export const decodeEvents = (value: unknown, path: string): UmmuEvent[] => array(value, path, decodeEvent);

export const encodeSlotGeneration = (s: SlotGeneration): JsonObject => ({ slot: s.slot, generation: u64ToHex(s.generation) });

export function decodeSlotGeneration(value: unknown, path: string): SlotGeneration {
  const f = Fields.of(value, path);
  return { slot: f.u32('slot'), generation: f.u64('generation') };
}

export function encodeRegistration(r: QueryRegistration): JsonObject {
  const fields: JsonObject = {
    start: u64ToHex(r.start),
    end: u64ToHex(r.end),
    cookie: u64ToHex(r.cookie),
    hintStart: u64ToHex(r.hintStart),
    hintEnd: u64ToHex(r.hintEnd),
    state: r.state,
    reasonFlags: r.reasonFlags,
    filter: r.filter,
  };
  return r.slot === undefined ? fields : { ...fields, slot: encodeSlotGeneration(r.slot) };
}

/** `slot` is optional: snapshots of registrations without one, and every snapshot recorded before GENERATIONS, have none. */
export function decodeRegistration(value: unknown, path: string): QueryRegistration {
  const f = Fields.of(value, path);
  const registration: QueryRegistration = {
    start: f.u64('start'),
    end: f.u64('end'),
    cookie: f.u64('cookie'),
    hintStart: f.u64('hintStart'),
    hintEnd: f.u64('hintEnd'),
    state: f.u32('state'),
    reasonFlags: f.u32('reasonFlags'),
    filter: f.u32('filter'),
  };
  const slot = f.optional('slot', decodeSlotGeneration);
  return slot === undefined ? registration : { ...registration, slot };
}

export const encodeSnapshot = (s: QuerySnapshot): JsonObject => ({
  counter: u64ToHex(s.counter),
  flags: s.flags,
  registrations: s.registrations.map(encodeRegistration),
  queue: s.queue.map(u64ToHex),
});

export function decodeSnapshot(value: unknown, path: string): QuerySnapshot {
  const f = Fields.of(value, path);
  return { counter: f.u64('counter'), flags: f.u32('flags'), registrations: f.array('registrations', decodeRegistration), queue: f.array('queue', u64) };
}

export const encodeRange = (r: { start: bigint; end: bigint }): JsonObject => ({ start: u64ToHex(r.start), end: u64ToHex(r.end) });

export function decodeRange(value: unknown, path: string): { start: bigint; end: bigint } {
  const f = Fields.of(value, path);
  return { start: f.u64('start'), end: f.u64('end') };
}

export function encodeLabResult(r: LabResult): JsonObject {
  const range = { op: r.op, ...encodeRange(r) };
  return r.movedTo ? { ...range, movedTo: encodeRange(r.movedTo) } : range;
}

export function decodeLabResult(value: unknown, path: string): LabResult {
  const f = Fields.of(value, path);
  const result: LabResult = { op: f.oneOf('op', LAB_OPS), start: f.u64('start'), end: f.u64('end') };
  const movedTo = f.optional('movedTo', decodeRange);
  return movedTo ? { ...result, movedTo } : result;
}

export const encodeLabOp = (op: LabOp): JsonObject => ({ ...op });

/** Whole numbers only; whether the pages lie inside the arena is the backend's call (EINVAL). */
export function decodeLabOp(value: unknown, path: string): LabOp {
  const f = Fields.of(value, path);
  const op = f.oneOf('op', LAB_OPS);
  const range = { page: f.count('page'), pages: f.count('pages') };
  switch (op) {
    case 'madvise':
      return { op, ...range, advice: f.oneOf('advice', MADVISE_ADVICE) };
    case 'mprotect':
      return { op, ...range, prot: f.oneOf('prot', PROTECTIONS) };
    case 'mremap': {
      const newPages = f.count('newPages');
      const newPage = f.optional('newPage', count);
      return newPage === undefined ? { op, ...range, newPages } : { op, ...range, newPages, newPage };
    }
    default:
      return { op, ...range };
  }
}

export function encodeSessionOp(op: SessionOp): JsonObject {
  switch (op.op) {
    case 'register': {
      const fields = { op: op.op, start: u64ToHex(op.start), end: u64ToHex(op.end), cookie: u64ToHex(op.cookie), flags: op.flags };
      return op.withSlot === true ? { ...fields, withSlot: true } : fields;
    }
    case 'unregister':
      return { op: op.op, cookie: u64ToHex(op.cookie) };
    case 'lab':
      return { op: op.op, lab: encodeLabOp(op.lab) };
    default:
      return { ...op };
  }
}

export function decodeSessionOp(value: unknown, path: string): SessionOp {
  const f = Fields.of(value, path);
  // Recordings made before NEGOTIATE_FEATURES existed name the same step
  // exchangeFeatures { wanted }; the session negotiated with it then.
  if (f.get('op') === 'exchangeFeatures') return { op: 'negotiateFeatures', requested: f.u32('wanted') };
  const op = f.oneOf('op', SESSION_OPS);
  switch (op) {
    case 'negotiateFeatures':
      return { op, requested: f.u32('requested') };
    case 'register': {
      const fields = { op, start: f.u64('start'), end: f.u64('end'), cookie: f.u64('cookie'), flags: f.u32('flags') };
      return f.optional('withSlot', boolean) === true ? { ...fields, withSlot: true } : fields;
    }
    case 'unregister':
      return { op, cookie: f.u64('cookie') };
    case 'read':
      return { op, maxEvents: f.count('maxEvents') };
    case 'query':
      return { op };
    case 'lab':
      return { op, lab: f.read('lab', decodeLabOp) };
  }
}

/** The result of a successful `op`: unregister and register without a slot give null. */
export function encodeOpResult<O extends SessionOp>(op: O, result: OpResultFor<O>): Json {
  const r = result as SessionOpResults[SessionOp['op']];
  switch (op.op) {
    case 'read':
      return encodeEvents(r as UmmuEvent[]);
    case 'query':
      return encodeSnapshot(r as QuerySnapshot);
    case 'lab':
      return encodeLabResult(r as LabResult);
    case 'negotiateFeatures':
      return r as number;
    case 'register':
      return r === null ? null : encodeSlotGeneration(r as SlotGeneration);
    default:
      return null;
  }
}

export function decodeOpResult<O extends SessionOp>(op: O, value: unknown, path: string): OpResultFor<O> {
  // TypeScript cannot tie each case's result type to O, hence the cast.
  const request: SessionOp = op;
  const decoded = ((): SessionOpResults[SessionOp['op']] => {
    switch (request.op) {
      case 'negotiateFeatures':
        return u32(value, path);
      case 'read':
        return decodeEvents(value, path);
      case 'query':
        return decodeSnapshot(value, path);
      case 'lab':
        return decodeLabResult(value, path);
      case 'register':
        if (request.withSlot === true) return decodeSlotGeneration(value, path);
        if (value !== null) throw new CodecError(path, 'expected null');
        return null;
      case 'unregister':
        if (value !== null) throw new CodecError(path, 'expected null');
        return null;
    }
  })();
  return decoded as OpResultFor<O>;
}

export function encodeNotice(notice: Notice): JsonObject {
  switch (notice.kind) {
    case 'invalidation':
      return { kind: notice.kind, ...encodeRange(notice), reason: notice.reason, hits: notice.hits.map(u64ToHex) };
    case 'lab':
      return { kind: notice.kind, result: encodeLabResult(notice.result) };
    case 'dead':
      return { kind: notice.kind };
    case 'gap':
      return { kind: notice.kind, firstSeq: u64ToHex(notice.firstSeq), lastSeq: u64ToHex(notice.lastSeq) };
    case 'readFault':
      return { kind: notice.kind, events: notice.events };
    case 'closed':
      return { kind: notice.kind, ownerGone: notice.ownerGone };
    case 'replaySeek':
      return { kind: notice.kind, position: notice.position };
  }
}

export function decodeNotice(value: unknown, path: string): Notice {
  const f = Fields.of(value, path);
  const kind = f.oneOf('kind', NOTICE_KINDS);
  switch (kind) {
    case 'invalidation':
      return { kind, start: f.u64('start'), end: f.u64('end'), reason: f.integer('reason', -1, 255), hits: f.array('hits', u64) };
    case 'lab':
      return { kind, result: f.read('result', decodeLabResult) };
    case 'dead':
      return { kind };
    case 'gap':
      return { kind, firstSeq: f.u64('firstSeq'), lastSeq: f.u64('lastSeq') };
    case 'readFault':
      return { kind, events: f.count('events') };
    case 'closed':
      return { kind, ownerGone: f.boolean('ownerGone') };
    case 'replaySeek':
      return { kind, position: f.count('position') };
  }
}

const encodeCookieCounts = (counts: readonly CookieCount[]): Json => counts.map((c) => [u64ToHex(c.cookie), c.count]);

function decodeCookieCount(value: unknown, path: string): CookieCount {
  const [cookie, n, ...rest] = array(value, path, (v) => v, 2);
  if (rest.length > 0 || n === undefined) throw new CodecError(path, 'expected [cookie, count]');
  return { cookie: u64(cookie, `${path}[0]`), count: count(n, `${path}[1]`) };
}

export const encodeSummary = (s: StreamSummary): JsonObject => ({
  first: s.first,
  last: s.last,
  t0: s.t0,
  t1: s.t1,
  ops: s.ops,
  failed: s.failed,
  labOps: s.labOps,
  invalidations: s.invalidations,
  hits: encodeCookieCounts(s.hits),
  reads: s.reads,
  emptyReads: s.emptyReads,
  events: s.events,
  drains: s.drains,
  deliveries: encodeCookieCounts(s.deliveries),
  counter: s.counter,
  queued: s.queued.map(u64ToHex),
});

export function decodeSummary(value: unknown, path: string): StreamSummary {
  const f = Fields.of(value, path).only(['first', 'last', 't0', 't1', 'ops', 'failed', 'labOps', 'invalidations', 'hits', 'reads', 'emptyReads', 'events', 'drains', 'deliveries', 'counter', 'queued']);
  const summary: StreamSummary = {
    first: f.count('first'),
    last: f.count('last'),
    t0: f.finite('t0'),
    t1: f.finite('t1'),
    ops: f.count('ops'),
    failed: f.count('failed'),
    labOps: f.count('labOps'),
    invalidations: f.count('invalidations'),
    hits: f.array('hits', decodeCookieCount),
    reads: f.count('reads'),
    emptyReads: f.count('emptyReads'),
    events: f.count('events'),
    drains: f.count('drains'),
    deliveries: f.array('deliveries', decodeCookieCount),
    counter: f.count('counter'),
    queued: f.array('queued', u64),
  };
  if (summary.last < summary.first) throw new CodecError(f.at('last'), `expected at least first (${summary.first})`);
  if (summary.t1 < summary.t0) throw new CodecError(f.at('t1'), `expected at least t0 (${summary.t0})`);
  return summary;
}
