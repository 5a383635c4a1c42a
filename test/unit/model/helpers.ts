// Shared by the model's unit tests: a seeded PRNG, event shorthands and the errno of a call.

import { EVENT_TYPE_INVAL, EVENT_TYPE_LAST, UmmuError, type ErrnoCode, type UmmuEvent } from '../../../src/shared/domain';

/** The errno a call raises as UmmuError, or 'no error'; anything else is rethrown. */
export function errno(action: () => unknown): ErrnoCode | 'no error' {
  try {
    action();
  } catch (error) {
    if (error instanceof UmmuError) return error.code;
    throw error;
  }
  return 'no error';
}

/** mulberry32: a small seeded PRNG, so random tests replay exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, below: number): number {
  return Math.floor(random() * below);
}

export const inval = (cookie: bigint, hintStart: bigint, hintEnd: bigint, flags: number): UmmuEvent => ({
  type: EVENT_TYPE_INVAL,
  flags,
  hintStart,
  hintEnd,
  cookieOrCounter: cookie,
});

export const last = (counter: bigint): UmmuEvent => ({
  type: EVENT_TYPE_LAST,
  flags: 0,
  hintStart: 0n,
  hintEnd: 0n,
  cookieOrCounter: counter,
});
