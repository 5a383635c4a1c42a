// How the session controls name domain values.

import { FEATURE_QUERY } from '../../shared/domain';
import type { SessionState } from '../../shared/messages';

export { FEATURE_NAMES, featureList } from '../draw/format';

/** 2010 mode: nothing negotiated beyond QUERY, which the views add and which changes no event. */
export function sessionMode(state: SessionState): string {
  if (!state.features) return 'not negotiated yet';
  return (state.features.granted & ~FEATURE_QUERY) === 0 ? '2010 mode' : 'extended';
}
