import { afterEach, describe, expect, test } from 'vitest';
import {
  EVENT_FLAG_HINT,
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  FEATURE_QUERY,
  FEATURE_REASON,
  UmmuError,
} from '../../../src/shared/domain';
import type { PushItem } from '../../../src/shared/messages';
import { u64ToHex } from '../../../src/shared/u64';
import { harness, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h.session.close();
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
    const granted = await h.session.exchangeFeatures(FEATURE_REASON);
    expect(granted).toBe(FEATURE_REASON | FEATURE_QUERY);
    expect(h.session.state().features).toEqual({ requested: FEATURE_REASON, granted: FEATURE_REASON | FEATURE_QUERY });
  });

  test('EXCHANGE_FEATURES after another operation is EINVAL, as on the device', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(1), 1n);
    await expect(h.session.exchangeFeatures(FEATURE_REASON)).rejects.toMatchObject({ code: 'EINVAL' });
  });
});

describe('the pipeline: register, invalidate, read', () => {
  test('the queue is visible through QUERY before read(), and read() drains it and ends with LAST', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(4), 7n);
    await h.session.lab({ op: 'munmap', page: 1, pages: 1 });
    await h.settle();
    const before = lastOf(h.items(), 'snapshot')?.snapshot;
    expect(before?.queue).toEqual([u64ToHex(7n)]);
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
    expect(lastOf(h.items(), 'events')?.events.map((e) => e.type)).toEqual([EVENT_TYPE_INVAL, EVENT_TYPE_LAST]);
  });

  test('auto-read drains the queue when an invalidation happens, without an explicit read', async () => {
    h = harness();
    await h.session.register(h.page(0), h.page(2), 1n);
    await h.session.register(h.page(2), h.page(4), 2n);
    h.session.setAutoRead(true, 1);
    await h.session.lab({ op: 'munmap', page: 0, pages: 4 });
    await h.settle();
    const read = h.items().flatMap((i) => (i.kind === 'events' ? i.events : []));
    expect(read.map((e) => [e.type, e.cookieOrCounter])).toEqual([
      [EVENT_TYPE_INVAL, u64ToHex(1n)],
      [EVENT_TYPE_INVAL, u64ToHex(2n)],
      [EVENT_TYPE_LAST, u64ToHex(1n)],
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
    const notices = h.items().flatMap((i) => (i.kind === 'notice' ? [i.notice.kind] : []));
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
    const cookies = h
      .items()
      .flatMap((i) => (i.kind === 'events' ? i.events : []))
      .filter((e) => e.type === EVENT_TYPE_INVAL)
      .map((e) => BigInt(e.cookieOrCounter));
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
