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

test('state under a key: only the latest goes out, made at delivery, after the history items', () => {
  const batches: string[][] = [];
  const batcher = new Batcher<string>({ intervalMs: 1000, maxItems: 100 }, (items) => batches.push(items));
  let made = 0;
  let counter = 1;
  const state = () => {
    made++;
    return `state${counter}`;
  };
  batcher.setLatest('state', state);
  batcher.push('a');
  batcher.setLatest('state', state);
  batcher.push('b');
  counter = 2;
  batcher.flush();
  expect(batches).toEqual([['a', 'b', 'state2']]);
  expect(made).toBe(1);
});

test('a batch of state alone is delivered after the interval', () => {
  vi.useFakeTimers();
  const batches: string[][] = [];
  const batcher = new Batcher<string>({ intervalMs: 20, maxItems: 100 }, (items) => batches.push(items));
  batcher.setLatest('state', () => 'state');
  vi.advanceTimersByTime(19);
  expect(batches).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(batches).toEqual([['state']]);
});
