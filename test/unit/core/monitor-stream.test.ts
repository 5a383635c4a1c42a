// The monitor stream on record sequences as the kernel writes them (the
// layouts of kernel/include/uapi/linux/ummunotify.h, "Monitors"): what each
// record becomes in the journal, the state QUERY would show after them, and
// the gap that re-bases the stream. The same stream on the real module, with
// the cache log as the reference: test/native/inside/monitor-core.test.ts.

import { expect, test } from 'vitest';
import type { MonitorRecord, MonitorSnapshot } from '../../../native/lib/types';
import { MonitorStream } from '../../../src/main/core/backends/monitor/stream';
import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST, QUERY_NEED_EMPTY, QUERY_REG_HINT, QUERY_REG_QUEUED } from '../../../src/shared/domain';

const EMPTY: MonitorSnapshot = { counter: 0n, flags: 0, registrations: [], queue: [], seq: 0n, dropped: 0n };
const R = { FEATURES: 0, REGISTER: 1, UNREGISTER: 2, INVALIDATE: 3, HIT: 4, READ: 5, CLOSE: 6 } as const;

function rec(seq: number, type: MonitorRecord['type'], fields: Partial<MonitorRecord> = {}): MonitorRecord {
  return { seq: BigInt(seq), timeNs: BigInt(seq) * 1000n, type, flags: 0, start: 0n, end: 0n, cookie: 0n, counter: 0n, aux: 0n, ...fields };
}

const P = 0x1000n;
/** A register of [1P, 5P) cookie 7, an munmap of page 2 hitting it, the owner's read, an unregister, the close. */
const SCRIPT = [
  rec(1, R.REGISTER, { start: P, end: 5n * P, cookie: 7n }),
  rec(2, R.INVALIDATE, { start: 2n * P, end: 3n * P, counter: 1n, aux: 1n }),
  rec(3, R.HIT, { start: 2n * P, end: 3n * P, cookie: 7n, flags: EVENT_FLAG_HINT, counter: 1n }),
  rec(4, R.READ, { aux: 1n, flags: 1, counter: 1n }),
  rec(5, R.UNREGISTER, { cookie: 7n }),
  rec(6, R.CLOSE),
];

test('each record becomes the journal record of the same fact, in order', () => {
  const stream = new MonitorStream(EMPTY);
  const { observed, rest } = stream.apply(SCRIPT);
  expect(rest).toBeNull();
  expect(observed).toEqual([
    { kind: 'op', t: 0, op: { op: 'register', start: P, end: 5n * P, cookie: 7n, flags: 0 }, outcome: { ok: true, result: null } },
    { kind: 'notice', t: 0, notice: { kind: 'invalidation', start: 2n * P, end: 3n * P, reason: 0, hits: [7n] } },
    {
      kind: 'events',
      t: 0,
      events: [
        { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: 2n * P, hintEnd: 3n * P, cookieOrCounter: 7n },
        { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n },
      ],
    },
    { kind: 'op', t: 0, op: { op: 'unregister', cookie: 7n }, outcome: { ok: true, result: null } },
    { kind: 'notice', t: 0, notice: { kind: 'closed', ownerGone: false } },
  ]);
  expect(stream.isClosed()).toBe(true);
});

test('the state after each record is what QUERY shows: the hit queues with its hint, the read takes it, need-empty until LAST', () => {
  const stream = new MonitorStream(EMPTY);
  stream.apply(SCRIPT.slice(0, 3));
  expect(stream.snapshot()).toEqual({
    counter: 1n,
    flags: 0,
    registrations: [{ start: P, end: 5n * P, cookie: 7n, hintStart: 2n * P, hintEnd: 3n * P, state: QUERY_REG_QUEUED | QUERY_REG_HINT, reasonFlags: 0, filter: 0 }],
    queue: [7n],
  });
  // A read that takes the report but ends without LAST leaves need-empty set.
  stream.apply([rec(4, R.READ, { aux: 1n, counter: 1n })]);
  expect(stream.snapshot()).toMatchObject({ flags: QUERY_NEED_EMPTY, queue: [], registrations: [{ state: 0, hintStart: 0n, hintEnd: 0n }] });
  const { observed } = stream.apply([rec(5, R.READ, { flags: 1, counter: 1n })]);
  expect(observed).toEqual([{ kind: 'events', t: 0, events: [{ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n }] }]);
  expect(stream.snapshot().flags).toBe(0);
});

test('records the snapshot already includes are skipped; a seq gap stops the batch and re-bases on a fresh snapshot, with one gap notice', () => {
  const stream = new MonitorStream({ ...EMPTY, seq: 1n, registrations: [{ start: P, end: 5n * P, cookie: 7n, hintStart: 0n, hintEnd: 0n, state: 0, reasonFlags: 0, filter: 0 }] });
  const first = stream.apply([SCRIPT[0], rec(4, R.READ, { aux: 0n, flags: 1 }), rec(5, R.UNREGISTER, { cookie: 7n })]);
  expect(first.observed).toEqual([]);
  expect(first.rest?.map((r) => r.seq)).toEqual([4n, 5n]);
  // The ring dropped 2 and 3; the fresh snapshot was taken after 4.
  const fresh: MonitorSnapshot = { counter: 1n, flags: 0, registrations: [{ start: P, end: 5n * P, cookie: 7n, hintStart: 0n, hintEnd: 0n, state: 0, reasonFlags: 0, filter: 0 }], queue: [], seq: 4n, dropped: 2n };
  expect(stream.resync(fresh, 4n)).toEqual([{ kind: 'notice', t: 0, notice: { kind: 'gap', firstSeq: 2n, lastSeq: 4n } }]);
  const after = stream.apply(first.rest ?? []);
  expect(after).toEqual({ observed: [{ kind: 'op', t: 0, op: { op: 'unregister', cookie: 7n }, outcome: { ok: true, result: null } }], rest: null });
  expect(stream.snapshot()).toEqual({ counter: 1n, flags: 0, registrations: [], queue: [] });
});

test('an owner read whose copy failed is a readFault notice and re-bases the stream; the file already gone skips to the next record', () => {
  const stream = new MonitorStream(EMPTY);
  const { observed, rest } = stream.apply([...SCRIPT.slice(0, 4), rec(5, R.READ, { aux: 1n, flags: 1 | 2, counter: 1n }), rec(6, R.CLOSE)]);
  expect(observed.at(-1)).toEqual({ kind: 'notice', t: 0, notice: { kind: 'readFault', events: 1 } });
  expect(rest?.map((r) => r.seq)).toEqual([6n]);
  expect(stream.resync(null, 6n)).toEqual([]);
  expect(stream.apply(rest ?? []).observed).toEqual([{ kind: 'notice', t: 0, notice: { kind: 'closed', ownerGone: false } }]);
});

test('a stream that ends without CLOSE (the ring dropped it) says so', () => {
  const stream = new MonitorStream(EMPTY);
  stream.apply(SCRIPT.slice(0, 1));
  expect(stream.endWithoutClose()).toEqual([
    { kind: 'notice', t: 0, notice: { kind: 'gap', firstSeq: 2n, lastSeq: 2n } },
    { kind: 'notice', t: 0, notice: { kind: 'closed', ownerGone: false } },
  ]);
});

test('FEATURES is the owner negotiation; CLOSE after the memory map went away marks the file dead', () => {
  const stream = new MonitorStream(EMPTY);
  const { observed } = stream.apply([rec(1, R.FEATURES, { flags: 9 }), rec(2, R.CLOSE, { flags: 1 })]);
  expect(observed).toEqual([
    { kind: 'op', t: 0, op: { op: 'negotiateFeatures', requested: 9 }, outcome: { ok: true, result: 9 } },
    { kind: 'notice', t: 0, notice: { kind: 'closed', ownerGone: true } },
  ]);
  expect(stream.snapshot().flags).toBe(2);
});

test('records dropped at the end of a burst: a later snapshot with more dropped re-bases the stream past them', () => {
  const stream = new MonitorStream(EMPTY);
  stream.apply(SCRIPT.slice(0, 1));
  const later: MonitorSnapshot = { counter: 1n, flags: 0, registrations: [], queue: [], seq: 5n, dropped: 4n };
  expect(stream.lostSince({ ...later, dropped: 0n })).toBe(false);
  expect(stream.lostSince(later)).toBe(true);
  expect(stream.resync(later, 6n)).toEqual([{ kind: 'notice', t: 0, notice: { kind: 'gap', firstSeq: 2n, lastSeq: 5n } }]);
  expect(stream.lostSince(later)).toBe(false);
  expect(stream.snapshot().registrations).toEqual([]);
});
