import { afterEach, expect, test, vi } from 'vitest';
import { Batcher } from '../../../src/main/core/batcher';

afterEach(() => {
  vi.useRealTimers();
});

test('items are delivered once per interval, in order', () => {
  vi.useFakeTimers();
  const batches: number[][] = [];
  const batcher = new Batcher<number>({ intervalMs: 20, maxItems: 100 }, (items) => batches.push(items));
  for (let i = 0; i < 50; i++) batcher.push(i);
  expect(batches).toEqual([]);
  vi.advanceTimersByTime(20);
  expect(batches).toEqual([Array.from({ length: 50 }, (_, i) => i)]);
});

test('a full batch is delivered at once, before the interval', () => {
  vi.useFakeTimers();
  const batches: number[][] = [];
  const batcher = new Batcher<number>({ intervalMs: 1000, maxItems: 4 }, (items) => batches.push(items));
  for (let i = 0; i < 10; i++) batcher.push(i);
  expect(batches).toEqual([
    [0, 1, 2, 3],
    [4, 5, 6, 7],
  ]);
  vi.advanceTimersByTime(1000);
  expect(batches.at(-1)).toEqual([8, 9]);
});

test('an item with a coalescing key replaces the pending one with the same key', () => {
  const batches: string[][] = [];
  const batcher = new Batcher<string>(
    { intervalMs: 1000, maxItems: 100, coalesceKey: (s) => (s.startsWith('state') ? 'state' : undefined) },
    (items) => batches.push(items),
  );
  ['state1', 'a', 'state2', 'b'].forEach((s) => batcher.push(s));
  batcher.flush();
  expect(batches).toEqual([['a', 'state2', 'b']]);
});
