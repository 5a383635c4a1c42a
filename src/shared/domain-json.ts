// Domain values in their JSON form (u64 as hex strings): the one encoding
// that messages, recordings, the device-session protocol and exports share.

import type { LabResult, QueryRegistration, QuerySnapshot, UmmuEvent } from './domain';
import type { WireEvent, WireLabResult, WireQueryRegistration, WireQuerySnapshot } from './messages';
import { u64ToHex } from './u64';

export const eventToJson = (e: UmmuEvent): WireEvent => ({
  type: e.type,
  flags: e.flags,
  hintStart: u64ToHex(e.hintStart),
  hintEnd: u64ToHex(e.hintEnd),
  cookieOrCounter: u64ToHex(e.cookieOrCounter),
});

export const registrationToJson = (r: QueryRegistration): WireQueryRegistration => ({
  start: u64ToHex(r.start),
  end: u64ToHex(r.end),
  cookie: u64ToHex(r.cookie),
  hintStart: u64ToHex(r.hintStart),
  hintEnd: u64ToHex(r.hintEnd),
  state: r.state,
  reasonFlags: r.reasonFlags,
  filter: r.filter,
});

export const snapshotToJson = (s: QuerySnapshot): WireQuerySnapshot => ({
  counter: u64ToHex(s.counter),
  flags: s.flags,
  registrations: s.registrations.map(registrationToJson),
  queue: s.queue.map(u64ToHex),
});

export function labResultToJson(r: LabResult): WireLabResult {
  const range = { op: r.op, start: u64ToHex(r.start), end: u64ToHex(r.end) };
  return r.movedTo ? { ...range, movedTo: { start: u64ToHex(r.movedTo.start), end: u64ToHex(r.movedTo.end) } } : range;
}
