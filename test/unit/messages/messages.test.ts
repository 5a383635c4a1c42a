import { describe, expect, test } from 'vitest';
import {
  MessageError,
  validateClientFrame,
  validatePushBatch,
  validateRequest,
  validateResponse,
  validateServerFrame,
  type PushItem,
  type Request,
  type RequestKind,
  type ResultOf,
  type SessionState,
  type WireQuerySnapshot,
} from '../../../src/shared/messages';

const requests: { [K in RequestKind]: Extract<Request, { kind: K }> } = {
  hello: { kind: 'hello' },
  newSession: { kind: 'newSession', backend: 'model' },
  exchangeFeatures: { kind: 'exchangeFeatures', wanted: 0xf },
  register: { kind: 'register', start: '0x7f0000000000', end: '0x7f0000004000', cookie: '0x1', flags: 0 },
  unregister: { kind: 'unregister', cookie: '0xffffffffffffffff' },
  read: { kind: 'read', maxEvents: 128 },
  setAutoRead: { kind: 'setAutoRead', enabled: true, maxEvents: 1 },
  lab: { kind: 'lab', lab: { op: 'madvise', page: 1, pages: 2, advice: 'DONTNEED' } },
  query: { kind: 'query' },
  startRecording: { kind: 'startRecording' },
  stopRecording: { kind: 'stopRecording' },
  openRecording: { kind: 'openRecording', name: 'a.ummutrace', text: '{}\n' },
  replayControl: { kind: 'replayControl', action: 'speed', speed: 2 },
};

const state: SessionState = {
  sessionId: 3,
  backend: { kind: 'model', description: 'model', supportedFeatures: 15, pageSize: 4096 },
  selection: 'model: /dev/ummunotify not present (module not loaded)',
  arena: { base: '0x7f0000000000', pages: 64, pageSize: 4096 },
  features: { requested: 0, granted: 8 },
  autoRead: false,
  autoReadEvents: 16,
  counter: '0x2',
  lastLastCounter: null,
  recording: false,
  replay: { playing: false, speed: 1, position: 0, total: 5 },
  dead: false,
};

const snapshot: WireQuerySnapshot = {
  counter: '0x1',
  flags: 1,
  registrations: [
    { start: '0x1000', end: '0x3000', cookie: '0x7', hintStart: '0x1000', hintEnd: '0x2000', state: 3, reasonFlags: 0x10000, filter: 0 },
  ],
  queue: ['0x7'],
};

const event = { type: 0 as const, flags: 1, hintStart: '0x1000', hintEnd: '0x2000', cookieOrCounter: '0x7' };

const results: { [K in RequestKind]: ResultOf[K] } = {
  hello: { state, snapshot },
  newSession: state,
  exchangeFeatures: { granted: 9 },
  register: null,
  unregister: null,
  read: { events: [event, { type: 1, flags: 0, hintStart: '0x0', hintEnd: '0x0', cookieOrCounter: '0x1' }] },
  setAutoRead: null,
  lab: { result: { op: 'mremap', start: '0x1000', end: '0x3000', movedTo: { start: '0x9000', end: '0xa000' } } },
  query: { snapshot },
  startRecording: null,
  stopRecording: { fileName: 'session.ummutrace', text: '{}\n' },
  openRecording: state,
  replayControl: null,
};

const pushItems: PushItem[] = [
  { kind: 'state', state },
  { kind: 'events', at: 12.5, maxEvents: 16, events: [event] },
  { kind: 'notice', at: 13, notice: { kind: 'invalidation', start: '0x1000', end: '0x2000', reason: -1, hits: ['0x7'] } },
  { kind: 'notice', at: 13, notice: { kind: 'lab', result: { op: 'munmap', start: '0x1000', end: '0x2000' } } },
  { kind: 'notice', at: 14, notice: { kind: 'dead' } },
  { kind: 'snapshot', at: 3, snapshot },
  { kind: 'error', at: 15, op: 'autoRead', error: { code: 'RecordingError', message: 'line 3: bad', line: 3, problem: 'bad' } },
];

// JSON round trip: what actually crosses a WebSocket or the structured clone of IPC.
const wire = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('requests', () => {
  test.each(Object.values(requests))('$kind is accepted unchanged', (request) => {
    expect(validateRequest(wire(request))).toEqual(request);
  });

  test.each([
    ['not an object', 'register'],
    ['unknown kind', { kind: 'format' }],
    ['missing field', { kind: 'register', start: '0x1000', end: '0x2000', flags: 0 }],
    ['extra field', { kind: 'query', sneaky: true }],
    ['u64 as a number', { kind: 'unregister', cookie: 7 }],
    ['uppercase hex', { kind: 'unregister', cookie: '0xABC' }],
    ['hex longer than 64 bits', { kind: 'unregister', cookie: '0x10000000000000000' }],
    ['read buffer of zero events', { kind: 'read', maxEvents: 0 }],
    ['read buffer over one page', { kind: 'read', maxEvents: 129 }],
    ['fractional count', { kind: 'read', maxEvents: 1.5 }],
    ['negative flags', { kind: 'register', start: '0x1', end: '0x2', cookie: '0x1', flags: -1 }],
    ['unknown lab op', { kind: 'lab', lab: { op: 'explode', page: 0, pages: 1 } }],
    ['madvise without advice', { kind: 'lab', lab: { op: 'madvise', page: 0, pages: 1 } }],
    ['unknown advice', { kind: 'lab', lab: { op: 'madvise', page: 0, pages: 1, advice: 'HUGEPAGE' } }],
    ['unknown backend', { kind: 'newSession', backend: 'monitor' }],
    ['speed without a value', { kind: 'replayControl', action: 'speed' }],
    ['seek without a position', { kind: 'replayControl', action: 'seek' }],
    ['seek to a fractional position', { kind: 'replayControl', action: 'seek', position: 1.5 }],
    ['null', null],
    ['array', [{ kind: 'hello' }]],
  ])('rejects %s', (_what, value) => {
    expect(() => validateRequest(value)).toThrow(MessageError);
  });

  test('a rejection names the offending field', () => {
    expect(() => validateRequest({ kind: 'register', start: '0x1', end: 'nope', cookie: '0x1', flags: 0 })).toThrow(/request\.end/);
  });
});

describe('responses', () => {
  test.each(Object.keys(results) as RequestKind[])('the result of %s is accepted unchanged', (kind) => {
    expect(validateResponse(kind, wire({ ok: true, result: results[kind] }))).toEqual({ ok: true, result: results[kind] });
  });

  test('an error response keeps the recording line and problem', () => {
    const error = { code: 'RecordingError', message: 'line 2: truncated', line: 2, problem: 'truncated' };
    expect(validateResponse('openRecording', { ok: false, error })).toEqual({ ok: false, error });
  });

  test.each([
    ['a result of the wrong shape', 'read', { ok: true, result: { events: [{ type: 2 }] } }],
    ['a non-null result where null is due', 'register', { ok: true, result: {} }],
    ['a missing ok', 'query', { result: { snapshot } }],
    ['an error without a message', 'query', { ok: false, error: { code: 'EINVAL' } }],
    ['a state with an extra field', 'newSession', { ok: true, result: { ...state, extra: 1 } }],
  ] as const)('rejects %s', (_what, kind, value) => {
    expect(() => validateResponse(kind, value)).toThrow(MessageError);
  });
});

describe('pushed batches and frames', () => {
  test('every push item kind is accepted unchanged', () => {
    const batch = { sessionId: 3, seq: 0, items: pushItems };
    expect(validatePushBatch(wire(batch))).toEqual(batch);
  });

  test.each([
    ['an unknown item kind', { kind: 'gossip' }],
    ['events with a bad event', { kind: 'events', at: 0, maxEvents: 1, events: [{ ...event, hintEnd: 4096 }] }],
    ['a snapshot with a bad queue', { kind: 'snapshot', at: 3, snapshot: { ...snapshot, queue: [7] } }],
    ['a state missing its counter', { kind: 'state', state: { ...state, counter: undefined } }],
  ])('rejects %s', (_what, item) => {
    expect(() => validatePushBatch({ sessionId: 1, seq: 0, items: [item] })).toThrow(MessageError);
  });

  test('client frames carry an id and a valid request', () => {
    expect(validateClientFrame({ id: 4, request: { kind: 'hello' } })).toEqual({ id: 4, request: { kind: 'hello' } });
    expect(() => validateClientFrame({ id: -1, request: { kind: 'hello' } })).toThrow(MessageError);
    expect(() => validateClientFrame({ id: 1, request: { kind: 'nope' } })).toThrow(MessageError);
  });

  test('server frames: responses are passed on for the caller to check, pushes are checked', () => {
    expect(validateServerFrame({ type: 'response', id: 1, response: { ok: true, result: null } })).toEqual({
      type: 'response',
      id: 1,
      response: { ok: true, result: null },
    });
    expect(() => validateServerFrame({ type: 'push', batch: { sessionId: 1, seq: 0, items: [{ kind: 'x' }] } })).toThrow(MessageError);
    expect(() => validateServerFrame({ type: 'shout' })).toThrow(MessageError);
  });
});
