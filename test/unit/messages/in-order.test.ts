// Numbered records and summaries are taken once, in order, from the number
// expected next: what ends before it is skipped, a start past it is a gap.

import { expect, test } from 'vitest';
import { takeInOrder } from '../../../src/shared/in-order';

const run = (first: number, last = first) => ({ first, last });

test('runs already applied are skipped, the following ones taken, and a run past the next number stops at a gap', () => {
  expect(takeInOrder([run(3), run(4, 9), run(10)], 5)).toEqual({ taken: [run(4, 9), run(10)], next: 11, gap: false });
  expect(takeInOrder([run(5), run(6, 8), run(10), run(11)], 5)).toEqual({ taken: [run(5), run(6, 8)], next: 9, gap: true });
  expect(takeInOrder([run(1, 2)], 5)).toEqual({ taken: [], next: 5, gap: false });
  expect(takeInOrder([], 0)).toEqual({ taken: [], next: 0, gap: false });
});
