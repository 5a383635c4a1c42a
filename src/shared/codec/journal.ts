// Journal records in JSON, both ways: one line of a recording, one record
// item of a pushed batch (docs/RECORDING-FORMAT.md describes the fields).

import { isErrnoCode, opRecord, type JournalRecord } from '../journal';
import { decodeEvents, decodeNotice, decodeOpResult, decodeSessionOp, decodeSnapshot, encodeEvents, encodeNotice, encodeOpResult, encodeSessionOp, encodeSnapshot } from './domain';
import { CodecError, Fields, count, type JsonObject } from './fields';

const RECORD_KINDS: readonly JournalRecord['kind'][] = ['op', 'events', 'notice', 'snapshot'];

export function encodeJournalRecord(record: JournalRecord): JsonObject {
  switch (record.kind) {
    case 'op': {
      const head = { t: record.t, kind: record.kind, op: encodeSessionOp(record.op) };
      const { outcome } = record;
      return outcome.ok
        ? { ...head, ok: true, result: encodeOpResult(record.op, outcome.result) }
        : { ...head, ok: false, error: { code: outcome.error.code, message: outcome.error.message } };
    }
    case 'events': {
      const json: JsonObject = { t: record.t, kind: record.kind, events: encodeEvents(record.events) };
      if (record.maxEvents !== undefined) json.maxEvents = record.maxEvents;
      return json;
    }
    case 'notice':
      return { t: record.t, kind: record.kind, notice: encodeNotice(record.notice) };
    case 'snapshot':
      return { t: record.t, kind: record.kind, snapshot: encodeSnapshot(record.snapshot) };
  }
}

function decodeOpRecord(f: Fields, t: number): JournalRecord {
  const op = f.read('op', decodeSessionOp);
  if (f.boolean('ok')) return opRecord(t, op, { ok: true, result: f.read('result', (v, p) => decodeOpResult(op, v, p)) });
  const error = f.object('error');
  const code = error.string('code', 64);
  if (!isErrnoCode(code)) throw new CodecError(error.at('code'), 'expected an errno name such as "EINVAL"');
  return opRecord(t, op, { ok: false, error: { code, message: error.string('message') } });
}

/** `path` is '' for a recording line (its fields are named bare: "events[2].type"). */
export function decodeJournalRecord(value: unknown, path: string): JournalRecord {
  const f = Fields.of(value, path);
  const t = f.finite('t');
  if (t < 0) throw new CodecError(f.at('t'), 'expected milliseconds since the start (>= 0)');
  const kind = f.oneOf('kind', RECORD_KINDS);
  switch (kind) {
    case 'op':
      return decodeOpRecord(f, t);
    case 'events': {
      const events = f.read('events', decodeEvents);
      const maxEvents = f.optional('maxEvents', count);
      return maxEvents === undefined ? { kind, t, events } : { kind, t, events, maxEvents };
    }
    case 'notice':
      return { kind, t, notice: f.read('notice', decodeNotice) };
    case 'snapshot':
      return { kind, t, snapshot: f.read('snapshot', decodeSnapshot) };
  }
}
