import { describe, expect, it } from 'vitest';
import { compareKeys, IntervalIndex, type IntervalKey } from '../../../src/main/core/backends/model/interval-index';
import { UmmuFile } from '../../../src/main/core/backends/model/file-state';
import { Reason } from '../../../src/shared/domain';
import { randomInt, seededRandom } from './helpers';

const bruteOverlapping = (entries: IntervalKey[], s: bigint, e: bigint): IntervalKey[] =>
  entries.filter((x) => x.start < e && s < x.end).sort(compareKeys);

describe('IntervalIndex', () => {
  it('finds exactly the overlapping entries, in (start, end, cookie) order, through inserts and removals', () => {
    const random = seededRandom(42);
    const index = new IntervalIndex<IntervalKey>();
    let live: IntervalKey[] = [];
    for (let step = 0; step < 3000; step++) {
      const roll = random();
      if (roll < 0.5 || live.length === 0) {
        const start = BigInt(randomInt(random, 1000));
        const entry = { start, end: start + 1n + BigInt(randomInt(random, 60)), cookie: BigInt(step) };
        index.insert(entry);
        live.push(entry);
      } else if (roll < 0.75) {
        const victim = live[randomInt(random, live.length)] as IntervalKey;
        expect(index.remove(victim)).toBe(true);
        expect(index.remove(victim)).toBe(false);
        live = live.filter((x) => x !== victim);
      } else {
        const s = BigInt(randomInt(random, 1100));
        const e = s + 1n + BigInt(randomInt(random, 100));
        expect(index.overlapping(s, e)).toEqual(bruteOverlapping(live, s, e));
      }
      expect(index.size).toBe(live.length);
    }
    expect(index.entries()).toEqual([...live].sort(compareKeys));
  });

  it('keeps identical ranges apart by cookie', () => {
    const index = new IntervalIndex<IntervalKey>();
    for (const cookie of [5n, 1n, 3n]) index.insert({ start: 0n, end: 10n, cookie });
    expect(index.remove({ start: 0n, end: 10n, cookie: 1n })).toBe(true);
    expect(index.overlapping(9n, 20n).map((x) => x.cookie)).toEqual([3n, 5n]);
  });
});

describe('100k registrations', () => {
  it('an invalidation visits O(log n + k) index nodes, not O(n)', () => {
    const page = 0x1000n;
    const file = new UmmuFile();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const start = BigInt(i) * 16n * page;
      file.register(start, start + 16n * page, BigInt(i));
    }
    // One long registration, the case that defeats the 2010 walk.
    file.register(0n, BigInt(n) * 16n * page, BigInt(n));
    expect(file.invalidate(50_000n * 16n * page, 50_000n * 16n * page + page, Reason.UNMAP)).toEqual([BigInt(n), 50_000n]);
    expect(file.lastLookupVisits).toBeLessThan(200);
    const hits = file.invalidate(70_000n * 16n * page, 70_010n * 16n * page, Reason.CLEAR);
    expect(hits).toHaveLength(11);
    expect(file.lastLookupVisits).toBeLessThan(300);
    expect(file.invalidate(BigInt(n) * 16n * page, BigInt(n + 1) * 16n * page, Reason.CLEAR)).toEqual([]);
    expect(file.lastLookupVisits).toBeLessThan(100);
    expect(file.counter).toBe(2n);
    for (let i = 0; i < n; i += 2) file.unregister(BigInt(i));
    expect(file.registrationCount).toBe(n / 2 + 1);
  });
});
