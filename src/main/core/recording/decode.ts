// JSON values of a recording line back to domain values, checking every
// field. Each decoder takes the path of the value it decodes so that a
// problem names the exact field; it throws FieldProblem (fields.ts).

import {
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  type LabOp,
  type LabResult,
  type MadviseAdvice,
  type Protection,
  type QueryRegistration,
  type QuerySnapshot,
  type SessionOp,
  type UmmuEvent,
} from '../../../shared/domain';
import type { BackendKind, BackendNotice } from '../backend';
import {
  FieldProblem,
  arrayField,
  booleanField,
  countField,
  fieldPath,
  finiteField,
  hasField,
  integerField,
  object,
  objectField,
  oneOfField,
  stringField,
  u32Field,
  u64,
  u64Field,
  type JsonObject,
} from './fields';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  isErrnoCode,
  opRecord,
  type OpName,
  type OpRecord,
  type OpResults,
  type RecordingHeader,
  type RecordingRecord,
} from './format';

const BACKEND_KINDS: readonly BackendKind[] = ['model', 'kernel', 'replay'];
const LAB_OPS: readonly LabOp['op'][] = ['touch', 'read', 'munmap', 'mmap', 'madvise', 'mprotect', 'mremap', 'fork'];
const ADVICES: readonly MadviseAdvice[] = ['DONTNEED', 'FREE', 'PAGEOUT', 'COLD', 'DONTFORK', 'DOFORK', 'WILLNEED'];
const PROTECTIONS: readonly Protection[] = ['rw', 'r', 'none'];
const SESSION_OPS: readonly SessionOp['op'][] = ['exchangeFeatures', 'register', 'unregister', 'read', 'query', 'lab'];
const RECORD_KINDS: readonly RecordingRecord['kind'][] = ['op', 'events', 'notice', 'snapshot'];
const NOTICE_KINDS: readonly BackendNotice['kind'][] = ['invalidation', 'lab', 'dead'];

/** Thrown for a first line that is a ummutrace header of a later format version. */
export class NewerVersion extends Error {
  constructor(readonly version: number) {
    super(`written by a newer ummunotify (format version ${version}); this build reads version ${RECORDING_VERSION}`);
    this.name = 'NewerVersion';
  }
}

/** Thrown for a first line that is not a ummutrace header at all. */
export class ForeignFile extends Error {
  constructor() {
    super('not a ummutrace recording (the first line is not a ummutrace header)');
    this.name = 'ForeignFile';
  }
}

function decodeArray<T>(obj: JsonObject, parent: string, key: string, decode: (v: unknown, path: string) => T): T[] {
  const path = fieldPath(parent, key);
  return arrayField(obj, parent, key).map((item, i) => decode(item, fieldPath(path, i)));
}

export function decodeEvent(value: unknown, path: string): UmmuEvent {
  const obj = object(value, path);
  const type = u32Field(obj, path, 'type');
  if (type !== EVENT_TYPE_INVAL && type !== EVENT_TYPE_LAST) {
    throw new FieldProblem(fieldPath(path, 'type'), `expected ${EVENT_TYPE_INVAL} (INVAL) or ${EVENT_TYPE_LAST} (LAST)`);
  }
  return {
    type,
    flags: u32Field(obj, path, 'flags'),
    hintStart: u64Field(obj, path, 'hintStart'),
    hintEnd: u64Field(obj, path, 'hintEnd'),
    cookieOrCounter: u64Field(obj, path, 'cookieOrCounter'),
  };
}

function decodeRegistration(value: unknown, path: string): QueryRegistration {
  const obj = object(value, path);
  return {
    start: u64Field(obj, path, 'start'),
    end: u64Field(obj, path, 'end'),
    cookie: u64Field(obj, path, 'cookie'),
    hintStart: u64Field(obj, path, 'hintStart'),
    hintEnd: u64Field(obj, path, 'hintEnd'),
    state: u32Field(obj, path, 'state'),
    reasonFlags: u32Field(obj, path, 'reasonFlags'),
    filter: u32Field(obj, path, 'filter'),
  };
}

export function decodeSnapshot(value: unknown, path: string): QuerySnapshot {
  const obj = object(value, path);
  return {
    counter: u64Field(obj, path, 'counter'),
    flags: u32Field(obj, path, 'flags'),
    registrations: decodeArray(obj, path, 'registrations', decodeRegistration),
    queue: decodeArray(obj, path, 'queue', u64),
  };
}

function decodeRange(value: unknown, path: string): { start: bigint; end: bigint } {
  const obj = object(value, path);
  return { start: u64Field(obj, path, 'start'), end: u64Field(obj, path, 'end') };
}

export function decodeLabResult(value: unknown, path: string): LabResult {
  const obj = object(value, path);
  const result: LabResult = {
    op: oneOfField(obj, path, 'op', LAB_OPS),
    start: u64Field(obj, path, 'start'),
    end: u64Field(obj, path, 'end'),
  };
  if (hasField(obj, 'movedTo')) result.movedTo = decodeRange(obj.movedTo, fieldPath(path, 'movedTo'));
  return result;
}

export function decodeLabOp(value: unknown, path: string): LabOp {
  const obj = object(value, path);
  const op = oneOfField(obj, path, 'op', LAB_OPS);
  const page = countField(obj, path, 'page');
  const pages = countField(obj, path, 'pages');
  switch (op) {
    case 'madvise':
      return { op, page, pages, advice: oneOfField(obj, path, 'advice', ADVICES) };
    case 'mprotect':
      return { op, page, pages, prot: oneOfField(obj, path, 'prot', PROTECTIONS) };
    case 'mremap': {
      const mremap: LabOp = { op, page, pages, newPages: countField(obj, path, 'newPages') };
      if (hasField(obj, 'newPage')) mremap.newPage = countField(obj, path, 'newPage');
      return mremap;
    }
    default:
      return { op, page, pages };
  }
}

export function decodeSessionOp(value: unknown, path: string): SessionOp {
  const obj = object(value, path);
  const op = oneOfField(obj, path, 'op', SESSION_OPS);
  switch (op) {
    case 'exchangeFeatures':
      return { op, wanted: u32Field(obj, path, 'wanted') };
    case 'register':
      return {
        op,
        start: u64Field(obj, path, 'start'),
        end: u64Field(obj, path, 'end'),
        cookie: u64Field(obj, path, 'cookie'),
        flags: u32Field(obj, path, 'flags'),
      };
    case 'unregister':
      return { op, cookie: u64Field(obj, path, 'cookie') };
    case 'read':
      return { op, maxEvents: countField(obj, path, 'maxEvents') };
    case 'query':
      return { op };
    case 'lab':
      return { op, lab: decodeLabOp(objectField(obj, path, 'lab'), fieldPath(path, 'lab')) };
  }
}

export function decodeNotice(value: unknown, path: string): BackendNotice {
  const obj = object(value, path);
  const kind = oneOfField(obj, path, 'kind', NOTICE_KINDS);
  switch (kind) {
    case 'invalidation':
      return {
        kind,
        start: u64Field(obj, path, 'start'),
        end: u64Field(obj, path, 'end'),
        reason: integerField(obj, path, 'reason'),
        hits: decodeArray(obj, path, 'hits', u64),
      };
    case 'lab':
      return { kind, result: decodeLabResult(objectField(obj, path, 'result'), fieldPath(path, 'result')) };
    case 'dead':
      return { kind };
  }
}

function decodeOpResult(op: SessionOp, obj: JsonObject): OpResults[OpName] {
  if (!hasField(obj, 'result')) throw new FieldProblem('result', 'missing');
  switch (op.op) {
    case 'exchangeFeatures':
      return u32Field(obj, '', 'result');
    case 'read':
      return decodeArray(obj, '', 'result', decodeEvent);
    case 'query':
      return decodeSnapshot(obj.result, 'result');
    case 'lab':
      return decodeLabResult(obj.result, 'result');
    case 'register':
    case 'unregister':
      if (obj.result !== null) throw new FieldProblem('result', 'expected null');
      return null;
  }
}

function decodeOpRecord(obj: JsonObject, t: number): OpRecord {
  const op = decodeSessionOp(objectField(obj, '', 'op'), 'op');
  if (booleanField(obj, '', 'ok')) return opRecord(t, op, { ok: true, result: decodeOpResult(op, obj) });
  const error = objectField(obj, '', 'error');
  const code = stringField(error, 'error', 'code');
  if (!isErrnoCode(code)) throw new FieldProblem('error.code', 'expected an errno name such as "EINVAL"');
  return opRecord(t, op, { ok: false, error: { code, message: stringField(error, 'error', 'message') } });
}

/** One record line (already JSON-parsed). */
export function decodeRecord(value: unknown): RecordingRecord {
  const obj = object(value, 'record');
  const t = finiteField(obj, '', 't');
  if (t < 0) throw new FieldProblem('t', 'expected milliseconds since the start of the recording (>= 0)');
  const kind = oneOfField(obj, '', 'kind', RECORD_KINDS);
  switch (kind) {
    case 'op':
      return decodeOpRecord(obj, t);
    case 'events':
      return { kind, t, events: decodeArray(obj, '', 'events', decodeEvent) };
    case 'notice':
      return { kind, t, notice: decodeNotice(objectField(obj, '', 'notice'), 'notice') };
    case 'snapshot':
      return { kind, t, snapshot: decodeSnapshot(objectField(obj, '', 'snapshot'), 'snapshot') };
  }
}

/** The first line (already JSON-parsed). */
export function decodeHeader(value: unknown): RecordingHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ForeignFile();
  const obj = value as JsonObject;
  if (obj.format !== RECORDING_FORMAT) throw new ForeignFile();
  const version = countField(obj, '', 'version');
  if (version > RECORDING_VERSION) throw new NewerVersion(version);
  if (version !== RECORDING_VERSION) throw new FieldProblem('version', `expected ${RECORDING_VERSION}`);
  const arena = objectField(obj, '', 'arena');
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    backend: oneOfField(obj, '', 'backend', BACKEND_KINDS),
    description: stringField(obj, '', 'description'),
    features: u32Field(obj, '', 'features'),
    pageSize: countField(obj, '', 'pageSize'),
    arena: { base: u64Field(arena, 'arena', 'base'), pages: countField(arena, 'arena', 'pages') },
    createdAt: stringField(obj, '', 'createdAt'),
  };
  if (hasField(obj, 'kernelRelease')) header.kernelRelease = stringField(obj, '', 'kernelRelease');
  if (Number.isNaN(Date.parse(header.createdAt))) {
    throw new FieldProblem('createdAt', 'expected an ISO 8601 date and time');
  }
  return header;
}
