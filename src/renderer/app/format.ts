// How the pipeline view names domain values.

import {
  EVENT_FLAG_HINT,
  EVENT_FLAG_HINT_UNION,
  FEATURE_FILTER,
  FEATURE_HINT_UNION,
  FEATURE_QUERY,
  FEATURE_REASON,
  QUERY_REG_HINT,
  QUERY_REG_HINT_UNION,
  QUERY_REG_QUEUED,
  Reason,
  eventReason,
} from '../../shared/domain';
import type { SessionState, WireEvent } from '../../shared/messages';
import { hexToU64, u64ToHex } from '../../shared/u64';

export const FEATURE_NAMES: readonly [number, string][] = [
  [FEATURE_REASON, 'REASON'],
  [FEATURE_FILTER, 'FILTER'],
  [FEATURE_HINT_UNION, 'HINT_UNION'],
  [FEATURE_QUERY, 'QUERY'],
];

export const featureList = (mask: number): string =>
  FEATURE_NAMES.filter(([bit]) => (mask & bit) !== 0)
    .map(([, name]) => name)
    .join(' ') || 'none';

/** 2010 mode: nothing negotiated beyond QUERY, which the views add and which changes no event. */
export function sessionMode(state: SessionState): string {
  if (!state.features) return 'not negotiated yet';
  return (state.features.granted & ~FEATURE_QUERY) === 0 ? '2010 mode' : 'extended';
}

export const reasonName = (reason: number): string =>
  Object.entries(Reason).find(([, value]) => value === reason)?.[0] ?? `reason ${reason}`;

export function registrationState(state: number): string {
  if ((state & QUERY_REG_QUEUED) === 0) return 'valid';
  if ((state & QUERY_REG_HINT_UNION) !== 0) return 'queued (hint union)';
  return (state & QUERY_REG_HINT) !== 0 ? 'queued (hint)' : 'queued (whole range)';
}

export function describeEvent(event: WireEvent, state: SessionState | null): string {
  if (event.type === 1) return `LAST counter=${BigInt(event.cookieOrCounter)}`;
  const hint =
    (event.flags & EVENT_FLAG_HINT_UNION) !== 0 ? 'hint union' : (event.flags & EVENT_FLAG_HINT) !== 0 ? 'hint' : 'no hint';
  const reason = state?.features && (state.features.granted & FEATURE_REASON) !== 0 ? ` ${reasonName(eventReason(event.flags))}` : '';
  return `INVAL cookie=${BigInt(event.cookieOrCounter)} ${hint} [${event.hintStart}, ${event.hintEnd})${reason}`;
}

/** Address of page `page` of the arena. */
export const pageAddress = (state: SessionState, page: number): string =>
  u64ToHex(hexToU64(state.arena.base) + BigInt(page) * BigInt(state.arena.pageSize));

/** Page index of an arena address (may be fractional or out of the arena). */
export const addressPage = (state: SessionState, address: string): number =>
  Number(hexToU64(address) - hexToU64(state.arena.base)) / state.arena.pageSize;
