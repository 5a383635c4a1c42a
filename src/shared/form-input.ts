// What a user types into the workbench's fields, checked before anything
// is sent: the same limits the message codec and the device enforce, said
// in words a user can act on. A field whose text does not pass keeps its
// button disabled and shows the problem.

import { U64_MAX } from './u64';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const DECIMAL = /^\d+$/;
const HEX = /^0x[0-9a-f]+$/i;

/** A cookie: decimal or 0x hex, 0 to 2^64-1. */
export function parseCookie(text: string): Parsed<bigint> {
  const t = text.trim();
  if (t === '') return { ok: false, problem: 'enter a cookie (decimal, or hex with 0x)' };
  if (!DECIMAL.test(t) && !HEX.test(t)) return { ok: false, problem: 'a cookie is a whole number: decimal, or hex with 0x' };
  const value = BigInt(t);
  if (value > U64_MAX) return { ok: false, problem: 'a cookie is 64 bits: at most 18446744073709551615 (0xffffffffffffffff)' };
  return { ok: true, value };
}

/** A whole number from `min` to `max` (a count of events or pages). */
export function parseWholeNumber(text: string, min: number, max: number, what: string): Parsed<number> {
  const t = text.trim();
  if (!DECIMAL.test(t)) return { ok: false, problem: `${what}: a whole number from ${min} to ${max}` };
  const value = Number(t);
  if (value < min || value > max) return { ok: false, problem: `${what}: from ${min} to ${max}` };
  return { ok: true, value };
}
