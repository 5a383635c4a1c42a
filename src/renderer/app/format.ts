// How the session controls name domain values.

import { FEATURE_FILTER, FEATURE_HINT_UNION, FEATURE_QUERY, FEATURE_REASON } from '../../shared/domain';
import type { SessionState } from '../../shared/messages';

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
