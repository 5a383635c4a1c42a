// watch(): a burst of 100,000 invalidations reaches JavaScript in batches,
// each event exactly once and in order, without blocking the JS thread,
// and the stream stops cleanly on close.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createArena, openDevice, type WatchEnd } from '../../../native/lib/index';
import { EVENT_TYPE_INVAL, EVENT_TYPE_LAST, type UmmuEvent } from '../../../src/shared/domain';
import { PAGE } from '../helpers';

const REGISTRATIONS = 1000;
const ROUNDS = 100;

interface Collector {
  events: UmmuEvent[];
  batches: number;
  end: WatchEnd | undefined;
  waitFor(count: number): Promise<void>;
}

function collect(device: ReturnType<typeof openDevice>, maxBatch: number): Collector {
  let wake: () => void = () => {};
  const collector: Collector = {
    events: [],
    batches: 0,
    end: undefined,
    waitFor: (count) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch delivered ${collector.events.length} of ${count} events`)), 60_000);
        const check = (): void => {
          if (collector.events.length >= count) {
            clearTimeout(timer);
            resolve();
          } else {
            wake = check;
          }
        };
        check();
      }),
  };
  device.watch(
    (events, end) => {
      collector.batches++;
      assert.ok(events.length <= maxBatch, `a batch of ${events.length} exceeds maxBatch ${maxBatch}`);
      collector.events.push(...events);
      if (end !== undefined) collector.end = end;
      wake();
    },
    { maxBatch, maxDelayMs: 10 },
  );
  return collector;
}

test('100,000 invalidations reach JS through watch(), each exactly once, in queue order, in batches', async () => {
  const device = openDevice();
  const arena = createArena(REGISTRATIONS);
  const maxBatch = 512;
  try {
    for (let i = 0; i < REGISTRATIONS; i++) {
      const start = arena.base + BigInt(i) * PAGE;
      device.register(start, start + PAGE, BigInt(i + 1));
    }
    const collector = collect(device, maxBatch);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    let invalsSeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // One madvise over the arena: one notifier call hitting every
      // registration, so 1000 reports in address order.
      arena.run({ op: 'madvise', page: 0, pages: REGISTRATIONS, advice: 'DONTNEED' });
      invalsSeen += REGISTRATIONS;
      await new Promise<void>((resolve, reject) => {
        const poll = (): void => {
          const got = collector.events.filter((e) => e.type === EVENT_TYPE_INVAL).length;
          if (got > invalsSeen) reject(new Error(`duplicates: ${got} INVAL events after ${invalsSeen} reports`));
          else if (got === invalsSeen && collector.events.at(-1)?.type === EVENT_TYPE_LAST) resolve();
          else setTimeout(poll, 1);
        };
        poll();
      });
    }
    clearInterval(ticker);
    const cookies = collector.events.filter((e) => e.type === EVENT_TYPE_INVAL).map((e) => e.cookieOrCounter);
    assert.equal(cookies.length, REGISTRATIONS * ROUNDS);
    for (let i = 0; i < cookies.length; i++) assert.equal(cookies[i], BigInt((i % REGISTRATIONS) + 1), `event ${i} out of order`);
    const lasts = collector.events.filter((e) => e.type === EVENT_TYPE_LAST).map((e) => e.cookieOrCounter);
    assert.equal(lasts.at(-1), BigInt(ROUNDS));
    assert.ok(collector.batches <= collector.events.length / 10, `${collector.batches} batches for ${collector.events.length} events`);
    assert.ok(ticks > 0, 'the JS thread kept running timers while events streamed');
  } finally {
    device.close();
    arena.close();
  }
});

test('a back-to-back burst loses nothing: no more reports than hits, every registration reported, the queue ends empty', async () => {
  const device = openDevice();
  const arena = createArena(REGISTRATIONS);
  try {
    assert.equal(device.negotiateFeatures(8).granted, 8);
    for (let i = 0; i < REGISTRATIONS; i++) {
      const start = arena.base + BigInt(i) * PAGE;
      device.register(start, start + PAGE, BigInt(i + 1));
    }
    const collector = collect(device, 256);
    for (let round = 0; round < ROUNDS; round++) arena.run({ op: 'madvise', page: 0, pages: REGISTRATIONS, advice: 'DONTNEED' });
    const final = BigInt(ROUNDS);
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        if (collector.events.at(-1)?.type === EVENT_TYPE_LAST && collector.events.at(-1)?.cookieOrCounter === final) resolve();
        else setTimeout(poll, 2);
      };
      poll();
    });
    const snapshot = device.query();
    assert.deepEqual(snapshot.queue, [], 'nothing left queued in the kernel');
    assert.equal(snapshot.counter, final);
    // A registration is reported at most once per round that hit it (a
    // report read before a later round's hit is queued again, so it may
    // appear twice before one LAST), and every one at least once.
    let lastCounter = 0n;
    for (const e of collector.events) {
      if (e.type !== EVENT_TYPE_LAST) continue;
      assert.ok(e.cookieOrCounter >= lastCounter, 'LAST counters never go back');
      lastCounter = e.cookieOrCounter;
    }
    const counts = new Map<bigint, number>();
    for (const e of collector.events) if (e.type === EVENT_TYPE_INVAL) counts.set(e.cookieOrCounter, (counts.get(e.cookieOrCounter) ?? 0) + 1);
    for (const [cookie, count] of counts) assert.ok(count <= ROUNDS, `cookie ${cookie} reported ${count} times for ${ROUNDS} hits`);
    assert.equal(counts.size, REGISTRATIONS);
  } finally {
    device.close();
    arena.close();
  }
});

test('close stops the stream: the last call carries end "stopped" and nothing follows', async () => {
  const device = openDevice();
  const arena = createArena(4);
  device.register(arena.base, arena.base + PAGE, 1n);
  const collector = collect(device, 64);
  arena.run({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
  await collector.waitFor(2);
  device.close();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(collector.end, 'stopped');
  const delivered = collector.events.length;
  arena.run({ op: 'madvise', page: 0, pages: 1, advice: 'DONTNEED' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(collector.events.length, delivered);
  assert.throws(() => device.watch(() => {}), { code: 'EBADF' });
  arena.close();
});
