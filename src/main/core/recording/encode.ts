// Domain values to their JSON form in a recording line: every u64 becomes a
// hex string (src/shared/u64.ts), everything else stays as it is.

import { u64ToHex } from '../../../shared/u64';
import type { LabResult, QuerySnapshot, SessionOp, UmmuEvent } from '../../../shared/domain';
import { eventToJson, snapshotToJson } from '../../../shared/domain-json';
import type { BackendNotice } from '../backend';
import { opResult, type OpRecord, type Recording, type RecordingHeader, type RecordingRecord } from './format';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const encodeEvent = (event: UmmuEvent): Json => eventToJson(event);

export const encodeSnapshot = (snapshot: QuerySnapshot): Json => snapshotToJson(snapshot);

export function encodeLabResult(result: LabResult): Json {
  const json: { [key: string]: Json } = { op: result.op, start: u64ToHex(result.start), end: u64ToHex(result.end) };
  if (result.movedTo) json.movedTo = { start: u64ToHex(result.movedTo.start), end: u64ToHex(result.movedTo.end) };
  return json;
}

export function encodeSessionOp(op: SessionOp): Json {
  switch (op.op) {
    case 'exchangeFeatures':
      return { op: op.op, wanted: op.wanted };
    case 'register':
      return { op: op.op, start: u64ToHex(op.start), end: u64ToHex(op.end), cookie: u64ToHex(op.cookie), flags: op.flags };
    case 'unregister':
      return { op: op.op, cookie: u64ToHex(op.cookie) };
    case 'read':
      return { op: op.op, maxEvents: op.maxEvents };
    case 'query':
      return { op: op.op };
    case 'lab':
      return { op: op.op, lab: { ...op.lab } };
  }
}

export function encodeNotice(notice: BackendNotice): Json {
  switch (notice.kind) {
    case 'invalidation':
      return {
        kind: notice.kind,
        start: u64ToHex(notice.start),
        end: u64ToHex(notice.end),
        reason: notice.reason,
        hits: notice.hits.map(u64ToHex),
      };
    case 'lab':
      return { kind: notice.kind, result: encodeLabResult(notice.result) };
    case 'dead':
      return { kind: notice.kind };
  }
}

/** The `result` field of a successful op; register and unregister return nothing (null). */
function encodeOpResult(record: OpRecord): Json {
  const events = opResult(record, 'read');
  if (events) return events.map(encodeEvent);
  const snapshot = opResult(record, 'query');
  if (snapshot) return encodeSnapshot(snapshot);
  const labResult = opResult(record, 'lab');
  if (labResult) return encodeLabResult(labResult);
  return opResult(record, 'exchangeFeatures') ?? null;
}

export function encodeHeader(header: RecordingHeader): Json {
  const json: { [key: string]: Json } = {
    format: header.format,
    version: header.version,
    backend: header.backend,
    description: header.description,
  };
  if (header.kernelRelease !== undefined) json.kernelRelease = header.kernelRelease;
  json.features = header.features;
  json.pageSize = header.pageSize;
  json.arena = { base: u64ToHex(header.arena.base), pages: header.arena.pages };
  json.createdAt = header.createdAt;
  return json;
}

export function encodeRecord(record: RecordingRecord): Json {
  switch (record.kind) {
    case 'op': {
      const json: { [key: string]: Json } = { t: record.t, kind: record.kind, op: encodeSessionOp(record.op) };
      if (record.outcome.ok) {
        json.ok = true;
        json.result = encodeOpResult(record);
      } else {
        json.ok = false;
        json.error = { code: record.outcome.error.code, message: record.outcome.error.message };
      }
      return json;
    }
    case 'events':
      return { t: record.t, kind: record.kind, events: record.events.map(encodeEvent) };
    case 'notice':
      return { t: record.t, kind: record.kind, notice: encodeNotice(record.notice) };
    case 'snapshot':
      return { t: record.t, kind: record.kind, snapshot: encodeSnapshot(record.snapshot) };
  }
}

/** The lines of a whole recording, without newlines: for saving a parsed or edited recording again. */
export const recordingLines = (recording: Recording): string[] => [
  JSON.stringify(encodeHeader(recording.header)),
  ...recording.records.map((record) => JSON.stringify(encodeRecord(record))),
];
