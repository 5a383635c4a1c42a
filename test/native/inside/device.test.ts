// Inside the VM, against the real module: every Device call, its errnos,
// and the events each lab op produces (SEED-REVIEW section 3's table).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createArena, openDevice, type NativeArena, type NativeDevice } from '../../../native/lib/index';
import {
  EVENT_FLAG_HINT,
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  FEATURE_FILTER,
  FEATURE_QUERY,
  FEATURE_REASON,
  FEATURES_ALL,
  MODULE_FEATURES,
  QUERY_REG_QUEUED,
  Reason,
  type LabOp,
} from '../../../src/shared/domain';
import { invals, PAGE, reasonOf } from '../helpers';

/** Negotiates `features` first; 0 leaves the file a 2010 one, 'strict' negotiates nothing. */
function withDevice(features: number | 'strict', pages: number, body: (device: NativeDevice, arena: NativeArena) => void): void {
  const device = openDevice();
  const arena = createArena(pages);
  try {
    if (features === 'strict') assert.deepEqual(device.negotiateFeatures(0), { granted: 0, supported: MODULE_FEATURES });
    else if (features !== 0) assert.equal(device.negotiateFeatures(features).granted, features);
    body(device, arena);
  } finally {
    device.close();
    arena.close();
  }
}

test('NEGOTIATE_FEATURES grants every extension once, as the first operation only', () => {
  const device = openDevice();
  try {
    assert.deepEqual(device.negotiateFeatures(FEATURES_ALL | 0x100), { granted: FEATURES_ALL, supported: MODULE_FEATURES });
    assert.throws(() => device.negotiateFeatures(FEATURES_ALL), { code: 'EINVAL', message: /first operation/ });
    assert.throws(() => device.exchangeFeatures(0), { code: 'EINVAL', message: /used/ });
  } finally {
    device.close();
  }
  const used = openDevice();
  try {
    used.register(0x10000n, 0x20000n, 1n);
    assert.throws(() => used.negotiateFeatures(FEATURE_REASON), { code: 'EINVAL' });
  } finally {
    used.close();
  }
});

test('EXCHANGE_FEATURES, the 2010 call, answers 0 and turns nothing on, whatever it is passed', () => {
  const device = openDevice();
  const arena = createArena(2);
  try {
    assert.equal(device.exchangeFeatures(0xffffffff), 0);
    assert.throws(() => device.negotiateFeatures(FEATURES_ALL), { code: 'EINVAL' });
    device.register(arena.base, arena.base + PAGE, 1n, 1 << Reason.UNMAP, 0x1eb1f000);
    arena.run({ op: 'munmap', page: 0, pages: 1 });
    const events = device.read(8) ?? [];
    assert.deepEqual(
      invals(events).map((e) => e.flags),
      [EVENT_FLAG_HINT],
    );
    assert.throws(() => device.query(), { code: 'EINVAL', message: /FEATURE_QUERY/ });
  } finally {
    device.close();
    arena.close();
  }
});

test('REGISTER validates its argument and says what was wrong', () => {
  withDevice(0, 4, (device, arena) => {
    const { base } = arena;
    assert.throws(() => device.register(base + PAGE, base, 1n), { code: 'EINVAL', message: /start must be below end/ });
    assert.throws(() => device.register(base, base, 1n), { code: 'EINVAL' });
    assert.throws(() => device.register(base, 1n << 63n, 1n), { code: 'EINVAL', message: /address limit/ });
    // A file that did not negotiate ignores flags and reserved, as in 2010.
    device.register(base, base + PAGE, 1n, 0x1, 0x1eb1f000);
    assert.throws(() => device.register(base, base + PAGE, 1n), { code: 'EINVAL', message: /already registered/ });
    device.register(base, base + PAGE, 2n);
    assert.throws(() => device.register(-1n as bigint, base, 3n), RangeError);
    assert.throws(() => device.register(1 as unknown as bigint, base, 3n), TypeError);
  });
  withDevice('strict', 4, (device, arena) => {
    const { base } = arena;
    assert.throws(() => device.register(base, base + PAGE, 1n, 1 << Reason.CLEAR), { code: 'EINVAL', message: /FEATURE_FILTER/ });
    assert.throws(() => device.register(base, base + PAGE, 1n, 0, 1), { code: 'EINVAL', message: /reserved/ });
  });
  withDevice(FEATURE_FILTER, 4, (device, arena) => {
    device.register(arena.base, arena.base + PAGE, 1n, 1 << Reason.CLEAR);
    assert.throws(() => device.register(arena.base, arena.base + PAGE, 2n, 1 << 12), { code: 'EINVAL', message: /not \(1 << reason\)/ });
  });
});

test('UNREGISTER of an unknown cookie is EINVAL; a queued report is dropped', () => {
  withDevice(0, 4, (device, arena) => {
    assert.throws(() => device.unregister(9n), { code: 'EINVAL', message: /no registration has this cookie/ });
    device.register(arena.base, arena.base + 4n * PAGE, 9n);
    arena.run({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
    device.unregister(9n);
    assert.throws(() => device.unregister(9n), { code: 'EINVAL' });
    const events = device.read(8) ?? [];
    assert.deepEqual(invals(events), []);
  });
});

test('read() returns the INVAL report with its hint, then LAST with the counter; EAGAIN is []', () => {
  withDevice(0, 8, (device, arena) => {
    const { base } = arena;
    assert.deepEqual(device.read(4), []);
    device.register(base, base + 8n * PAGE, 5n);
    assert.equal(device.counter(), 0n);
    arena.run({ op: 'madvise', page: 2, pages: 3, advice: 'DONTNEED' });
    assert.equal(device.counter(), 1n);
    const events = device.read(4);
    assert.deepEqual(events, [
      { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: base + 2n * PAGE, hintEnd: base + 5n * PAGE, cookieOrCounter: 5n },
      { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n },
    ]);
    assert.deepEqual(device.read(4), []);
  });
});

test('a second hit before the read clears HINT and reports the whole registration', () => {
  withDevice(0, 8, (device, arena) => {
    const { base } = arena;
    device.register(base, base + 8n * PAGE, 5n);
    arena.run({ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' });
    arena.run({ op: 'madvise', page: 6, pages: 1, advice: 'DONTNEED' });
    assert.equal(device.counter(), 2n);
    const [inval, last] = device.read(4) ?? [];
    assert.deepEqual(inval, { type: EVENT_TYPE_INVAL, flags: 0, hintStart: base, hintEnd: base + 8n * PAGE, cookieOrCounter: 5n });
    assert.equal(last?.cookieOrCounter, 2n);
  });
});

test('a buffer smaller than one event is EINVAL; a one-event buffer returns events one by one', () => {
  withDevice(0, 4, (device, arena) => {
    const { base } = arena;
    device.register(base, base + PAGE, 1n);
    device.register(base + PAGE, base + 2n * PAGE, 2n);
    arena.run({ op: 'madvise', page: 0, pages: 2, advice: 'DONTNEED' });
    assert.throws(() => device.read(0, 31), { code: 'EINVAL', message: /31 bytes cannot hold one event/ });
    assert.deepEqual(invals(device.read(1, 63) ?? []).map((e) => e.cookie), [1n]);
    assert.deepEqual(invals(device.read(1) ?? []).map((e) => e.cookie), [2n]);
    const last = device.read(1) ?? [];
    assert.equal(last.length, 1);
    assert.equal(last[0]?.type, EVENT_TYPE_LAST);
  });
});

test('QUERY needs FEATURE_QUERY, and shows the invalid queue without draining it', () => {
  withDevice(0, 4, (device) => {
    assert.throws(() => device.query(), { code: 'EINVAL', message: /FEATURE_QUERY/ });
  });
  withDevice(FEATURE_QUERY, 4, (device, arena) => {
    const { base } = arena;
    device.register(base + PAGE, base + 2n * PAGE, 2n);
    device.register(base, base + PAGE, 1n);
    arena.run({ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' });
    const snapshot = device.query();
    assert.equal(snapshot.counter, 1n);
    assert.deepEqual(snapshot.queue, [2n]);
    assert.deepEqual(snapshot.registrations.map((r) => [r.cookie, r.state & QUERY_REG_QUEUED]), [
      [1n, 0],
      [2n, QUERY_REG_QUEUED],
    ]);
    assert.deepEqual(device.query(), snapshot);
    assert.deepEqual(invals(device.read(4) ?? []).map((e) => e.cookie), [2n]);
  });
});

test('the counter page is read without a system call and follows every counted invalidation', () => {
  withDevice(0, 4, (device, arena) => {
    device.register(arena.base, arena.base + PAGE, 1n);
    for (let i = 1n; i <= 5n; i++) {
      arena.run({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
      assert.equal(device.counter(), i);
    }
    arena.run({ op: 'madvise', page: 2, pages: 1, advice: 'DONTNEED' });
    assert.equal(device.counter(), 5n);
  });
});

test('close is idempotent and later calls fail with EBADF', () => {
  const device = openDevice();
  device.close();
  device.close();
  assert.equal(device.closed, true);
  assert.throws(() => device.register(0x1000n, 0x2000n, 1n), { code: 'EBADF', message: /closed/ });
  assert.throws(() => device.read(1), { code: 'EBADF' });
});

// One row per lab op: what the op does after `setup`, and the reasons of the
// INVAL events it gives to a registration over the whole arena (one event
// per notifier call, read after each call would coalesce; so the table is
// checked with FILTER off and one read after the op: the reason mask).
const TABLE: { name: string; setup?: LabOp[]; op: LabOp; reasons: number[] }[] = [
  { name: 'munmap', op: { op: 'munmap', page: 2, pages: 2 }, reasons: [Reason.UNMAP] },
  { name: 'mmap MAP_FIXED over', op: { op: 'mmap', page: 2, pages: 2 }, reasons: [Reason.UNMAP] },
  { name: 'madvise DONTNEED', op: { op: 'madvise', page: 2, pages: 2, advice: 'DONTNEED' }, reasons: [Reason.CLEAR] },
  { name: 'madvise FREE', op: { op: 'madvise', page: 2, pages: 2, advice: 'FREE' }, reasons: [Reason.CLEAR] },
  { name: 'madvise COLD', op: { op: 'madvise', page: 2, pages: 2, advice: 'COLD' }, reasons: [] },
  { name: 'madvise WILLNEED', op: { op: 'madvise', page: 2, pages: 2, advice: 'WILLNEED' }, reasons: [] },
  { name: 'madvise DONTFORK', op: { op: 'madvise', page: 2, pages: 2, advice: 'DONTFORK' }, reasons: [] },
  { name: 'madvise DOFORK', op: { op: 'madvise', page: 2, pages: 2, advice: 'DOFORK' }, reasons: [] },
  { name: 'mprotect', op: { op: 'mprotect', page: 2, pages: 2, prot: 'r' }, reasons: [Reason.PROTECTION_VMA] },
  { name: 'mremap shrink', op: { op: 'mremap', page: 0, pages: 8, newPages: 6 }, reasons: [Reason.UNMAP] },
  { name: 'mremap move', op: { op: 'mremap', page: 0, pages: 2, newPages: 2, newPage: 4 }, reasons: [Reason.UNMAP] },
  { name: 'fork', op: { op: 'fork', page: 0, pages: 2 }, reasons: [Reason.PROTECTION_PAGE] },
  { name: 'fork skips MADV_DONTFORK', setup: [{ op: 'madvise', page: 0, pages: 8, advice: 'DONTFORK' }], op: { op: 'fork', page: 0, pages: 2 }, reasons: [] },
  { name: 'touch a populated page', op: { op: 'touch', page: 1, pages: 1 }, reasons: [] },
  { name: 'read fault', setup: [{ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' }], op: { op: 'read', page: 1, pages: 1 }, reasons: [] },
  {
    name: 'write after a read fault (zero-page copy-on-write)',
    setup: [{ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' }, { op: 'read', page: 1, pages: 1 }],
    op: { op: 'touch', page: 1, pages: 1 },
    reasons: [Reason.CLEAR],
  },
];

for (const row of TABLE) {
  test(`lab ${row.name}: ${row.reasons.length ? row.reasons.map((r) => Object.keys(Reason).find((k) => Reason[k as keyof typeof Reason] === r)).join(', ') : 'no event'}`, () => {
    withDevice(FEATURE_REASON, 8, (device, arena) => {
      for (const op of row.setup ?? []) arena.run(op);
      device.register(arena.base, arena.base + 8n * PAGE, 1n);
      const before = device.counter();
      arena.run(row.op);
      const events = invals(device.read(16) ?? []);
      assert.deepEqual(events.map(reasonOf), row.reasons, 'first reason of each INVAL');
      assert.equal(device.counter() > before, row.reasons.length > 0, 'the counter moves exactly when an event is queued');
    });
  });
}
