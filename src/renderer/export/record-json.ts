// Timeline records as JSON (u64 values as hex strings), for exports.

import type { LabOp, LabResult, UmmuEvent } from '../../shared/domain';
import { hexToU64, u64ToHex } from '../../shared/u64';
import { RECORD_KINDS, type TimelineRecord } from '../view-state/timeline-record';
import { eventToJson, labResultToJson } from '../../shared/domain-json';

export type RecordJson = Record<string, unknown> & { kind: TimelineRecord['kind']; t: number };


export function recordToJson(r: TimelineRecord): RecordJson {
  switch (r.kind) {
    case 'register':
      return { kind: r.kind, t: r.t, cookie: u64ToHex(r.cookie), start: u64ToHex(r.start), end: u64ToHex(r.end), flags: r.flags };
    case 'unregister':
      return { kind: r.kind, t: r.t, cookie: u64ToHex(r.cookie) };
    case 'invalidation':
      return { kind: r.kind, t: r.t, start: u64ToHex(r.start), end: u64ToHex(r.end), reason: r.reason, hits: r.hits.map(u64ToHex) };
    case 'read':
      return { kind: r.kind, t: r.t, maxEvents: r.maxEvents, events: r.events.map(eventToJson) };
    case 'lab':
      return { kind: r.kind, t: r.t, result: labResultToJson(r.result) };
    case 'dead':
      return { kind: r.kind, t: r.t };
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown, what: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RangeError(`${what}: expected an object`);
  return v as Json;
};
const int = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RangeError(`${what}: expected an integer`);
  return v;
};
const arr = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new RangeError(`${what}: expected an array`);
  return v;
};

const LAB_OPS: readonly LabOp['op'][] = ['touch', 'read', 'munmap', 'mmap', 'madvise', 'mprotect', 'mremap', 'fork'];

function eventFromJson(v: unknown, what: string): UmmuEvent {
  const o = obj(v, what);
  const type = int(o.type, `${what}.type`);
  if (type !== 0 && type !== 1) throw new RangeError(`${what}.type: expected 0 or 1`);
  return {
    type,
    flags: int(o.flags, `${what}.flags`),
    hintStart: hexToU64(o.hintStart, `${what}.hintStart`),
    hintEnd: hexToU64(o.hintEnd, `${what}.hintEnd`),
    cookieOrCounter: hexToU64(o.cookieOrCounter, `${what}.cookieOrCounter`),
  };
}

export function recordFromJson(v: unknown, what = 'record'): TimelineRecord {
  const o = obj(v, what);
  const kind = o.kind as TimelineRecord['kind'];
  if (!RECORD_KINDS.includes(kind)) throw new RangeError(`${what}.kind: unknown kind ${String(o.kind)}`);
  if (typeof o.t !== 'number' || !Number.isFinite(o.t)) throw new RangeError(`${what}.t: expected a number`);
  const t = o.t;
  const u64 = (key: string) => hexToU64(o[key], `${what}.${key}`);
  switch (kind) {
    case 'register':
      return { kind, t, cookie: u64('cookie'), start: u64('start'), end: u64('end'), flags: int(o.flags, `${what}.flags`) };
    case 'unregister':
      return { kind, t, cookie: u64('cookie') };
    case 'invalidation':
      return {
        kind,
        t,
        start: u64('start'),
        end: u64('end'),
        reason: int(o.reason, `${what}.reason`),
        hits: arr(o.hits, `${what}.hits`).map((h, i) => hexToU64(h, `${what}.hits[${i}]`)),
      };
    case 'read':
      return { kind, t, maxEvents: int(o.maxEvents, `${what}.maxEvents`), events: arr(o.events, `${what}.events`).map((e, i) => eventFromJson(e, `${what}.events[${i}]`)) };
    case 'lab': {
      const r = obj(o.result, `${what}.result`);
      const op = r.op as LabOp['op'];
      if (!LAB_OPS.includes(op)) throw new RangeError(`${what}.result.op: unknown op`);
      const result: LabResult = { op, start: hexToU64(r.start, `${what}.result.start`), end: hexToU64(r.end, `${what}.result.end`) };
      if (r.movedTo !== undefined) {
        const m = obj(r.movedTo, `${what}.result.movedTo`);
        result.movedTo = { start: hexToU64(m.start, `${what}.result.movedTo.start`), end: hexToU64(m.end, `${what}.result.movedTo.end`) };
      }
      return { kind, t, result };
    }
    case 'dead':
      return { kind, t };
  }
}
