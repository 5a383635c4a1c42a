// The address range a watched process's map shows: it has no lab arena, so
// the span of every range it registered (now or earlier in its records),
// widened to whole pages.

import type { ArenaInfo, QueryRegistration } from '../../shared/domain';
import type { RegistrationLifetime } from './timeline-buffer';

export function processArena(current: readonly QueryRegistration[], recorded: readonly RegistrationLifetime[], pageSize: number): ArenaInfo {
  let low: bigint | null = null;
  let high: bigint | null = null;
  for (const { start, end } of [...current, ...recorded]) {
    if (low === null || start < low) low = start;
    if (high === null || end > high) high = end;
  }
  const page = BigInt(pageSize);
  if (low === null || high === null) return { base: 0n, pages: 1, pageSize };
  const base = (low / page) * page;
  const pages = Number((high - base + page - 1n) / page);
  return { base, pages: Math.max(1, pages), pageSize };
}
