import { describe, expect, test } from 'vitest';
import {
  CodecError,
  clientFrameId,
  decodeClientFrame,
  decodePushBatch,
  decodeRequest,
  decodeResponse,
  decodeServerFrame,
  encodePushBatch,
  encodeRequest,
  encodeResponse,
  monitorPushFrame,
} from '../../../src/shared/message-codec';
import type { QuerySnapshot, UmmuEvent } from '../../../src/shared/domain';
import type { PushItem, Request, ResultFor, SessionState } from '../../../src/shared/messages';

const requests: Request[] = [
  { kind: 'hello' },
  { kind: 'newSession', backend: 'model' },
  { kind: 'op', op: { op: 'negotiateFeatures', requested: 0xf } },
  { kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000004000n, cookie: 1n, flags: 0 } },
  { kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000004000n, cookie: 2n, flags: 0, withSlot: true } },
  { kind: 'op', op: { op: 'unregister', cookie: 0xffff_ffff_ffff_ffffn } },
  { kind: 'op', op: { op: 'read', maxEvents: 128 } },
  { kind: 'op', op: { op: 'query' } },
  { kind: 'op', op: { op: 'lab', lab: { op: 'madvise', page: 1, pages: 2, advice: 'DONTNEED' } } },
  { kind: 'op', op: { op: 'lab', lab: { op: 'mremap', page: 1, pages: 2, newPages: 3, newPage: 9 } } },
  { kind: 'setAutoRead', enabled: true, maxEvents: 1 },
  { kind: 'startRecording' },
  { kind: 'stopRecording' },
  { kind: 'openRecording', name: 'a.ummutrace', text: '{}\n' },
  { kind: 'openProcessRecording', name: 'rank0.ummutrace', text: '{}\n' },
  { kind: 'replayControl', action: 'speed', speed: 2 },
  { kind: 'startRecording', sessionId: 4 },
  { kind: 'stopRecording', sessionId: 4 },
  { kind: 'listProcesses' },
  { kind: 'attach', pid: 4242 },
  { kind: 'attach', pid: 4242, fd: 5 },
  { kind: 'detach', sessionId: 4 },
  { kind: 'watchProcesses' },
  { kind: 'watchProcesses', limit: 5000 },
  { kind: 'hello', from: 12, limit: 2000 },
  { kind: 'hello', summaries: true },
  { kind: 'history', sessionId: 3, from: 0, limit: 1 },
];

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

const snapshot: QuerySnapshot = {
  counter: 1n,
  flags: 1,
  registrations: [
    { start: 0x1000n, end: 0x3000n, cookie: 7n, hintStart: 0x1000n, hintEnd: 0x2000n, state: 3, reasonFlags: 0x10000, filter: 0 },
    { start: 0x1000n, end: 0x3000n, cookie: 8n, hintStart: 0n, hintEnd: 0n, state: 0, reasonFlags: 0, filter: 0, slot: { slot: 4194303, generation: 0xffff_ffff_ffff_fffen } },
  ],
  queue: [7n],
};

const event: UmmuEvent = { type: 0, flags: 1, hintStart: 0x1000n, hintEnd: 0x2000n, cookieOrCounter: 7n };
const last: UmmuEvent = { type: 1, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n };

const monitorState: SessionState = {
  ...state,
  sessionId: 4,
  backend: {
    kind: 'monitor',
    description: 'monitor of PID 4242 fd 5: regcache-demo --wait (rank 3 on node7)',
    supportedFeatures: 24,
    pageSize: 4096,
    kernelRelease: '6.12.95+deb12-amd64',
    process: { pid: 4242, fd: 5, command: 'regcache-demo --wait', rank: '3', host: 'node7' },
  },
  replay: null,
};

/** Each request with a result of its type. */
const answered: [Request, ResultFor<Request>][] = [
  [{ kind: 'hello' }, { state, snapshot, history: { first: 4, records: [{ kind: 'events', t: 2, events: [event, last], maxEvents: 8 }], end: 5 } }],
  [{ kind: 'newSession', backend: 'model' }, state],
  [{ kind: 'history', sessionId: 3, from: 7, limit: 2 }, { first: 7, records: [{ kind: 'events', t: 3, events: [event], maxEvents: 8 }], end: 9 }],
  [{ kind: 'op', op: { op: 'negotiateFeatures', requested: 1 } }, 9],
  [{ kind: 'op', op: { op: 'register', start: 0n, end: 1n, cookie: 1n, flags: 0 } }, null],
  [{ kind: 'op', op: { op: 'register', start: 0n, end: 1n, cookie: 1n, flags: 0, withSlot: true } }, { slot: 3, generation: 0xffff_ffff_ffff_ffffn }],
  [{ kind: 'op', op: { op: 'read', maxEvents: 4 } }, [event, last]],
  [{ kind: 'op', op: { op: 'query' } }, snapshot],
  [{ kind: 'op', op: { op: 'lab', lab: { op: 'mremap', page: 1, pages: 2, newPages: 1 } } }, { op: 'mremap', start: 0x1000n, end: 0x3000n, movedTo: { start: 0x9000n, end: 0xa000n } }],
  [{ kind: 'stopRecording' }, { fileName: 'session.ummutrace', text: '{}\n' }],
  [{ kind: 'openRecording', name: 'x', text: '' }, state],
  [{ kind: 'openProcessRecording', name: 'x', text: '' }, state],
  [{ kind: 'replayControl', action: 'play' }, null],
  [
    { kind: 'listProcesses' },
    [
      {
        pid: 4242,
        fd: 5,
        command: 'regcache-demo --wait',
        rank: '3',
        host: 'node7',
        file: { registrations: 12, queued: 1, counter: '0x9', features: 0, monitors: 1, ownerAlive: true },
        attachable: true,
        sessionId: 4,
      },
      { pid: 1, fd: null, command: '/sbin/init', rank: null, host: 'node7', file: null, attachable: false, problem: 'owned by uid 0: cannot read /proc/1/fd (EACCES)', sessionId: null },
    ],
  ],
  [{ kind: 'attach', pid: 4242 }, monitorState],
  [{ kind: 'detach', sessionId: 4 }, null],
  [{ kind: 'watchProcesses' }, [{ state: monitorState, snapshot, history: { first: 0, records: [{ kind: 'notice', t: 1, notice: { kind: 'gap', firstSeq: 2n, lastSeq: 9n } }], end: 1 } }]],
];

const pushItems: PushItem[] = [
  { kind: 'state', state },
  { kind: 'record', n: 0, record: { kind: 'op', t: 1, op: { op: 'register', start: 0x1000n, end: 0x2000n, cookie: 7n, flags: 0 }, outcome: { ok: true, result: null } } },
  { kind: 'record', n: 1, record: { kind: 'op', t: 2, op: { op: 'unregister', cookie: 8n }, outcome: { ok: false, error: { code: 'EINVAL', message: 'no such cookie' } } } },
  { kind: 'record', n: 2, record: { kind: 'events', t: 12.5, events: [event], maxEvents: 16 } },
  { kind: 'record', n: 3, record: { kind: 'notice', t: 13, notice: { kind: 'invalidation', start: 0x1000n, end: 0x2000n, reason: 0, hits: [7n] } } },
  { kind: 'record', n: 4, record: { kind: 'notice', t: 13, notice: { kind: 'lab', result: { op: 'munmap', start: 0x1000n, end: 0x2000n } } } },
  { kind: 'record', n: 5, record: { kind: 'notice', t: 14, notice: { kind: 'dead' } } },
  { kind: 'record', n: 6, record: { kind: 'notice', t: 15, notice: { kind: 'gap', firstSeq: 0x10n, lastSeq: 0xffff_ffff_ffff_ffffn } } },
  { kind: 'record', n: 7, record: { kind: 'notice', t: 15, notice: { kind: 'readFault', events: 3 } } },
  { kind: 'record', n: 8, record: { kind: 'notice', t: 16, notice: { kind: 'closed', ownerGone: true } } },
  { kind: 'snapshot', at: 3, snapshot },
  {
    kind: 'summary',
    summary: {
      first: 9, last: 400, t0: 16, t1: 20.5, ops: 200, failed: 1, labOps: 99, invalidations: 100,
      hits: [{ cookie: 7n, count: 60 }, { cookie: 0xffff_ffff_ffff_ffffn, count: 40 }],
      reads: 90, emptyReads: 4, events: 120, drains: 30, deliveries: [{ cookie: 7n, count: 59 }], counter: 100, queued: [0xffff_ffff_ffff_ffffn],
    },
  },
  { kind: 'error', at: 15, op: 'autoRead', error: { code: 'RecordingError', message: 'line 3: bad', line: 3, problem: 'bad' } },
];

// JSON round trip: what actually crosses a WebSocket or IPC.
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('requests', () => {
  test.each(requests.map((r) => [r.kind === 'op' ? `op ${r.op.op}` : r.kind, r] as const))('%s survives encoding and decoding unchanged', (_name, request) => {
    expect(decodeRequest(wire(encodeRequest(request)))).toEqual(request);
  });

  test.each([
    ['not an object', 'register', 'request: expected an object'],
    ['unknown kind', { kind: 'format' }, 'request.kind: expected one of'],
    ['missing field', { kind: 'op', op: { op: 'register', start: '0x1000', end: '0x2000', flags: 0 } }, 'request.op.cookie: missing'],
    ['extra field', { kind: 'hello', sneaky: true }, 'request: unexpected field "sneaky"'],
    ['u64 as a number', { kind: 'op', op: { op: 'unregister', cookie: 7 } }, 'request.op.cookie: expected a 0x-prefixed hex u64'],
    ['uppercase hex', { kind: 'op', op: { op: 'unregister', cookie: '0xABC' } }, 'request.op.cookie: expected a 0x-prefixed hex u64'],
    ['a cookie of 2^64', { kind: 'op', op: { op: 'unregister', cookie: '0x10000000000000000' } }, 'request.op.cookie: expected a 0x-prefixed hex u64'],
    ['a fractional read() buffer', { kind: 'op', op: { op: 'read', maxEvents: 1.5 } }, 'request.op.maxEvents: expected a non-negative integer'],
    ['negative flags', { kind: 'op', op: { op: 'register', start: '0x1', end: '0x2', cookie: '0x1', flags: -1 } }, 'request.op.flags: expected an unsigned 32-bit integer'],
    ['unknown lab op', { kind: 'op', op: { op: 'lab', lab: { op: 'explode', page: 0, pages: 1 } } }, 'request.op.lab.op: expected one of'],
    ['a fractional page count', { kind: 'op', op: { op: 'lab', lab: { op: 'touch', page: 0, pages: 0.5 } } }, 'request.op.lab.pages: expected a non-negative integer'],
    ['madvise without advice', { kind: 'op', op: { op: 'lab', lab: { op: 'madvise', page: 0, pages: 1 } } }, 'request.op.lab.advice: missing'],
    ['unknown backend', { kind: 'newSession', backend: 'monitor' }, 'request.backend: expected one of'],
    ['an auto-read buffer over one page', { kind: 'setAutoRead', enabled: true, maxEvents: 129 }, 'request.maxEvents: expected a whole number in [1, 128]'],
    ['speed without a value', { kind: 'replayControl', action: 'speed' }, 'request.speed: expected a number in (0, 1000]'],
    ['seek without a position', { kind: 'replayControl', action: 'seek' }, 'request.position: expected an integer'],
    ['seek to a fractional position', { kind: 'replayControl', action: 'seek', position: 1.5 }, 'request.position: expected a whole number'],
    ['null', null, 'request: expected an object'],
    ['attach to PID 0', { kind: 'attach', pid: 0 }, 'request.pid: expected a whole number in [1, 4194304]'],
    ['attach to a negative descriptor', { kind: 'attach', pid: 1, fd: -1 }, 'request.fd: expected a whole number'],
    ['detach without a session', { kind: 'detach' }, 'request.sessionId: missing'],
    ['a history page of no records', { kind: 'history', sessionId: 1, from: 0, limit: 0 }, 'request.limit: expected a whole number in [1, 100000]'],
    ['a greeting from a negative record', { kind: 'hello', from: -1 }, 'request.from: expected a non-negative integer'],
    ['a watch with a page of no records', { kind: 'watchProcesses', limit: 0 }, 'request.limit'],
  ])('refuses %s, naming the field', (_what, value, message) => {
    expect(() => decodeRequest(value)).toThrow(CodecError);
    expect(() => decodeRequest(value)).toThrow(message);
  });
});

describe('responses', () => {
  test.each(answered.map(([r, result]) => [r.kind === 'op' ? `op ${r.op.op}` : r.kind, r, result] as const))(
    'the result of %s survives encoding and decoding unchanged',
    (_name, request, result) => {
      expect(decodeResponse(request, wire(encodeResponse(request, { ok: true, result })))).toEqual({ ok: true, result });
    },
  );

  test('an error response keeps the recording line and problem', () => {
    const error = { code: 'RecordingError', message: 'line 2: truncated', line: 2, problem: 'truncated' };
    expect(decodeResponse({ kind: 'openRecording', name: 'x', text: '' }, { ok: false, error })).toEqual({ ok: false, error });
  });

  test.each([
    ['a result of the wrong shape', { kind: 'op', op: { op: 'read', maxEvents: 1 } }, { ok: true, result: [{ type: 2 }] }, 'response.result[0].type'],
    ['a non-null result where null is due', { kind: 'op', op: { op: 'unregister', cookie: 1n } }, { ok: true, result: {} }, 'response.result: expected null'],
    ['a missing ok', { kind: 'hello' }, { result: null }, 'response.ok: missing'],
    ['an error without a message', { kind: 'hello' }, { ok: false, error: { code: 'EINVAL' } }, 'response.error.message: missing'],
    ['a history whose end is before its last record', { kind: 'history', sessionId: 1, from: 0, limit: 5 }, { ok: true, result: { first: 4, records: [{ kind: 'notice', t: 1, notice: { kind: 'dead' } }], end: 4 } }, 'response.result.end'],
    ['a state with an extra field', { kind: 'newSession', backend: 'model' }, { ok: true, result: { ...state, extra: 1 } }, 'unexpected field "extra"'],
  ] as [string, Request, unknown, string][])('refuses %s', (_what, request, value, message) => {
    expect(() => decodeResponse(request, value)).toThrow(message);
  });
});

describe('pushed batches and frames', () => {
  test('every push item kind survives encoding and decoding unchanged', () => {
    const batch = { sessionId: 3, seq: 0, items: pushItems };
    expect(decodePushBatch(wire(encodePushBatch(batch)))).toEqual(batch);
  });

  test.each([
    ['an unknown item kind', { kind: 'gossip' }, 'batch.items[0].kind'],
    ['a record with a bad event', { kind: 'record', n: 0, record: { kind: 'events', t: 0, events: [{ type: 0, flags: 0, hintStart: '0x0', hintEnd: 4096, cookieOrCounter: '0x1' }] } }, 'batch.items[0].record.events[0].hintEnd'],
    ['a snapshot with a bad queue', { kind: 'snapshot', at: 3, snapshot: { counter: '0x0', flags: 0, registrations: [], queue: [7] } }, 'batch.items[0].snapshot.queue[0]'],
    ['a record without its number', { kind: 'record', record: { kind: 'notice', t: 0, notice: { kind: 'dead' } } }, 'batch.items[0].n: missing'],
    [
      'a summary whose cookie count is not a pair',
      { kind: 'summary', summary: { first: 0, last: 1, t0: 0, t1: 1, ops: 0, failed: 0, labOps: 0, invalidations: 0, hits: [['0x7']], reads: 0, emptyReads: 0, events: 0, drains: 0, deliveries: [], counter: 0, queued: [] } },
      'batch.items[0].summary.hits[0]: expected [cookie, count]',
    ],
    [
      'a summary that ends before it starts',
      { kind: 'summary', summary: { first: 5, last: 1, t0: 0, t1: 1, ops: 0, failed: 0, labOps: 0, invalidations: 0, hits: [], reads: 0, emptyReads: 0, events: 0, drains: 0, deliveries: [], counter: 0, queued: [] } },
      'batch.items[0].summary.last',
    ],
  ])('refuses %s, naming the field', (_what, item, message) => {
    expect(() => decodePushBatch({ sessionId: 1, seq: 0, items: [item] })).toThrow(message);
  });

  test('client frames carry an id and a valid request; a bad one still gives its id to answer', () => {
    expect(decodeClientFrame({ id: 4, request: { kind: 'hello' } })).toEqual({ id: 4, request: { kind: 'hello' } });
    expect(() => decodeClientFrame({ id: -1, request: { kind: 'hello' } })).toThrow('frame.id');
    const bad = { id: 1, request: { kind: 'nope' } };
    expect(() => decodeClientFrame(bad)).toThrow('frame.request.kind');
    expect(clientFrameId(bad)).toBe(1);
    expect(clientFrameId({ id: 'x' })).toBeNull();
  });

  test('server frames: responses are passed on for the caller to decode, pushes and refusals are decoded', () => {
    expect(decodeServerFrame({ type: 'response', id: 1, response: { ok: true, result: null } })).toEqual({ type: 'response', id: 1, response: { ok: true, result: null } });
    expect(decodeServerFrame({ type: 'refused', error: { code: 'CodecError', message: 'frame: not JSON' } })).toMatchObject({ type: 'refused' });
    const batch = { sessionId: 4, seq: 0, items: pushItems };
    expect(decodeServerFrame(wire(monitorPushFrame(batch)))).toEqual({ type: 'monitorPush', batch });
    expect(() => decodeServerFrame({ type: 'push', batch: { sessionId: 1, seq: 0, items: [{ kind: 'x' }] } })).toThrow(CodecError);
    expect(() => decodeServerFrame({ type: 'shout' })).toThrow(CodecError);
  });
});
