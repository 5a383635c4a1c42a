// The one codec for the domain's JSON: every journal record kind survives
// encoding and decoding, and a bad value is refused with the path of the
// field that is wrong, however deep it sits.

import { describe, expect, test } from 'vitest';
import { decodeSessionOp, encodeSessionOp } from '../../../src/shared/codec/domain';
import { CodecError } from '../../../src/shared/codec/fields';
import { decodeJournalRecord, encodeJournalRecord } from '../../../src/shared/codec/journal';
import type { SessionOp } from '../../../src/shared/domain';
import type { JournalRecord } from '../../../src/shared/journal';

const MAX = 0xffff_ffff_ffff_ffffn;
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const records: JournalRecord[] = [
  { kind: 'op', t: 0, op: { op: 'negotiateFeatures', requested: 9 }, outcome: { ok: true, result: 9 } },
  { kind: 'op', t: 1, op: { op: 'register', start: 0x1000n, end: MAX, cookie: MAX, flags: 0x8001 }, outcome: { ok: true, result: null } },
  { kind: 'op', t: 2, op: { op: 'unregister', cookie: 3n }, outcome: { ok: false, error: { code: 'EINVAL', message: 'not registered' } } },
  { kind: 'op', t: 3, op: { op: 'read', maxEvents: 2 }, outcome: { ok: true, result: [{ type: 1, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 5n }] } },
  { kind: 'op', t: 4, op: { op: 'query' }, outcome: { ok: true, result: { counter: 5n, flags: 1, registrations: [], queue: [] } } },
  {
    kind: 'op',
    t: 5,
    op: { op: 'lab', lab: { op: 'mprotect', page: 0, pages: 3, prot: 'r' } },
    outcome: { ok: true, result: { op: 'mprotect', start: 0x1000n, end: 0x4000n } },
  },
  { kind: 'events', t: 6, events: [{ type: 0, flags: 1, hintStart: 0x1000n, hintEnd: 0x2000n, cookieOrCounter: MAX }], maxEvents: 16 },
  { kind: 'events', t: 6, events: [] },
  { kind: 'notice', t: 7, notice: { kind: 'invalidation', start: 0n, end: 0x1000n, reason: 2, hits: [1n, MAX] } },
  { kind: 'notice', t: 8, notice: { kind: 'lab', result: { op: 'mremap', start: 0n, end: 1n, movedTo: { start: 2n, end: 3n } } } },
  { kind: 'notice', t: 9, notice: { kind: 'dead' } },
  { kind: 'snapshot', t: 10, snapshot: { counter: 1n, flags: 0, registrations: [{ start: 0n, end: 1n, cookie: 1n, hintStart: 0n, hintEnd: 0n, state: 1, reasonFlags: 0, filter: 0 }], queue: [1n] } },
];

describe('journal records', () => {
  test.each(records.map((r) => [r.kind === 'op' ? `op ${r.op.op}` : r.kind, r] as const))('%s survives encoding and decoding unchanged', (_name, record) => {
    expect(decodeJournalRecord(wire(encodeJournalRecord(record)), 'record')).toEqual(record);
  });

  const registerLine = encodeJournalRecord(records[1]!) as Record<string, unknown>;
  test.each([
    ['a cookie of 2^64', { ...registerLine, op: { op: 'register', start: '0x0', end: '0x1', cookie: '0x10000000000000000', flags: 0 } }, 'record.op.cookie', 'expected a 0x-prefixed hex u64'],
    ['a fractional page count', { t: 0, kind: 'op', op: { op: 'lab', lab: { op: 'touch', page: 1, pages: 1.5 } }, ok: true, result: null }, 'record.op.lab.pages', 'expected a non-negative integer'],
    ['a bad event deep in a read result', { t: 0, kind: 'op', op: { op: 'read', maxEvents: 2 }, ok: true, result: [{ type: 0, flags: 0, hintStart: '0x0', hintEnd: '0x0', cookieOrCounter: '0x1' }, { type: 0, flags: 0, hintStart: '0x0', hintEnd: '0x0' }] }, 'record.result[1].cookieOrCounter', 'missing'],
    ['a hit that is a number', { t: 0, kind: 'notice', notice: { kind: 'invalidation', start: '0x0', end: '0x1', reason: 0, hits: ['0x1', 2] } }, 'record.notice.hits[1]', 'expected a 0x-prefixed hex u64'],
    ['an unknown errno', { t: 0, kind: 'op', op: { op: 'query' }, ok: false, error: { code: 'EWHAT', message: '' } }, 'record.error.code', 'expected an errno name such as "EINVAL"'],
    ['a snapshot queue entry in uppercase', { t: 0, kind: 'snapshot', snapshot: { counter: '0x0', flags: 0, registrations: [], queue: ['0xAB'] } }, 'record.snapshot.queue[0]', 'expected a 0x-prefixed hex u64'],
  ])('refuses %s, naming the field path', (_what, value, path, problem) => {
    let error: unknown;
    try {
      decodeJournalRecord(value, 'record');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CodecError);
    expect(error).toMatchObject({ path, problem, message: `${path}: ${problem}` });
  });
});

describe('the one operation union', () => {
  const ops: SessionOp[] = [
    { op: 'negotiateFeatures', requested: 0xffff_ffff },
    { op: 'register', start: 0n, end: MAX, cookie: 0n, flags: 0 },
    { op: 'unregister', cookie: MAX },
    { op: 'read', maxEvents: 1 },
    { op: 'query' },
    { op: 'lab', lab: { op: 'mremap', page: 0, pages: 2, newPages: 4 } },
  ];
  test.each(ops.map((op) => [op.op, op] as const))('%s survives encoding and decoding unchanged', (_name, op) => {
    expect(decodeSessionOp(wire(encodeSessionOp(op)), 'op')).toEqual(op);
  });

  test('a recording made before NEGOTIATE_FEATURES existed: its exchangeFeatures step reads as negotiateFeatures', () => {
    expect(decodeSessionOp({ op: 'exchangeFeatures', wanted: 9 }, 'op')).toEqual({ op: 'negotiateFeatures', requested: 9 });
    expect(() => decodeSessionOp({ op: 'exchangeFeatures' }, 'op')).toThrow('op.wanted: missing');
  });
});
