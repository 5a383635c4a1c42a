// The backend <-> device-session messages: what one side encodes the other
// decodes to the same values, and malformed messages are refused with a
// message saying what was wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeReply,
  decodeRequest,
  decodeResult,
  encodeReply,
  encodeRequest,
  encodeResult,
  type DeviceRequest,
} from '../../../src/main/core/backends/kernel/protocol';
import { CodecError } from '../../../src/shared/codec/fields';
import type { ArenaPage } from '../../../src/shared/domain';

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

test('every request survives the trip through JSON with its u64 values intact', () => {
  const requests: DeviceRequest[] = [
    { kind: 'open', devicePath: '/dev/ummunotify', arenaPages: 64 },
    { kind: 'op', op: { op: 'negotiateFeatures', requested: 15 } },
    { kind: 'op', op: { op: 'register', start: 0x7fff_ffff_f000n, end: 0xffff_ffff_ffff_ffffn, cookie: 0xdead_beef_0000_0001n, flags: 2 } },
    { kind: 'op', op: { op: 'unregister', cookie: 1n << 63n } },
    { kind: 'op', op: { op: 'read', maxEvents: 128 } },
    { kind: 'op', op: { op: 'query' } },
    { kind: 'op', op: { op: 'lab', lab: { op: 'mremap', page: 1, pages: 2, newPages: 3, newPage: 9 } } },
    { kind: 'op', op: { op: 'lab', lab: { op: 'madvise', page: 0, pages: 1, advice: 'PAGEOUT' } } },
    { kind: 'close' },
  ];
  requests.forEach((request, id) => assert.deepEqual(decodeRequest(roundTrip(encodeRequest(id, request))), { id, request }));
});

test('results and replies decode to what was encoded', () => {
  const events = [{ type: 0 as const, flags: 0x10001, hintStart: 0x1000n, hintEnd: 0x3000n, cookieOrCounter: 7n }];
  const read = { kind: 'op' as const, op: { op: 'read' as const, maxEvents: 4 } };
  assert.deepEqual(decodeResult(read, roundTrip(encodeResult(read, events))), events);
  const lab = { op: 'mremap' as const, start: 0x1000n, end: 0x3000n, movedTo: { start: 0x9000n, end: 0xc000n } };
  const labRequest = { kind: 'op' as const, op: { op: 'lab' as const, lab: { op: 'mremap' as const, page: 1, pages: 2, newPages: 3 } } };
  assert.deepEqual(decodeResult(labRequest, roundTrip(encodeResult(labRequest, lab))), lab);
  const reply = { kind: 'reply' as const, id: 3, ok: false as const, counter: 12n, code: 'EBADF' as const, message: 'closed' };
  assert.deepEqual(decodeReply(roundTrip(encodeReply(reply))), reply);
});

test('malformed messages are refused, naming the field', () => {
  const op = (fields: object): unknown => ({ id: 1, kind: 'op', op: fields });
  assert.throws(() => decodeRequest(op({ op: 'register', start: '12', end: '0x2', cookie: '0x1', flags: 0 })), /request\.op\.start: expected a 0x-prefixed hex u64/);
  assert.throws(() => decodeRequest(op({ op: 'lab', lab: { op: 'madvise', page: 0, pages: 1, advice: 'NOPE' } })), CodecError);
  assert.throws(() => decodeRequest({ id: -1, kind: 'close' }), /request\.id/);
  assert.throws(() => decodeRequest({ id: 1, kind: 'format' }), /request\.kind: expected one of/);
  assert.throws(() => decodeReply({ kind: 'reply', id: 1, ok: false, counter: '0x0', code: 'EWHAT', message: '' }), /reply\.code/);
  assert.throws(() => decodeResult({ kind: 'op', op: { op: 'negotiateFeatures', requested: 0 } }, -1), /op result: expected an unsigned 32-bit integer/);
});

test('readability and page states survive the trip, and a bad page is refused', () => {
  const pages: ArenaPage[] = [
    { state: 'present', prot: 'rw' },
    { state: 'none', prot: 'r' },
    { state: 'zero', prot: 'none' },
    { state: 'unmapped', prot: null },
  ];
  assert.deepEqual(decodeReply(roundTrip(encodeReply({ kind: 'pages', pages, counter: 7n }))), { kind: 'pages', pages, counter: 7n });
  assert.deepEqual(decodeReply(roundTrip(encodeReply({ kind: 'readable', counter: 1n << 63n }))), { kind: 'readable', counter: 1n << 63n });
  assert.throws(() => decodeReply({ kind: 'pages', pages: 'pwu', counter: '0x0' }), CodecError);
  assert.throws(() => decodeReply({ kind: 'pages', pages: 'pwuw', counter: '0x0' }), /bad page 1/);
  assert.throws(() => decodeReply({ kind: 'pages', pages: 'p.', counter: '0x0' }), /bad page 0/);
});
