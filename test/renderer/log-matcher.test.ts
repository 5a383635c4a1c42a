import { describe, expect, it } from 'vitest';
import { LogMatcher } from '../../src/renderer/views/log-matcher';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import type { TimelineRecord } from '../../src/shared/timeline-record';
import type { LogFilters } from '../../src/renderer/view-state/view-store';

const NONE: LogFilters = { kinds: [], cookie: null, reason: null };
const invalidation = (t: number, cookie: bigint): TimelineRecord => ({ kind: 'invalidation', t, start: 0x1000n, end: 0x2000n, reason: t % 2, hits: [cookie] });
const matched = (m: LogMatcher) => Array.from({ length: m.count }, (_, i) => m.indexAt(i));

describe('event log matching', () => {
  it('matches everything without storing anything when nothing filters', () => {
    const b = new TimelineBuffer(4);
    const m = new LogMatcher(b);
    for (let t = 0; t < 6; t++) b.append(invalidation(t, 1n));
    expect(m.pending).toBe(0);
    expect(matched(m)).toEqual([0, 1, 2, 3]);
  });

  it('scans a large buffer in slices, reporting what is left, and finds the same records a full scan does', () => {
    const b = new TimelineBuffer(50000);
    for (let t = 0; t < 50000; t++) b.append(invalidation(t, BigInt(t % 7)));
    const m = new LogMatcher(b);
    m.setQuery({ ...NONE, cookie: 3n }, '');
    expect(m.scan(0)).toBe(false);
    expect(m.pending).toBeGreaterThan(0);
    expect(m.pending).toBeLessThan(50000);
    m.scanToEnd();
    expect(m.pending).toBe(0);
    const expected = Array.from({ length: 50000 }, (_, i) => i).filter((i) => i % 7 === 3);
    expect(matched(m)).toEqual(expected);
  });

  it('searches the text of records, all words, any case', () => {
    const b = new TimelineBuffer(16);
    b.appendAll([invalidation(0, 0xabcn), invalidation(1, 0x1n), { kind: 'unregister', t: 2, cookie: 0xabcn }]);
    const m = new LogMatcher(b);
    m.setQuery(NONE, '  0xABC   invalidation ');
    m.scanToEnd();
    expect(matched(m)).toEqual([0]);
    m.setQuery({ ...NONE, kinds: ['unregister'] }, '');
    m.scanToEnd();
    expect(matched(m)).toEqual([2]);
  });

  it('examines appended records only, forgets evicted matches and starts over after a clear', () => {
    const b = new TimelineBuffer(4);
    const m = new LogMatcher(b);
    m.setQuery({ ...NONE, cookie: 2n }, '');
    b.appendAll([invalidation(0, 2n), invalidation(1, 1n), invalidation(2, 2n)]);
    expect(m.pending).toBe(3);
    m.scanToEnd();
    expect(matched(m)).toEqual([0, 2]);
    b.appendAll([invalidation(3, 1n), invalidation(4, 1n), invalidation(5, 2n)]);
    m.scanToEnd();
    // Retained t = 2..5; matches t = 2 and t = 5.
    expect(matched(m)).toEqual([0, 3]);
    expect(m.matchesCookie(2n)).toBe(true);
    b.clear();
    expect(m.matchesCookie(2n)).toBe(false);
    b.appendAll([invalidation(10, 1n), invalidation(11, 1n), invalidation(12, 1n), invalidation(13, 1n), invalidation(14, 2n)]);
    m.scanToEnd();
    expect(matched(m)).toEqual([3]);
    expect(Array.from(m.times())).toEqual([14]);
  });
});
