// Small, hand-checkable scenes shared by the renderer tests.

import { QUERY_REG_HINT, QUERY_REG_QUEUED, Reason, type ArenaInfo, type QueryRegistration } from '../../src/shared/domain';
import type { ArenaPage } from '../../src/renderer/draw/address-map';

export const arena: ArenaInfo = { base: 0x7f0000000000n, pages: 16, pageSize: 4096 };
export const page = (n: number): bigint => arena.base + BigInt(n) * 4096n;

export const reasonFlags = (first: number, ...others: number[]): number =>
  (first << 8) | ([first, ...others].reduce((mask, r) => mask | (1 << r), 0) << 16);

export const reg = (cookie: bigint, fromPage: number, toPage: number, extra: Partial<QueryRegistration> = {}): QueryRegistration => ({
  start: page(fromPage),
  end: page(toPage),
  cookie,
  hintStart: 0n,
  hintEnd: 0n,
  state: 0,
  reasonFlags: 0,
  filter: 0,
  ...extra,
});

/** Cookie 1 queued with an exact HINT over page 2, cookie 2 queued whole, cookie 3 clean. */
export const registrations: QueryRegistration[] = [
  reg(1n, 0, 4, { state: QUERY_REG_QUEUED | QUERY_REG_HINT, hintStart: page(2), hintEnd: page(3), reasonFlags: reasonFlags(Reason.UNMAP) }),
  reg(2n, 2, 6, { state: QUERY_REG_QUEUED, hintStart: page(2), hintEnd: page(6), reasonFlags: reasonFlags(Reason.UNMAP, Reason.CLEAR) }),
  reg(3n, 8, 12),
];

export const pages: ArenaPage[] = Array.from({ length: 16 }, (_, i) => ({
  state: i === 2 ? 'unmapped' : i < 8 ? 'present' : 'none',
  prot: i >= 12 ? 'r' : 'rw',
}));
