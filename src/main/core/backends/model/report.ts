// What a queued registration reports: the INVAL event read() would return
// and the QUERY entry describing it. Both encode the same state, so they
// are built here together.

import {
  EVENT_FLAG_HINT,
  EVENT_FLAG_HINT_UNION,
  EVENT_TYPE_INVAL,
  FEATURE_REASON,
  QUERY_REG_HINT,
  QUERY_REG_HINT_UNION,
  QUERY_REG_QUEUED,
  type QueryRegistration,
  type UmmuEvent,
} from '../../../../shared/domain';
import type { Registration } from './registrations';

const REASON_SHIFT = 8;
const REASON_MASK_SHIFT = 16;

/** flags bits 8-31 of the INVAL event; 0 unless FEATURE_REASON is in force. */
export function reasonFlags(reg: Registration, features: number): number {
  if ((features & FEATURE_REASON) === 0 || !reg.queued) return 0;
  return ((reg.firstReason << REASON_SHIFT) | (reg.reasonMask << REASON_MASK_SHIFT)) >>> 0;
}

/** The hint fields: the exact hint with HINT, else the whole registered range. */
function reportedRange(reg: Registration): { hintStart: bigint; hintEnd: bigint } {
  return reg.hint ? { hintStart: reg.hintStart, hintEnd: reg.hintEnd } : { hintStart: reg.start, hintEnd: reg.end };
}

export function invalEvent(reg: Registration, features: number): UmmuEvent {
  let flags = 0;
  if (reg.hint) flags |= EVENT_FLAG_HINT;
  if (reg.hintUnion) flags |= EVENT_FLAG_HINT_UNION;
  return {
    type: EVENT_TYPE_INVAL,
    flags: (flags | reasonFlags(reg, features)) >>> 0,
    ...reportedRange(reg),
    cookieOrCounter: reg.cookie,
  };
}

export function queryEntry(reg: Registration, features: number): QueryRegistration {
  let state = 0;
  if (reg.queued) state |= QUERY_REG_QUEUED;
  if (reg.hint) state |= QUERY_REG_HINT;
  if (reg.hintUnion) state |= QUERY_REG_HINT_UNION;
  const hint = reg.queued ? reportedRange(reg) : { hintStart: 0n, hintEnd: 0n };
  return {
    start: reg.start,
    end: reg.end,
    cookie: reg.cookie,
    ...hint,
    state,
    reasonFlags: reasonFlags(reg, features),
    filter: reg.filter,
  };
}
