// How the page tells that it is behind a fast session, and how it takes
// a burst of messages in without one long task.

import { describe, expect, it } from 'vitest';
import { Inbox, SLICE_MS, type Arrival } from '../../src/renderer/app/inbox';
import { BEHIND_MS, LiveLag } from '../../src/renderer/app/live-lag';
import { followStatus } from '../../src/renderer/views/Timeline';
import { describeRecord } from '../../src/renderer/views/event-rows';
import type { StreamSummary } from '../../src/shared/stream-summary';
import { LIVE_FRAME_BUDGET_MS, requestLiveDraw } from '../../src/renderer/views/frame-scheduler';

describe('LiveLag', () => {
  it('takes the quickest delivery as the clock offset and counts anything later as behind', () => {
    const lag = new LiveLag();
    // Session clock 1000 is page clock 5000 plus a 2 ms delivery.
    lag.applied(1000, 5002, 5003);
    expect(lag.behindMs).toBe(0);
    // A batch that waited: its newest record is 1.5 s older than the quickest delivery would make it.
    lag.applied(2000, 6002, 7502);
    expect(lag.behindMs).toBe(1500);
    // Slower than live but within the margin reads as live.
    lag.applied(8000, 12002, 12002 + BEHIND_MS - 1);
    expect(lag.behindMs).toBe(0);
  });

  it('is caught up once nothing waits, and a new session starts a new clock', () => {
    const lag = new LiveLag();
    lag.applied(0, 100, 100);
    lag.applied(10, 110, 3110);
    expect(lag.behindMs).toBe(3000);
    lag.caughtUp();
    expect(lag.behindMs).toBe(0);
    lag.reset();
    // Another clock: what was quickest under the old one says nothing now.
    lag.applied(0, 50_000, 50_000);
    expect(lag.behindMs).toBe(0);
  });
});

describe('the follow-live status', () => {
  it('never says "Following live" while behind', () => {
    expect(followStatus(true, 0)).toBe('Following live');
    expect(followStatus(true, 1234)).toBe('Behind live by 1.2 s');
    expect(followStatus(false, 1234)).toBe('Paused: follow live');
    expect(followStatus(true, 0, { loaded: 4000, total: 98_765 })).toBe('Loading history: 4,000 of 98,765 records');
  });

  it('says "aggregated" while the stream comes counted, and behind still wins', () => {
    expect(followStatus(true, 0, null, 12_300)).toBe('Following live, aggregated: 12,300 records/s');
    expect(followStatus(true, 800, null, 12_300)).toBe('Behind live by 0.8 s');
  });
});

describe('a summary in the event log', () => {
  it('says how many records it counts, over how long, and what they did', () => {
    const summary: StreamSummary = {
      first: 10, last: 1009, t0: 100, t1: 350, ops: 500, failed: 2, labOps: 498, invalidations: 300,
      hits: [{ cookie: 1n, count: 200 }, { cookie: 2n, count: 100 }], reads: 199, emptyReads: 0, events: 301, drains: 150,
      deliveries: [{ cookie: 1n, count: 200 }], counter: 300, queued: [2n],
    };
    const row = describeRecord({ kind: 'summary', t: 350, summary }, 0);
    expect(row.kind).toBe('summary');
    expect(row.cookies).toBe('0x1 0x2');
    expect(row.detail).toMatch(/^1,000 records over .+, counted \(the stream was too dense to send one by one\); 300 notifier calls, hitting 2 cookies; 199 reads returning 301 events; 498 lab ops; 2 failed ops$/);
  });
});

describe('Inbox', () => {
  it('handles a burst in order, in several tasks rather than one, saying how many still wait', async () => {
    const handled: { message: number; arrival: Arrival; slice: number }[] = [];
    // A microtask runs when the task that queued it ends: it tells the slices apart.
    let slices = 0;
    let inSlice = false;
    const inbox = new Inbox<number>((message, arrival) => {
      if (!inSlice) {
        slices++;
        inSlice = true;
        queueMicrotask(() => (inSlice = false));
      }
      const until = performance.now() + 2;
      while (performance.now() < until);
      handled.push({ message, arrival, slice: slices });
    });
    const burst = 40;
    for (let i = 0; i < burst; i++) inbox.add(i);
    expect(handled).toEqual([]);
    await expect.poll(() => handled.length).toBe(burst);
    // 40 messages of 2 ms each do not fit in one slice of SLICE_MS.
    expect(slices).toBeGreaterThanOrEqual(Math.ceil((burst * 2) / (SLICE_MS + 2)));
    expect(handled.map((h) => h.message)).toEqual([...Array(burst).keys()]);
    expect(handled.map((h) => h.arrival.waiting)).toEqual([...Array(burst).keys()].reverse());
    inbox.close();
  });

  it('ends a slice at a message whose handler says so: what awaited it runs before the next message', async () => {
    const seen: string[] = [];
    const inbox = new Inbox<string>((message) => {
      seen.push(message);
      if (message !== 'answer') return false;
      queueMicrotask(() => seen.push('requester'));
      return true;
    });
    ['push 1', 'answer', 'push 2'].forEach((m) => inbox.add(m));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['push 1', 'answer', 'requester', 'push 2']);
    inbox.close();
  });

  it('flush handles everything waiting at once, answers included', () => {
    const handled: number[] = [];
    const inbox = new Inbox<number>((message) => {
      handled.push(message);
      return true;
    });
    [1, 2, 3].forEach((m) => inbox.add(m));
    inbox.flush();
    expect(handled).toEqual([1, 2, 3]);
    inbox.close();
  });
});

describe('live draws', () => {
  // Timed by the wall clock: a machine so loaded that the test itself is descheduled between two draws
  // can push the second one to the next frame, so it is tried again rather than reported.
  it('never add up to more than a frame budget and one draw: the rest wait for the next frame', { retry: 3 }, async () => {
    const busy = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const frames: number[] = [];
    let frame = 0;
    let counting = true;
    const tick = (): void => {
      frame++;
      if (counting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const drawn = new Promise<void>((resolve) => {
      const draws = [0, 1, 2].map((i) => () => {
        frames[i] = frame;
        busy(LIVE_FRAME_BUDGET_MS * 0.75);
        if (i === 2) resolve();
      });
      for (const draw of draws) requestLiveDraw(draw);
    });
    await drawn;
    counting = false;
    // The first two fit in one frame's budget (the second ends past it); the third runs in a later frame.
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBeGreaterThan(frames[1] as number);
  });
});
