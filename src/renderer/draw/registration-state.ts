// What a registration looks like right now, from a QUERY snapshot: clean,
// or queued with an exact hint, a union hint, or the whole range.

import {
  EVENT_FLAG_HINT,
  EVENT_FLAG_HINT_UNION,
  EVENT_TYPE_INVAL,
  QUERY_REG_HINT,
  QUERY_REG_HINT_UNION,
  QUERY_REG_QUEUED,
  type QueryRegistration,
  type UmmuEvent,
} from '../../shared/domain';

export type RegistrationState = 'clean' | 'queued-hint' | 'queued-union' | 'queued-whole';

export function registrationState(reg: QueryRegistration): RegistrationState {
  if (!(reg.state & QUERY_REG_QUEUED)) return 'clean';
  if (reg.state & QUERY_REG_HINT_UNION) return 'queued-union';
  if (reg.state & QUERY_REG_HINT) return 'queued-hint';
  return 'queued-whole';
}

export const REGISTRATION_STATE_LABEL: Record<RegistrationState, string> = {
  clean: 'clean',
  'queued-hint': 'queued, HINT',
  'queued-union': 'queued, HINT union',
  'queued-whole': 'queued, whole range',
};

/** The INVAL event read() would return for a queued registration. */
export function queuedEvent(reg: QueryRegistration): UmmuEvent {
  let flags = reg.reasonFlags & ~0xff;
  if (reg.state & QUERY_REG_HINT) flags |= EVENT_FLAG_HINT;
  if (reg.state & QUERY_REG_HINT_UNION) flags |= EVENT_FLAG_HINT_UNION;
  const hinted = (reg.state & (QUERY_REG_HINT | QUERY_REG_HINT_UNION)) !== 0;
  return {
    type: EVENT_TYPE_INVAL,
    flags,
    hintStart: hinted ? reg.hintStart : reg.start,
    hintEnd: hinted ? reg.hintEnd : reg.end,
    cookieOrCounter: reg.cookie,
  };
}
