// Domain values (bigint) to their wire form (hex strings) for the message
// schema in src/shared/messages.ts, and back for requests.

import type { BackendInfo, BackendNotice } from './backend';
import type { LabResult, QuerySnapshot, UmmuEvent } from '../../shared/domain';
import type { WireBackendInfo, WireError, WireEvent, WireLabResult, WireNotice, WireQuerySnapshot } from '../../shared/messages';
import { u64ToHex } from '../../shared/u64';

export const eventToWire = (e: UmmuEvent): WireEvent => ({
  type: e.type,
  flags: e.flags,
  hintStart: u64ToHex(e.hintStart),
  hintEnd: u64ToHex(e.hintEnd),
  cookieOrCounter: u64ToHex(e.cookieOrCounter),
});

export const snapshotToWire = (s: QuerySnapshot): WireQuerySnapshot => ({
  counter: u64ToHex(s.counter),
  flags: s.flags,
  registrations: s.registrations.map((r) => ({
    start: u64ToHex(r.start),
    end: u64ToHex(r.end),
    cookie: u64ToHex(r.cookie),
    hintStart: u64ToHex(r.hintStart),
    hintEnd: u64ToHex(r.hintEnd),
    state: r.state,
    reasonFlags: r.reasonFlags,
    filter: r.filter,
  })),
  queue: s.queue.map(u64ToHex),
});

export function labResultToWire(r: LabResult): WireLabResult {
  const range = { op: r.op, start: u64ToHex(r.start), end: u64ToHex(r.end) };
  return r.movedTo ? { ...range, movedTo: { start: u64ToHex(r.movedTo.start), end: u64ToHex(r.movedTo.end) } } : range;
}

export function noticeToWire(n: BackendNotice): WireNotice {
  switch (n.kind) {
    case 'invalidation':
      return { kind: 'invalidation', start: u64ToHex(n.start), end: u64ToHex(n.end), reason: n.reason, hits: n.hits.map(u64ToHex) };
    case 'lab':
      return { kind: 'lab', result: labResultToWire(n.result) };
    case 'dead':
      return { kind: 'dead' };
  }
}

export function backendInfoToWire(info: BackendInfo): WireBackendInfo {
  const base = { kind: info.kind, description: info.description, supportedFeatures: info.supportedFeatures, pageSize: info.pageSize };
  return info.kernelRelease === undefined ? base : { ...base, kernelRelease: info.kernelRelease };
}

/** Any thrown value as a wire error; UmmuError keeps its errno, RecordingError its line and problem. */
export function errorToWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { code: 'Error', message: String(err) };
  const fields = err as Error & { code?: unknown; line?: unknown; problem?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : err.name;
  const wire: WireError = { code, message: err.message };
  if (typeof fields.line === 'number' && Number.isInteger(fields.line) && fields.line >= 1) wire.line = fields.line;
  if (typeof fields.problem === 'string') wire.problem = fields.problem;
  return wire;
}
