// The messages of messages.ts in JSON, both ways. Senders encode with
// these, receivers decode with them: a message that does not decode is
// refused with a CodecError naming the offending field, never half-used.
// Envelopes refuse unknown fields (a misspelt field fails loudly).

import type { ArenaPage } from './domain';
import {
  decodeOpResult,
  decodeSessionOp,
  decodeSnapshot,
  decodeSummary,
  encodeOpResult,
  encodeSessionOp,
  encodeSnapshot,
  encodeSummary,
  PROTECTIONS,
} from './codec/domain';
import { CodecError, Fields, array, boolean, count, finite, hex, integer, oneOf, string, type Json, type JsonObject } from './codec/fields';
import { decodeJournalRecord, encodeJournalRecord } from './codec/journal';
import type { OpResultFor } from './journal';
import {
  BACKEND_CHOICES,
  BACKEND_KINDS,
  MAX_HISTORY_PAGE_RECORDS,
  MAX_READ_EVENTS,
  MAX_RECORDING_CHARS,
  PAGE_STATES,
  type ClientFrame,
  type DeviceFileInfo,
  type DiscoveredProcess,
  type HelloResult,
  type JournalHistory,
  type PushBatch,
  type ProcessIdentity,
  type PushItem,
  type ReplayAction,
  type ReplayState,
  type Request,
  type Response,
  type ResultFor,
  type ResultOf,
  type SessionState,
  type WireBackendInfo,
  type WireError,
} from './messages';

export { CodecError } from './codec/fields';

const REPLAY_ACTIONS: readonly ReplayAction[] = ['play', 'pause', 'step', 'speed', 'seek'];
const REQUEST_KINDS: readonly Request['kind'][] = [
  'hello',
  'history',
  'newSession',
  'op',
  'setAutoRead',
  'startRecording',
  'stopRecording',
  'openRecording',
  'openProcessRecording',
  'replayControl',
  'listProcesses',
  'attach',
  'detach',
  'watchProcesses',
];
const PUSH_KINDS: readonly PushItem['kind'][] = ['state', 'snapshot', 'record', 'summary', 'error'];
const MAX_ID = Number.MAX_SAFE_INTEGER;
/** Linux's PID_MAX_LIMIT and a descriptor bound well above any RLIMIT_NOFILE. */
const MAX_PID = 1 << 22;
const MAX_FD = 2 ** 31 - 1;

// ---------------------------------------------------------------------------
// Requests

export function encodeRequest(request: Request): JsonObject {
  return request.kind === 'op' ? { kind: request.kind, op: encodeSessionOp(request.op) } : { ...request };
}

export function decodeRequest(value: unknown, path = 'request'): Request {
  const f = Fields.of(value, path);
  const kind = f.oneOf('kind', REQUEST_KINDS);
  const historyLimit = (v: unknown, p: string): number => integer(v, p, 1, MAX_HISTORY_PAGE_RECORDS);
  switch (kind) {
    case 'hello': {
      f.only(['kind', 'from', 'limit', 'summaries']);
      const from = f.optional('from', count);
      const limit = f.optional('limit', historyLimit);
      const summaries = f.optional('summaries', boolean);
      return { kind, ...(from !== undefined && { from }), ...(limit !== undefined && { limit }), ...(summaries !== undefined && { summaries }) };
    }
    case 'history':
      f.only(['kind', 'sessionId', 'from', 'limit']);
      return { kind, sessionId: f.count('sessionId'), from: f.count('from'), limit: f.read('limit', historyLimit) };
    case 'listProcesses':
      f.only(['kind']);
      return { kind };
    case 'watchProcesses': {
      f.only(['kind', 'limit']);
      const limit = f.optional('limit', historyLimit);
      return { kind, ...(limit !== undefined && { limit }) };
    }
    case 'startRecording':
    case 'stopRecording': {
      f.only(['kind', 'sessionId']);
      const sessionId = f.optional('sessionId', count);
      return sessionId === undefined ? { kind } : { kind, sessionId };
    }
    case 'attach': {
      f.only(['kind', 'pid', 'fd']);
      const fd = f.optional('fd', (v, p) => integer(v, p, 0, MAX_FD));
      return { kind, pid: f.integer('pid', 1, MAX_PID), ...(fd !== undefined && { fd }) };
    }
    case 'detach':
      f.only(['kind', 'sessionId']);
      return { kind, sessionId: f.count('sessionId') };
    case 'newSession':
      f.only(['kind', 'backend']);
      return { kind, backend: f.oneOf('backend', BACKEND_CHOICES) };
    case 'op':
      f.only(['kind', 'op']);
      return { kind, op: f.read('op', decodeSessionOp) };
    case 'setAutoRead':
      f.only(['kind', 'enabled', 'maxEvents']);
      return { kind, enabled: f.boolean('enabled'), maxEvents: f.integer('maxEvents', 1, MAX_READ_EVENTS) };
    case 'openRecording':
    case 'openProcessRecording':
      f.only(['kind', 'name', 'text']);
      return { kind, name: f.string('name', 4096), text: f.string('text', MAX_RECORDING_CHARS) };
    case 'replayControl': {
      f.only(['kind', 'action', 'speed', 'position']);
      const action = f.oneOf('action', REPLAY_ACTIONS);
      const speed = f.optional('speed', finite);
      if (action === 'speed' && (speed === undefined || speed <= 0 || speed > 1000)) {
        throw new CodecError(f.at('speed'), 'expected a number in (0, 1000]');
      }
      const position = f.optional('position', (v, path) => integer(v, path, 0, 2 ** 31));
      if (action === 'seek' && position === undefined) throw new CodecError(f.at('position'), 'expected an integer');
      return { kind, action, ...(speed !== undefined && { speed }), ...(position !== undefined && { position }) };
    }
  }
}

// ---------------------------------------------------------------------------
// Session state and errors (already JSON: u64 as hex strings)

function decodeBackendInfo(value: unknown, path: string): WireBackendInfo {
  const f = Fields.of(value, path).only(['kind', 'description', 'supportedFeatures', 'pageSize', 'kernelRelease', 'process']);
  const info: WireBackendInfo = {
    kind: f.oneOf('kind', BACKEND_KINDS),
    description: f.string('description', 4096),
    supportedFeatures: f.u32('supportedFeatures'),
    pageSize: f.integer('pageSize', 1, 1 << 30),
  };
  const kernelRelease = f.optional('kernelRelease', (v, p) => string(v, p, 256));
  const process = f.optional('process', decodeProcessIdentity);
  return { ...info, ...(kernelRelease !== undefined && { kernelRelease }), ...(process !== undefined && { process }) };
}

/** Also the recording header's `process` field. */
export function decodeProcessIdentity(value: unknown, path: string): ProcessIdentity {
  const f = Fields.of(value, path).only(['pid', 'fd', 'command', 'rank', 'host']);
  return {
    pid: f.integer('pid', 1, MAX_PID),
    fd: f.integer('fd', 0, MAX_FD),
    command: f.string('command', 65536),
    rank: f.nullable('rank', (v, p) => string(v, p, 256)),
    host: f.string('host', 256),
  };
}

function decodeDeviceFileInfo(value: unknown, path: string): DeviceFileInfo {
  const f = Fields.of(value, path).only(['registrations', 'queued', 'counter', 'features', 'monitors', 'ownerAlive']);
  return {
    registrations: f.count('registrations'),
    queued: f.count('queued'),
    counter: f.hex('counter'),
    features: f.u32('features'),
    monitors: f.count('monitors'),
    ownerAlive: f.boolean('ownerAlive'),
  };
}

function decodeDiscoveredProcess(value: unknown, path: string): DiscoveredProcess {
  const f = Fields.of(value, path).only(['pid', 'fd', 'command', 'rank', 'host', 'file', 'attachable', 'problem', 'sessionId']);
  const found: DiscoveredProcess = {
    pid: f.integer('pid', 1, MAX_PID),
    fd: f.nullable('fd', (v, p) => integer(v, p, 0, MAX_FD)),
    command: f.string('command', 65536),
    rank: f.nullable('rank', (v, p) => string(v, p, 256)),
    host: f.string('host', 256),
    file: f.nullable('file', decodeDeviceFileInfo),
    attachable: f.boolean('attachable'),
    sessionId: f.nullable('sessionId', count),
  };
  const problem = f.optional('problem', (v, p) => string(v, p, 4096));
  return problem === undefined ? found : { ...found, problem };
}

function decodeReplayState(value: unknown, path: string): ReplayState {
  const f = Fields.of(value, path).only(['playing', 'speed', 'position', 'total']);
  return { playing: f.boolean('playing'), speed: f.finite('speed'), position: f.count('position'), total: f.count('total') };
}

function decodeArenaPage(value: unknown, path: string): ArenaPage {
  const f = Fields.of(value, path).only(['state', 'prot']);
  return { state: f.oneOf('state', PAGE_STATES), prot: f.nullable('prot', (v, p) => oneOf(v, PROTECTIONS, p)) };
}

export function decodeSessionState(value: unknown, path = 'state'): SessionState {
  const f = Fields.of(value, path).only([
    'sessionId',
    'backend',
    'selection',
    'arena',
    'features',
    'autoRead',
    'autoReadEvents',
    'counter',
    'lastLastCounter',
    'recording',
    'replay',
    'dead',
    'pages',
  ]);
  const arena = f.object('arena').only(['base', 'pages', 'pageSize']);
  const features = f.nullable('features', (v, p) => {
    const g = Fields.of(v, p).only(['requested', 'granted']);
    return { requested: g.u32('requested'), granted: g.u32('granted') };
  });
  const state: SessionState = {
    sessionId: f.count('sessionId'),
    backend: f.read('backend', decodeBackendInfo),
    selection: f.string('selection', 4096),
    arena: { base: arena.hex('base'), pages: arena.integer('pages', 0, 1 << 24), pageSize: arena.integer('pageSize', 1, 1 << 30) },
    features,
    autoRead: f.boolean('autoRead'),
    autoReadEvents: f.integer('autoReadEvents', 1, MAX_READ_EVENTS),
    counter: f.hex('counter'),
    lastLastCounter: f.nullable('lastLastCounter', hex),
    recording: f.boolean('recording'),
    replay: f.nullable('replay', decodeReplayState),
    dead: f.boolean('dead'),
  };
  const pages = f.optional('pages', (v, p) => array(v, p, decodeArenaPage, 1 << 24));
  return pages === undefined ? state : { ...state, pages };
}

export function decodeError(value: unknown, path = 'error'): WireError {
  const f = Fields.of(value, path).only(['code', 'message', 'line', 'problem']);
  const error: WireError = { code: f.string('code', 64), message: f.string('message', 65536) };
  const line = f.optional('line', (v, p) => integer(v, p, 1, Number.MAX_SAFE_INTEGER));
  const problem = f.optional('problem', (v, p) => string(v, p, 65536));
  return { ...error, ...(line === undefined ? {} : { line }), ...(problem === undefined ? {} : { problem }) };
}

// ---------------------------------------------------------------------------
// Responses

const errorJson = (error: WireError): JsonObject => ({ ...error }) as JsonObject;

const noResult = (value: unknown, path: string): null => {
  if (value !== null) throw new CodecError(path, 'expected null');
  return null;
};

function decodeHistory(value: unknown, path: string): JournalHistory {
  const f = Fields.of(value, path).only(['first', 'records', 'end']);
  const history = { first: f.count('first'), records: f.array('records', decodeJournalRecord), end: f.count('end') };
  if (history.end < history.first + history.records.length) throw new CodecError(f.at('end'), 'expected at least first + the number of records');
  return history;
}

const encodeHistory = (history: JournalHistory): JsonObject => ({ first: history.first, records: history.records.map(encodeJournalRecord), end: history.end });

const encodeHello = (hello: HelloResult): JsonObject => ({
  state: hello.state as unknown as JsonObject,
  snapshot: hello.snapshot && encodeSnapshot(hello.snapshot),
  history: encodeHistory(hello.history),
  ...(hello.clockOrigin !== undefined && { clockOrigin: hello.clockOrigin }),
});

function decodeHello(value: unknown, path: string): HelloResult {
  const f = Fields.of(value, path).only(['state', 'snapshot', 'history', 'clockOrigin']);
  const hello: HelloResult = { state: f.read('state', decodeSessionState), snapshot: f.nullable('snapshot', decodeSnapshot), history: f.read('history', decodeHistory) };
  if (f.has('clockOrigin')) hello.clockOrigin = f.finite('clockOrigin');
  return hello;
}

function encodeResult(request: Request, result: ResultOf[Request['kind']]): Json {
  switch (request.kind) {
    case 'op':
      return encodeOpResult(request.op, result as OpResultFor<typeof request.op>);
    case 'hello':
      return encodeHello(result as HelloResult);
    case 'history':
      return encodeHistory(result as JournalHistory);
    case 'watchProcesses':
      return (result as HelloResult[]).map(encodeHello);
    case 'listProcesses':
      return result as unknown as JsonObject[];
    default:
      return result as Json;
  }
}

function decodeResult<R extends Request>(request: R, value: unknown, path: string): ResultFor<R> {
  const req: Request = request;
  const decoded = ((): ResultOf[Request['kind']] => {
    switch (req.kind) {
      case 'op':
        return decodeOpResult(req.op, value, path);
      case 'hello':
        return decodeHello(value, path);
      case 'history':
        return decodeHistory(value, path);
      case 'watchProcesses':
        return array(value, path, decodeHello, 1 << 16);
      case 'listProcesses':
        return array(value, path, decodeDiscoveredProcess, 1 << 22);
      case 'newSession':
      case 'openRecording':
      case 'openProcessRecording':
      case 'attach':
        return decodeSessionState(value, path);
      case 'stopRecording': {
        const f = Fields.of(value, path).only(['fileName', 'text']);
        return { fileName: f.string('fileName', 4096), text: f.string('text', MAX_RECORDING_CHARS) };
      }
      default:
        return noResult(value, path);
    }
  })();
  return decoded as ResultFor<R>;
}

export function encodeResponse(request: Request, response: Response): JsonObject {
  return response.ok ? { ok: true, result: encodeResult(request, response.result) } : { ok: false, error: errorJson(response.error) };
}

/** The response to `request`: its result is decoded by what the request asked for. */
export function decodeResponse<R extends Request>(request: R, value: unknown, path = 'response'): Response<R> {
  const f = Fields.of(value, path);
  if (f.boolean('ok')) {
    f.only(['ok', 'result']);
    return { ok: true, result: f.read('result', (v, p) => decodeResult(request, v, p)) };
  }
  f.only(['ok', 'error']);
  return { ok: false, error: f.read('error', decodeError) };
}

// ---------------------------------------------------------------------------
// Pushed batches

function encodePushItem(item: PushItem): JsonObject {
  switch (item.kind) {
    case 'state':
      return { kind: item.kind, state: item.state as unknown as JsonObject };
    case 'snapshot':
      return { kind: item.kind, at: item.at, snapshot: encodeSnapshot(item.snapshot) };
    case 'record':
      return { kind: item.kind, n: item.n, record: encodeJournalRecord(item.record) };
    case 'summary':
      return { kind: item.kind, summary: encodeSummary(item.summary) };
    case 'error':
      return { kind: item.kind, at: item.at, op: item.op, error: errorJson(item.error) };
  }
}

function decodePushItem(value: unknown, path: string): PushItem {
  const f = Fields.of(value, path);
  const kind = f.oneOf('kind', PUSH_KINDS);
  switch (kind) {
    case 'state':
      f.only(['kind', 'state']);
      return { kind, state: f.read('state', decodeSessionState) };
    case 'snapshot':
      f.only(['kind', 'at', 'snapshot']);
      return { kind, at: f.finite('at'), snapshot: f.read('snapshot', decodeSnapshot) };
    case 'record':
      f.only(['kind', 'n', 'record']);
      return { kind, n: f.count('n'), record: f.read('record', decodeJournalRecord) };
    case 'summary':
      f.only(['kind', 'summary']);
      return { kind, summary: f.read('summary', decodeSummary) };
    case 'error':
      f.only(['kind', 'at', 'op', 'error']);
      return { kind, at: f.finite('at'), op: f.string('op', 64), error: f.read('error', decodeError) };
  }
}

export const encodePushBatch = (batch: PushBatch): JsonObject => ({ sessionId: batch.sessionId, seq: batch.seq, items: batch.items.map(encodePushItem) });

export function decodePushBatch(value: unknown, path = 'batch'): PushBatch {
  const f = Fields.of(value, path).only(['sessionId', 'seq', 'items']);
  return { sessionId: f.count('sessionId'), seq: f.count('seq'), items: f.array('items', decodePushItem) };
}

// ---------------------------------------------------------------------------
// WebSocket frames

export const encodeClientFrame = (frame: ClientFrame): JsonObject => ({ id: frame.id, request: encodeRequest(frame.request) });

export function decodeClientFrame(value: unknown): ClientFrame {
  const f = Fields.of(value, 'frame').only(['id', 'request']);
  return { id: f.integer('id', 0, MAX_ID), request: f.read('request', decodeRequest) };
}

/** The id of a client frame that did not decode, when it has a usable one (to answer it). */
export function clientFrameId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID ? id : null;
}

export const responseFrame = (id: number, request: Request, response: Response): JsonObject => ({
  type: 'response',
  id,
  response: encodeResponse(request, response),
});

/** The error answer to frame `id`, whose request could not be decoded. */
export const errorResponseFrame = (id: number, error: WireError): JsonObject => ({ type: 'response', id, response: { ok: false, error: errorJson(error) } });

export const pushFrame = (batch: PushBatch): JsonObject => ({ type: 'push', batch: encodePushBatch(batch) });

/** A monitor session's batch (only to a viewer that sent `watchProcesses`). */
export const monitorPushFrame = (batch: PushBatch): JsonObject => ({ type: 'monitorPush', batch: encodePushBatch(batch) });

/** The answer to a frame with no usable id (a frame with one gets an error response). */
export const refusedFrame = (error: WireError): JsonObject => ({ type: 'refused', error: errorJson(error) });

/**
 * Server frames are decoded in two steps: the envelope here, a response's
 * body by the client that knows which request it answers.
 */
export type ServerEnvelope =
  | { type: 'response'; id: number; response: unknown }
  | { type: 'push'; batch: PushBatch }
  | { type: 'monitorPush'; batch: PushBatch }
  | { type: 'refused'; error: WireError };

export function decodeServerFrame(value: unknown): ServerEnvelope {
  const f = Fields.of(value, 'frame');
  const type = f.oneOf('type', ['response', 'push', 'monitorPush', 'refused'] as const);
  switch (type) {
    case 'response':
      f.only(['type', 'id', 'response']);
      return { type, id: f.integer('id', 0, MAX_ID), response: f.get('response') };
    case 'push':
    case 'monitorPush':
      f.only(['type', 'batch']);
      return { type, batch: f.read('batch', decodePushBatch) };
    case 'refused':
      f.only(['type', 'error']);
      return { type, error: f.read('error', decodeError) };
  }
}
