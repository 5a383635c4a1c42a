// Every message between the core (Electron main or the serve-mode server)
// and the renderer: requests, their results, and pushed batches. Electron
// IPC and the serve-mode WebSocket carry exactly these shapes; channel
// names live here and nowhere else. u64 values travel as hex strings
// (src/shared/u64.ts). Everything received is checked by the validators
// below before it is used.

import type { ArenaPage, LabOp, MadviseAdvice, PageState, Protection } from './domain';
import {
  array,
  boolean,
  finite,
  hex,
  integer,
  MessageError,
  onlyKeys,
  oneOf,
  optional,
  record,
  string,
  u32,
  type Fields,
} from './validate';

export { MessageError } from './validate';

/** Electron IPC channels. */
export const IPC_REQUEST_CHANNEL = 'ummunotify:request';
export const IPC_PUSH_CHANNEL = 'ummunotify:push';
/** Serve mode: the WebSocket path and the query parameter carrying the token. */
export const WS_PATH = '/ws';
export const TOKEN_PARAM = 'token';

/** Largest read() buffer, in events: one page of 32-byte events. */
export const MAX_READ_EVENTS = 128;
/** Largest recording accepted through a message (characters). */
export const MAX_RECORDING_CHARS = 64 << 20;

export type Hex = string;

export type WireEvent = {
  type: 0 | 1;
  flags: number;
  hintStart: Hex;
  hintEnd: Hex;
  cookieOrCounter: Hex;
};

export type WireQueryRegistration = {
  start: Hex;
  end: Hex;
  cookie: Hex;
  hintStart: Hex;
  hintEnd: Hex;
  state: number;
  reasonFlags: number;
  filter: number;
};

export type WireQuerySnapshot = {
  counter: Hex;
  flags: number;
  registrations: WireQueryRegistration[];
  queue: Hex[];
};

export type LabOpName = LabOp['op'];
export const LAB_OPS: readonly LabOpName[] = ['touch', 'read', 'munmap', 'mmap', 'madvise', 'mprotect', 'mremap', 'fork'];
export const MADVISE_ADVICE: readonly MadviseAdvice[] = ['DONTNEED', 'FREE', 'PAGEOUT', 'COLD', 'DONTFORK', 'DOFORK', 'WILLNEED'];
export const PROTECTIONS: readonly Protection[] = ['rw', 'r', 'none'];
export const PAGE_STATES: readonly PageState[] = ['unmapped', 'none', 'zero', 'present'];

export type WireLabResult = {
  op: LabOpName;
  start: Hex;
  end: Hex;
  movedTo?: { start: Hex; end: Hex };
};

export type WireNotice =
  | { kind: 'invalidation'; start: Hex; end: Hex; reason: number; hits: Hex[] }
  | { kind: 'lab'; result: WireLabResult }
  | { kind: 'dead' };

export type BackendKindName = 'model' | 'kernel' | 'replay';
export const BACKEND_KINDS: readonly BackendKindName[] = ['model', 'kernel', 'replay'];
export type BackendChoice = 'auto' | 'model' | 'kernel';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'model', 'kernel'];

export interface WireBackendInfo {
  kind: BackendKindName;
  description: string;
  supportedFeatures: number;
  pageSize: number;
  kernelRelease?: string;
}

export interface ReplayState {
  playing: boolean;
  speed: number;
  /** Entries applied so far, out of `total`. */
  position: number;
  total: number;
}

export interface SessionState {
  /** Changes whenever a new session (backend) replaces the previous one. */
  sessionId: number;
  backend: WireBackendInfo;
  /** Why this backend: "model: /dev/ummunotify not present (module not loaded)". */
  selection: string;
  arena: { base: Hex; pages: number; pageSize: number };
  /** Features the user asked for, and the mask granted (QUERY included); null before EXCHANGE_FEATURES. */
  features: { requested: number; granted: number } | null;
  autoRead: boolean;
  autoReadEvents: number;
  /** The generation counter as the mapped page shows it. */
  counter: Hex;
  /** user_cookie_counter of the last LAST event read; null until one was read. */
  lastLastCounter: Hex | null;
  recording: boolean;
  replay: ReplayState | null;
  dead: boolean;
  /** Per-page state and protection of the arena; absent when the backend cannot tell. */
  pages?: ArenaPage[];
}

export interface WireError {
  /** An errno name (EINVAL...), "RecordingError", "MessageError" or "Error". */
  code: string;
  message: string;
  /** RecordingError: the 1-based line of the recording and what is wrong with it. */
  line?: number;
  problem?: string;
}

/** Things a session pushes, in the order they happened. */
export type PushItem =
  | { kind: 'state'; state: SessionState }
  | { kind: 'events'; at: number; maxEvents: number; events: WireEvent[] }
  | { kind: 'notice'; at: number; notice: WireNotice }
  | { kind: 'snapshot'; at: number; snapshot: WireQuerySnapshot }
  | { kind: 'error'; at: number; op: string; error: WireError };

export interface PushBatch {
  sessionId: number;
  /** Increments by one per batch of a session; a gap means a lost batch. */
  seq: number;
  items: PushItem[];
}

export type Request =
  | { kind: 'hello' }
  | { kind: 'newSession'; backend: BackendChoice }
  | { kind: 'exchangeFeatures'; wanted: number }
  | { kind: 'register'; start: Hex; end: Hex; cookie: Hex; flags: number }
  | { kind: 'unregister'; cookie: Hex }
  | { kind: 'read'; maxEvents: number }
  | { kind: 'setAutoRead'; enabled: boolean; maxEvents: number }
  | { kind: 'lab'; lab: LabOp }
  | { kind: 'query' }
  | { kind: 'startRecording' }
  | { kind: 'stopRecording' }
  | { kind: 'openRecording'; name: string; text: string }
  /** seek: to `position` records applied (0..total). */
  | { kind: 'replayControl'; action: 'play' | 'pause' | 'step' | 'speed' | 'seek'; speed?: number; position?: number };

export type RequestKind = Request['kind'];

export interface HelloResult {
  state: SessionState;
  snapshot: WireQuerySnapshot | null;
}

/** What each request resolves to. */
export interface ResultOf {
  hello: HelloResult;
  newSession: SessionState;
  exchangeFeatures: { granted: number };
  register: null;
  unregister: null;
  read: { events: WireEvent[] };
  setAutoRead: null;
  lab: { result: WireLabResult };
  query: { snapshot: WireQuerySnapshot };
  startRecording: null;
  stopRecording: { fileName: string; text: string };
  openRecording: SessionState;
  replayControl: null;
}

export type RequestOf<K extends RequestKind> = Extract<Request, { kind: K }>;

export type Response<K extends RequestKind = RequestKind> = { ok: true; result: ResultOf[K] } | { ok: false; error: WireError };

/** WebSocket frames (Electron IPC carries the request and response bare). */
export interface ClientFrame {
  id: number;
  request: Request;
}
export type ServerFrame = { type: 'response'; id: number; response: Response } | { type: 'push'; batch: PushBatch };

// ---------------------------------------------------------------------------
// Validators

const REPLAY_ACTIONS = ['play', 'pause', 'step', 'speed', 'seek'] as const;

function fields(value: unknown, path: string, keys: readonly string[]): Fields {
  const f = record(value, path);
  onlyKeys(f, keys, path);
  return f;
}

function pageRange(f: Fields, path: string): { page: number; pages: number } {
  return { page: integer(f.page, `${path}.page`, 0, 1 << 24), pages: integer(f.pages, `${path}.pages`, 1, 1 << 24) };
}

export function validateLabOp(value: unknown, path = 'lab'): LabOp {
  const f = record(value, path);
  const op = oneOf(f.op, LAB_OPS, `${path}.op`);
  switch (op) {
    case 'touch':
    case 'read':
    case 'munmap':
    case 'mmap':
    case 'fork':
      onlyKeys(f, ['op', 'page', 'pages'], path);
      return { op, ...pageRange(f, path) };
    case 'madvise':
      onlyKeys(f, ['op', 'page', 'pages', 'advice'], path);
      return { op, ...pageRange(f, path), advice: oneOf(f.advice, MADVISE_ADVICE, `${path}.advice`) };
    case 'mprotect':
      onlyKeys(f, ['op', 'page', 'pages', 'prot'], path);
      return { op, ...pageRange(f, path), prot: oneOf(f.prot, PROTECTIONS, `${path}.prot`) };
    case 'mremap': {
      onlyKeys(f, ['op', 'page', 'pages', 'newPages', 'newPage'], path);
      const newPages = integer(f.newPages, `${path}.newPages`, 1, 1 << 24);
      const newPage = optional(f.newPage, (v) => integer(v, `${path}.newPage`, 0, 1 << 24));
      return newPage === undefined
        ? { op, ...pageRange(f, path), newPages }
        : { op, ...pageRange(f, path), newPages, newPage };
    }
  }
}

export function validateRequest(value: unknown, path = 'request'): Request {
  const f = record(value, path);
  const kind = oneOf(
    f.kind,
    [
      'hello',
      'newSession',
      'exchangeFeatures',
      'register',
      'unregister',
      'read',
      'setAutoRead',
      'lab',
      'query',
      'startRecording',
      'stopRecording',
      'openRecording',
      'replayControl',
    ] as const,
    `${path}.kind`,
  );
  switch (kind) {
    case 'hello':
    case 'query':
    case 'startRecording':
    case 'stopRecording':
      onlyKeys(f, ['kind'], path);
      return { kind };
    case 'newSession':
      onlyKeys(f, ['kind', 'backend'], path);
      return { kind, backend: oneOf(f.backend, BACKEND_CHOICES, `${path}.backend`) };
    case 'exchangeFeatures':
      onlyKeys(f, ['kind', 'wanted'], path);
      return { kind, wanted: u32(f.wanted, `${path}.wanted`) };
    case 'register':
      onlyKeys(f, ['kind', 'start', 'end', 'cookie', 'flags'], path);
      return {
        kind,
        start: hex(f.start, `${path}.start`),
        end: hex(f.end, `${path}.end`),
        cookie: hex(f.cookie, `${path}.cookie`),
        flags: u32(f.flags, `${path}.flags`),
      };
    case 'unregister':
      onlyKeys(f, ['kind', 'cookie'], path);
      return { kind, cookie: hex(f.cookie, `${path}.cookie`) };
    case 'read':
      onlyKeys(f, ['kind', 'maxEvents'], path);
      return { kind, maxEvents: integer(f.maxEvents, `${path}.maxEvents`, 1, MAX_READ_EVENTS) };
    case 'setAutoRead':
      onlyKeys(f, ['kind', 'enabled', 'maxEvents'], path);
      return {
        kind,
        enabled: boolean(f.enabled, `${path}.enabled`),
        maxEvents: integer(f.maxEvents, `${path}.maxEvents`, 1, MAX_READ_EVENTS),
      };
    case 'lab':
      onlyKeys(f, ['kind', 'lab'], path);
      return { kind, lab: validateLabOp(f.lab, `${path}.lab`) };
    case 'openRecording':
      onlyKeys(f, ['kind', 'name', 'text'], path);
      return { kind, name: string(f.name, `${path}.name`, 4096), text: string(f.text, `${path}.text`, MAX_RECORDING_CHARS) };
    case 'replayControl': {
      onlyKeys(f, ['kind', 'action', 'speed', 'position'], path);
      const action = oneOf(f.action, REPLAY_ACTIONS, `${path}.action`);
      const speed = optional(f.speed, (v) => finite(v, `${path}.speed`));
      if (action === 'speed' && (speed === undefined || speed <= 0 || speed > 1000)) {
        throw new MessageError(`${path}.speed: expected a number in (0, 1000]`);
      }
      const position = optional(f.position, (v) => integer(v, `${path}.position`, 0, 2 ** 31));
      if (action === 'seek' && position === undefined) throw new MessageError(`${path}.position: expected an integer`);
      return { kind, action, ...(speed !== undefined && { speed }), ...(position !== undefined && { position }) };
    }
  }
}

export function validateEvent(value: unknown, path: string): WireEvent {
  const f = fields(value, path, ['type', 'flags', 'hintStart', 'hintEnd', 'cookieOrCounter']);
  return {
    type: oneOf(f.type, [0, 1] as const, `${path}.type`),
    flags: u32(f.flags, `${path}.flags`),
    hintStart: hex(f.hintStart, `${path}.hintStart`),
    hintEnd: hex(f.hintEnd, `${path}.hintEnd`),
    cookieOrCounter: hex(f.cookieOrCounter, `${path}.cookieOrCounter`),
  };
}

const validateEvents = (value: unknown, path: string): WireEvent[] =>
  array(value, path).map((e, i) => validateEvent(e, `${path}[${i}]`));

export function validateSnapshot(value: unknown, path: string): WireQuerySnapshot {
  const f = fields(value, path, ['counter', 'flags', 'registrations', 'queue']);
  return {
    counter: hex(f.counter, `${path}.counter`),
    flags: u32(f.flags, `${path}.flags`),
    registrations: array(f.registrations, `${path}.registrations`).map((r, i) => {
      const p = `${path}.registrations[${i}]`;
      const g = fields(r, p, ['start', 'end', 'cookie', 'hintStart', 'hintEnd', 'state', 'reasonFlags', 'filter']);
      return {
        start: hex(g.start, `${p}.start`),
        end: hex(g.end, `${p}.end`),
        cookie: hex(g.cookie, `${p}.cookie`),
        hintStart: hex(g.hintStart, `${p}.hintStart`),
        hintEnd: hex(g.hintEnd, `${p}.hintEnd`),
        state: u32(g.state, `${p}.state`),
        reasonFlags: u32(g.reasonFlags, `${p}.reasonFlags`),
        filter: u32(g.filter, `${p}.filter`),
      };
    }),
    queue: array(f.queue, `${path}.queue`).map((c, i) => hex(c, `${path}.queue[${i}]`)),
  };
}

function validateRange(value: unknown, path: string): { start: Hex; end: Hex } {
  const f = fields(value, path, ['start', 'end']);
  return { start: hex(f.start, `${path}.start`), end: hex(f.end, `${path}.end`) };
}

export function validateLabResult(value: unknown, path: string): WireLabResult {
  const f = fields(value, path, ['op', 'start', 'end', 'movedTo']);
  const op = oneOf(f.op, LAB_OPS, `${path}.op`);
  const range = validateRange({ start: f.start, end: f.end }, path);
  const movedTo = optional(f.movedTo, (v) => validateRange(v, `${path}.movedTo`));
  return movedTo === undefined ? { op, ...range } : { op, ...range, movedTo };
}

export function validateNotice(value: unknown, path: string): WireNotice {
  const f = record(value, path);
  const kind = oneOf(f.kind, ['invalidation', 'lab', 'dead'] as const, `${path}.kind`);
  switch (kind) {
    case 'invalidation':
      onlyKeys(f, ['kind', 'start', 'end', 'reason', 'hits'], path);
      return {
        kind,
        start: hex(f.start, `${path}.start`),
        end: hex(f.end, `${path}.end`),
        reason: integer(f.reason, `${path}.reason`, -1, 255),
        hits: array(f.hits, `${path}.hits`).map((c, i) => hex(c, `${path}.hits[${i}]`)),
      };
    case 'lab':
      onlyKeys(f, ['kind', 'result'], path);
      return { kind, result: validateLabResult(f.result, `${path}.result`) };
    case 'dead':
      onlyKeys(f, ['kind'], path);
      return { kind };
  }
}

function validateBackendInfo(value: unknown, path: string): WireBackendInfo {
  const f = fields(value, path, ['kind', 'description', 'supportedFeatures', 'pageSize', 'kernelRelease']);
  const info: WireBackendInfo = {
    kind: oneOf(f.kind, BACKEND_KINDS, `${path}.kind`),
    description: string(f.description, `${path}.description`, 4096),
    supportedFeatures: u32(f.supportedFeatures, `${path}.supportedFeatures`),
    pageSize: integer(f.pageSize, `${path}.pageSize`, 1, 1 << 30),
  };
  const kernelRelease = optional(f.kernelRelease, (v) => string(v, `${path}.kernelRelease`, 256));
  return kernelRelease === undefined ? info : { ...info, kernelRelease };
}

function validateReplayState(value: unknown, path: string): ReplayState {
  const f = fields(value, path, ['playing', 'speed', 'position', 'total']);
  return {
    playing: boolean(f.playing, `${path}.playing`),
    speed: finite(f.speed, `${path}.speed`),
    position: integer(f.position, `${path}.position`, 0, Number.MAX_SAFE_INTEGER),
    total: integer(f.total, `${path}.total`, 0, Number.MAX_SAFE_INTEGER),
  };
}

export function validateSessionState(value: unknown, path = 'state'): SessionState {
  const f = fields(value, path, [
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
  const arena = fields(f.arena, `${path}.arena`, ['base', 'pages', 'pageSize']);
  const features =
    f.features === null ? null : fields(f.features, `${path}.features`, ['requested', 'granted']);
  const pages = optional(f.pages, (v) => validateArenaPages(v, `${path}.pages`));
  const state: SessionState = {
    sessionId: integer(f.sessionId, `${path}.sessionId`, 0, Number.MAX_SAFE_INTEGER),
    backend: validateBackendInfo(f.backend, `${path}.backend`),
    selection: string(f.selection, `${path}.selection`, 4096),
    arena: {
      base: hex(arena.base, `${path}.arena.base`),
      pages: integer(arena.pages, `${path}.arena.pages`, 0, 1 << 24),
      pageSize: integer(arena.pageSize, `${path}.arena.pageSize`, 1, 1 << 30),
    },
    features:
      features === null
        ? null
        : {
            requested: u32(features.requested, `${path}.features.requested`),
            granted: u32(features.granted, `${path}.features.granted`),
          },
    autoRead: boolean(f.autoRead, `${path}.autoRead`),
    autoReadEvents: integer(f.autoReadEvents, `${path}.autoReadEvents`, 1, MAX_READ_EVENTS),
    counter: hex(f.counter, `${path}.counter`),
    lastLastCounter: f.lastLastCounter === null ? null : hex(f.lastLastCounter, `${path}.lastLastCounter`),
    recording: boolean(f.recording, `${path}.recording`),
    replay: f.replay === null ? null : validateReplayState(f.replay, `${path}.replay`),
    dead: boolean(f.dead, `${path}.dead`),
  };
  return pages === undefined ? state : { ...state, pages };
}

function validateArenaPages(value: unknown, path: string): ArenaPage[] {
  return array(value, path, 1 << 24).map((entry, i) => {
    const f = fields(entry, `${path}[${i}]`, ['state', 'prot']);
    return {
      state: oneOf(f.state, PAGE_STATES, `${path}[${i}].state`),
      prot: f.prot === null ? null : oneOf(f.prot, PROTECTIONS, `${path}[${i}].prot`),
    };
  });
}

export function validateError(value: unknown, path = 'error'): WireError {
  const f = fields(value, path, ['code', 'message', 'line', 'problem']);
  const error: WireError = { code: string(f.code, `${path}.code`, 64), message: string(f.message, `${path}.message`, 65536) };
  const line = optional(f.line, (v) => integer(v, `${path}.line`, 1, Number.MAX_SAFE_INTEGER));
  const problem = optional(f.problem, (v) => string(v, `${path}.problem`, 65536));
  return { ...error, ...(line === undefined ? {} : { line }), ...(problem === undefined ? {} : { problem }) };
}

const timestamp = (value: unknown, path: string): number => finite(value, path);

export function validatePushItem(value: unknown, path: string): PushItem {
  const f = record(value, path);
  const kind = oneOf(f.kind, ['state', 'events', 'notice', 'snapshot', 'error'] as const, `${path}.kind`);
  switch (kind) {
    case 'state':
      onlyKeys(f, ['kind', 'state'], path);
      return { kind, state: validateSessionState(f.state, `${path}.state`) };
    case 'events':
      onlyKeys(f, ['kind', 'at', 'maxEvents', 'events'], path);
      return {
        kind,
        at: timestamp(f.at, `${path}.at`),
        maxEvents: integer(f.maxEvents, `${path}.maxEvents`, 1, MAX_READ_EVENTS),
        events: validateEvents(f.events, `${path}.events`),
      };
    case 'notice':
      onlyKeys(f, ['kind', 'at', 'notice'], path);
      return { kind, at: timestamp(f.at, `${path}.at`), notice: validateNotice(f.notice, `${path}.notice`) };
    case 'snapshot':
      onlyKeys(f, ['kind', 'at', 'snapshot'], path);
      return { kind, at: timestamp(f.at, `${path}.at`), snapshot: validateSnapshot(f.snapshot, `${path}.snapshot`) };
    case 'error':
      onlyKeys(f, ['kind', 'at', 'op', 'error'], path);
      return {
        kind,
        at: timestamp(f.at, `${path}.at`),
        op: string(f.op, `${path}.op`, 64),
        error: validateError(f.error, `${path}.error`),
      };
  }
}

export function validatePushBatch(value: unknown, path = 'batch'): PushBatch {
  const f = fields(value, path, ['sessionId', 'seq', 'items']);
  return {
    sessionId: integer(f.sessionId, `${path}.sessionId`, 0, Number.MAX_SAFE_INTEGER),
    seq: integer(f.seq, `${path}.seq`, 0, Number.MAX_SAFE_INTEGER),
    items: array(f.items, `${path}.items`).map((item, i) => validatePushItem(item, `${path}.items[${i}]`)),
  };
}

const nullResult = (value: unknown, path: string): null => {
  if (value !== null) throw new MessageError(`${path}: expected null`);
  return null;
};

/** One validator per request kind, for the result that request resolves to. */
const resultValidators: { [K in RequestKind]: (value: unknown, path: string) => ResultOf[K] } = {
  hello: (v, p) => {
    const f = fields(v, p, ['state', 'snapshot']);
    return {
      state: validateSessionState(f.state, `${p}.state`),
      snapshot: f.snapshot === null ? null : validateSnapshot(f.snapshot, `${p}.snapshot`),
    };
  },
  newSession: (v, p) => validateSessionState(v, p),
  exchangeFeatures: (v, p) => ({ granted: u32(fields(v, p, ['granted']).granted, `${p}.granted`) }),
  register: nullResult,
  unregister: nullResult,
  read: (v, p) => ({ events: validateEvents(fields(v, p, ['events']).events, `${p}.events`) }),
  setAutoRead: nullResult,
  lab: (v, p) => ({ result: validateLabResult(fields(v, p, ['result']).result, `${p}.result`) }),
  query: (v, p) => ({ snapshot: validateSnapshot(fields(v, p, ['snapshot']).snapshot, `${p}.snapshot`) }),
  startRecording: nullResult,
  stopRecording: (v, p) => {
    const f = fields(v, p, ['fileName', 'text']);
    return { fileName: string(f.fileName, `${p}.fileName`, 4096), text: string(f.text, `${p}.text`, MAX_RECORDING_CHARS) };
  },
  openRecording: (v, p) => validateSessionState(v, p),
  replayControl: nullResult,
};

export function validateResponse<K extends RequestKind>(kind: K, value: unknown, path = 'response'): Response<K> {
  const f = record(value, path);
  if (f.ok === true) {
    onlyKeys(f, ['ok', 'result'], path);
    return { ok: true, result: resultValidators[kind](f.result, `${path}.result`) };
  }
  if (f.ok === false) {
    onlyKeys(f, ['ok', 'error'], path);
    return { ok: false, error: validateError(f.error, `${path}.error`) };
  }
  throw new MessageError(`${path}.ok: expected a boolean`);
}

export function validateClientFrame(value: unknown): ClientFrame {
  const f = fields(value, 'frame', ['id', 'request']);
  return { id: integer(f.id, 'frame.id', 0, Number.MAX_SAFE_INTEGER), request: validateRequest(f.request, 'frame.request') };
}

/**
 * Server frames are checked in two steps: the envelope here, the response
 * body by the client that knows which request it answers.
 */
export type ServerEnvelope = { type: 'response'; id: number; response: unknown } | { type: 'push'; batch: PushBatch };

export function validateServerFrame(value: unknown): ServerEnvelope {
  const f = record(value, 'frame');
  const type = oneOf(f.type, ['response', 'push'] as const, 'frame.type');
  if (type === 'response') {
    onlyKeys(f, ['type', 'id', 'response'], 'frame');
    return { type, id: integer(f.id, 'frame.id', 0, Number.MAX_SAFE_INTEGER), response: f.response };
  }
  onlyKeys(f, ['type', 'batch'], 'frame');
  return { type, batch: validatePushBatch(f.batch, 'frame.batch') };
}
