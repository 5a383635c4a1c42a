// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { timelineRecordsOf } from '../../src/shared/timeline-records-of';

describe('timeline records from the journal', () => {
  it('every successful register and unregister is its own record, whatever the snapshots in between', () => {
    expect(timelineRecordsOf({ kind: 'op', t: 1, op: { op: 'register', start: 0x1000n, end: 0x2000n, cookie: 5n, flags: 4 }, outcome: { ok: true, result: null } })).toEqual([
      { kind: 'register', t: 1, cookie: 5n, start: 0x1000n, end: 0x2000n, flags: 4 },
    ]);
    expect(timelineRecordsOf({ kind: 'op', t: 2, op: { op: 'unregister', cookie: 5n }, outcome: { ok: true, result: null } })).toEqual([{ kind: 'unregister', t: 2, cookie: 5n }]);
  });

  it('a failed operation, a feature exchange and a snapshot add nothing', () => {
    expect(timelineRecordsOf({ kind: 'op', t: 2, op: { op: 'unregister', cookie: 5n }, outcome: { ok: false, error: { code: 'EINVAL', message: '' } } })).toEqual([]);
    expect(timelineRecordsOf({ kind: 'op', t: 2, op: { op: 'negotiateFeatures', requested: 8 }, outcome: { ok: true, result: 8 } })).toEqual([]);
    expect(timelineRecordsOf({ kind: 'snapshot', t: 3, snapshot: { counter: 0n, flags: 0, registrations: [], queue: [] } })).toEqual([]);
  });

  it('explicit reads keep their buffer size; auto-read batches of older recordings use their length', () => {
    const last = { type: 1 as const, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 7n };
    expect(timelineRecordsOf({ kind: 'op', t: 4, op: { op: 'read', maxEvents: 8 }, outcome: { ok: true, result: [last] } })).toEqual([{ kind: 'read', t: 4, maxEvents: 8, events: [last] }]);
    expect(timelineRecordsOf({ kind: 'events', t: 5, events: [last], maxEvents: 16 })).toEqual([{ kind: 'read', t: 5, maxEvents: 16, events: [last] }]);
    expect(timelineRecordsOf({ kind: 'events', t: 5, events: [last] })).toEqual([{ kind: 'read', t: 5, maxEvents: 1, events: [last] }]);
  });

  it('notices keep their kind and time', () => {
    expect(timelineRecordsOf({ kind: 'notice', t: 6, notice: { kind: 'invalidation', start: 0n, end: 1n, reason: 0, hits: [5n] } })).toEqual([
      { kind: 'invalidation', t: 6, start: 0n, end: 1n, reason: 0, hits: [5n] },
    ]);
    expect(timelineRecordsOf({ kind: 'notice', t: 7, notice: { kind: 'dead' } })).toEqual([{ kind: 'dead', t: 7 }]);
  });
});
