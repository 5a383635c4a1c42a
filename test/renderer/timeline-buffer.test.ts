// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import type { TimelineRecord } from '../../src/renderer/view-state/timeline-record';
import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST } from '../../src/shared/domain';

const inval = (cookie: bigint) => ({ type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: 0n, hintEnd: 0n, cookieOrCounter: cookie }) as const;
const last = (counter: bigint) => ({ type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: counter }) as const;

describe('timeline buffer', () => {
  it('tracks counter and queue depth as the kernel would', () => {
    const b = new TimelineBuffer(16);
    const records: TimelineRecord[] = [
      { kind: 'register', t: 0, cookie: 1n, start: 0x1000n, end: 0x3000n, flags: 0 },
      { kind: 'register', t: 1, cookie: 2n, start: 0x2000n, end: 0x5000n, flags: 0 },
      { kind: 'invalidation', t: 2, start: 0x2000n, end: 0x3000n, reason: 0, hits: [1n, 2n] },
      { kind: 'invalidation', t: 3, start: 0x2000n, end: 0x3000n, reason: 0, hits: [1n, 2n] },
      { kind: 'invalidation', t: 4, start: 0x9000n, end: 0xa000n, reason: 0, hits: [] },
      { kind: 'read', t: 5, maxEvents: 1, events: [inval(1n)] },
      { kind: 'unregister', t: 6, cookie: 2n },
      { kind: 'read', t: 7, maxEvents: 8, events: [last(2n)] },
    ];
    b.appendAll(records);
    expect([...Array(b.length).keys()].map((i) => b.counterAt(i))).toEqual([0, 0, 1, 2, 2, 2, 2, 2]);
    expect([...Array(b.length).keys()].map((i) => b.queueDepthAt(i))).toEqual([0, 0, 2, 2, 2, 1, 0, 0]);
    expect(b.lifetime(2n)).toMatchObject({ registeredAt: 1, unregisteredAt: 6 });
    expect(b.lifetimes().map((l) => l.cookie)).toEqual([1n, 2n]);
  });

  it('keeps the newest records when full and counts what it dropped', () => {
    const b = new TimelineBuffer(3);
    for (let t = 0; t < 5; t++) b.append({ kind: 'dead', t });
    expect(b.length).toBe(3);
    expect(b.dropped).toBe(2);
    expect(b.toArray().map((r) => r.t)).toEqual([2, 3, 4]);
    expect(b.indexAtTime(3)).toBe(1);
    expect(b.indexAtTime(10)).toBe(3);
  });

  it('notifies subscribers once per batch without any React involvement', () => {
    const b = new TimelineBuffer(8);
    const versions: number[] = [];
    const stop = b.subscribe((buffer) => versions.push(buffer.length));
    b.appendAll([{ kind: 'dead', t: 1 }, { kind: 'dead', t: 2 }]);
    b.append({ kind: 'dead', t: 3 });
    stop();
    b.append({ kind: 'dead', t: 4 });
    expect(versions).toEqual([2, 3]);
  });

  it('keeps the time column sorted when a clock steps back', () => {
    const b = new TimelineBuffer(8);
    b.appendAll([{ kind: 'dead', t: 5 }, { kind: 'dead', t: 4 }, { kind: 'dead', t: 6 }]);
    expect([0, 1, 2].map((i) => b.timeAt(i))).toEqual([5, 5, 6]);
    expect(b.get(1).t).toBe(4);
  });
});
