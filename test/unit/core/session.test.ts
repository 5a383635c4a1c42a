import { afterEach, describe, expect, test } from 'vitest';
import {
  EVENT_FLAG_HINT,
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  FEATURE_QUERY,
  FEATURE_REASON,
  UmmuError,
  type UmmuEvent,
} from '../../../src/shared/domain';
import type { PushItem } from '../../../src/shared/messages';
import { harness, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h.session.close();
});

/** The events each pushed journal record delivered: auto-read batches and explicit reads. */
const eventsPushed = (items: PushItem[]): UmmuEvent[][] =>
  items.flatMap((i) => {
    if (i.kind !== 'record') return [];
    const r = i.record;
    if (r.kind === 'events') return [r.events];
    return r.kind === 'op' && r.op.op === 'read' && r.outcome.ok ? [r.outcome.result as UmmuEvent[]] : [];
  });

const lastOf = <K extends PushItem['kind']>(items: PushItem[], kind: K): Extract<PushItem, { kind: K }> | undefined =>
  items.filter((i): i is Extract<PushItem, { kind: K }> => i.kind === kind).at(-1);

describe('feature negotiation', () => {
  test('a first operation without EXCHANGE_FEATURES negotiates QUERY alone: a 2010-mode session', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(4), 1n);
    const state = h.session.state();
    expect(state.features).toEqual({ requested: 0, granted: FEATURE_QUERY });
  });

  test('the features the user asks for are negotiated together with QUERY', async () => {
    h = harness();
    const granted = await h.session.negotiateFeatures(FEATURE_REASON);
    expect(granted).toBe(FEATURE_REASON | FEATURE_QUERY);
    expect(h.session.state().features).toEqual({ requested: FEATURE_REASON, granted: FEATURE_REASON | FEATURE_QUERY });
  });

  test('EXCHANGE_FEATURES after another operation is EINVAL, as on the device', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(1), 1n);
    await expect(h.session.negotiateFeatures(FEATURE_REASON)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

describe('the pipeline: register, invalidate, read', () => {
  test('the queue is visible through QUERY before read(), and read() drains it and ends with LAST', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(4), 7n);
    await h.session.lab({ op: 'munmap', page: 1, pages: 1 });
    await h.settle();
    const before = lastOf(h.items(), 'snapshot')?.snapshot;
    expect(before?.queue).toEqual([7n]);
    expect(h.session.state().counter).toBe('0x1');

    const events = await h.session.read(16);
    expect(events).toEqual([
      { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: h.page(1), hintEnd: h.page(2), cookieOrCounter: 7n },
      { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n },
    ]);
    await h.settle();
    expect(lastOf(h.items(), 'snapshot')?.snapshot.queue).toEqual([]);
    const state = h.session.state();
    expect(state.lastLastCounter).toBe(state.counter);
    expect(eventsPushed(h.items()).at(-1)?.map((e) => e.type)).toEqual([EVENT_TYPE_INVAL, EVENT_TYPE_LAST]);
  });

  test('auto-read drains the queue when an invalidation happens, without an explicit read', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(2), 1n);
    await h.session.register(h.page(2), h.page(4), 2n);
    h.session.setAutoRead(true, 1);
    await h.session.lab({ op: 'munmap', page: 0, pages: 4 });
    await h.settle();
    const read = eventsPushed(h.items()).flat();
    expect(read.map((e) => [e.type, e.cookieOrCounter])).toEqual([
      [EVENT_TYPE_INVAL, 1n],
      [EVENT_TYPE_INVAL, 2n],
      [EVENT_TYPE_LAST, 1n],
    ]);
    expect(lastOf(h.items(), 'snapshot')?.snapshot.queue).toEqual([]);
    expect(h.session.state().lastLastCounter).toBe('0x1');
  });

  test('errors keep their errno and leave the session usable', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(1), 1n);
    const duplicate = h.session.register(h.page(2), h.page(3), 1n);
    await expect(duplicate).rejects.toBeInstanceOf(UmmuError);
    await expect(duplicate).rejects.toMatchObject({ code: 'EINVAL' });
    await h.session.register(h.page(2), h.page(3), 2n);
    expect((await h.session.query()).registrations.map((r) => r.cookie)).toEqual([1n, 2n]);
  });

  test('backend notices reach subscribers in order with the state after them', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(1), 1n);
    await h.session.lab({ op: 'munmap', page: 0, pages: 1 });
    await h.settle();
    const notices = h.items().flatMap((i) => (i.kind === 'record' && i.record.kind === 'notice' ? [i.record.notice.kind] : []));
    expect(notices).toContain('invalidation');
    expect(lastOf(h.items(), 'state')?.state.counter).toBe('0x1');
  });
});

describe('batching', () => {
  test('a burst becomes a few batches of at most maxBatchItems, in order, nothing lost', async () => {
    h = harness({ maxBatchItems: 32 });
    h.session.setAutoRead(true, 1);
    const registrations = 20;
    for (let i = 0; i < registrations; i++) await h.session.register(h.page(i), h.page(i + 1), BigInt(i + 1));
    for (let i = 0; i < registrations; i++) await h.session.lab({ op: 'munmap', page: i, pages: 1 });
    await h.settle();
    const cookies = eventsPushed(h.items())
      .flat()
      .filter((e) => e.type === EVENT_TYPE_INVAL)
      .map((e) => e.cookieOrCounter);
    expect(cookies).toEqual(Array.from({ length: registrations }, (_, i) => BigInt(i + 1)));
    const itemCount = h.items().length;
    expect(h.batches.every((b) => b.items.length <= 32)).toBe(true);
    expect(h.batches.length).toBeLessThanOrEqual(Math.ceil(itemCount / 32) + 1);
    expect(h.batches.map((b) => b.seq)).toEqual(h.batches.map((_, i) => i));
  });

  test('state and snapshot items are coalesced to the latest within a batch', async () => {
    h = harness();
    for (let i = 0; i < 10; i++) await h.session.register(h.page(i), h.page(i + 1), BigInt(i + 1));
    await h.settle();
    expect(h.batches).toHaveLength(1);
    const kinds = h.batches[0]!.items.map((i) => i.kind);
    expect(kinds.filter((k) => k === 'state')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'snapshot')).toHaveLength(1);
    expect(lastOf(h.items(), 'snapshot')?.snapshot.registrations).toHaveLength(10);
  });
});

describe('the journal is what every viewer is fed', () => {
  const opNames = (items: PushItem[]): string[] =>
    items.flatMap((i) => (i.kind === 'record' && i.record.kind === 'op' ? [`${i.record.op.op}${i.record.outcome.ok ? '' : ' failed'}`] : []));

  test('a register and an unregister between two snapshots are both pushed as records, numbered in order', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(1), 1n);
    await h.session.unregister(1n);
    await h.session.unregister(1n).catch(() => undefined);
    await h.settle();
    const snapshots = h.items().filter((i) => i.kind === 'snapshot');
    expect(snapshots.at(-1)).toMatchObject({ snapshot: { registrations: [] } });
    expect(opNames(h.items())).toEqual(['negotiateFeatures', 'register', 'unregister', 'unregister failed']);
    const numbers = h.items().flatMap((i) => (i.kind === 'record' ? [i.n] : []));
    expect(numbers).toEqual(numbers.map((_, i) => i));
  });

  test('a viewer connecting later gets the same records as history, numbered as they were pushed', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(2), 1n);
    await h.session.lab({ op: 'munmap', page: 1, pages: 1 });
    await h.session.read(8);
    await h.settle();
    const pushed = h.items().flatMap((i) => (i.kind === 'record' ? [{ n: i.n, record: i.record }] : []));
    const history = h.session.history();
    expect(history.first).toBe(0);
    expect(history.records.map((record, i) => ({ n: history.first + i, record }))).toEqual(pushed);
    expect(history.records.some((r) => r.kind === 'snapshot')).toBe(false);
  });

  test('the history keeps the newest records when it outgrows what is retained', async () => {
    h = harness({ retainedRecords: 4 });
    for (let i = 0; i < 12; i++) await h.session.register(h.page(i), h.page(i + 1), BigInt(i + 1));
    const history = h.session.history();
    expect(history.records).toHaveLength(4);
    expect(history.first).toBe(13 - 4);
    expect(history.records.at(-1)).toMatchObject({ kind: 'op', op: { op: 'register', cookie: 12n } });
    // A viewer asking from a record no longer kept gets the oldest kept: it can tell what it lost from `first`.
    expect(h.session.history(2, 2)).toEqual({ first: 9, records: history.records.slice(0, 2), end: 13 });
  });

  test('a new session announces its state to every subscriber without being asked', async () => {
    h = harness();
    await h.settle();
    expect(lastOf(h.items(), 'state')?.state.sessionId).toBe(h.session.id);
  });

  test('a read() buffer larger than one page is refused with EINVAL before reaching the backend', async () => {
    h = harness();
    await expect(h.session.read(129)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});
