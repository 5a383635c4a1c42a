// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import type { TimelineRecord } from '../../src/shared/timeline-record';
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

describe('timeline buffer storage', () => {
  const MAX = 0xffff_ffff_ffff_ffffn;
  const everyKind = (t: number, cookie: bigint): TimelineRecord[] => [
    { kind: 'register', t, cookie, start: 0x7fff_ffff_f000n, end: MAX, flags: 0x8001 },
    { kind: 'invalidation', t, start: 0x1000n, end: 0x2000n, reason: 13, hits: [cookie, MAX] },
    { kind: 'invalidation', t, start: 0n, end: MAX, reason: 0, hits: [] },
    { kind: 'read', t, maxEvents: 3, events: [inval(cookie), { ...inval(MAX), hintStart: 0x1000n, hintEnd: 0x3000n, flags: 0xffff_ffff }, last(MAX)] },
    { kind: 'read', t, maxEvents: 8, events: [] },
    { kind: 'lab', t, result: { op: 'mremap', start: 0x1000n, end: 0x2000n, movedTo: { start: 0x9000n, end: 0xa000n } } },
    { kind: 'unregister', t, cookie },
    { kind: 'dead', t },
  ];

  it('gives back every kind of record exactly, including 64-bit extremes, after the ring wraps over many chunks', () => {
    const b = new TimelineBuffer(50, { chunkSize: 256 });
    const all: TimelineRecord[] = [];
    for (let i = 0; i < 40; i++) all.push(...everyKind(i + 0.25, BigInt(i)));
    b.appendAll(all);
    expect(b.dropped).toBe(all.length - 50);
    expect(b.toArray()).toEqual(all.slice(-50));
    expect(b.retainedBytes).toBeLessThanOrEqual(256 * 12);
  });

  it('keeps a read too large for one chunk', () => {
    const b = new TimelineBuffer(4, { chunkSize: 256 });
    const read: TimelineRecord = { kind: 'read', t: 1, maxEvents: 100, events: Array.from({ length: 100 }, (_, i) => inval(BigInt(i))) };
    b.append(read);
    b.append({ kind: 'dead', t: 2 });
    expect(b.get(0)).toEqual(read);
    expect(b.deliveryTimes(99n)).toEqual(new Float64Array([1]));
  });

  it('marks per cookie and reads cover exactly the retained records', () => {
    const b = new TimelineBuffer(5, { chunkSize: 128 });
    for (let t = 0; t < 12; t++)
      b.append(t % 3 === 2 ? { kind: 'read', t, maxEvents: 4, events: [inval(1n), last(BigInt(t))] } : { kind: 'invalidation', t, start: 0n, end: 4096n, reason: 0, hits: [1n, BigInt(t)] });
    // Retained: t = 7..11.
    expect(Array.from(b.hitTimes(1n))).toEqual([7, 9, 10]);
    expect(Array.from(b.hitTimes(4n))).toEqual([]);
    expect(Array.from(b.hitTimes(10n))).toEqual([10]);
    expect(Array.from(b.deliveryTimes(1n))).toEqual([8, 11]);
    const reads = b.reads();
    expect(Array.from(reads.times)).toEqual([8, 11]);
    expect(reads.eventTotals[1]! - reads.eventTotals[0]!).toBe(2);
    expect(reads.drainTotals[1]! - reads.drainTotals[0]!).toBe(1);
  });

  it('rejects an index outside the retained records', () => {
    const b = new TimelineBuffer(2);
    b.append({ kind: 'dead', t: 0 });
    expect(() => b.get(1)).toThrow(RangeError);
    expect(() => b.get(-1)).toThrow(RangeError);
  });
});
