// The messages between the kernel backend (main process) and the
// device-session process that owns the watched memory map. Both sides
// validate what they receive: the other end is a separate process, and a
// malformed message must become an error, not undefined behaviour. u64
// values travel as 0x-prefixed hex (src/shared/u64.ts).

import type {
  ArenaInfo,
  ArenaPage,
  ErrnoCode,
  LabOp,
  LabResult,
  PageState,
  Protection,
  QueryRegistration,
  QuerySnapshot,
  SessionOpResults,
  UmmuEvent,
} from '../../../../shared/domain';
import { hexToU64, u64ToHex } from '../../../../shared/u64';
import { eventToJson, labResultToJson, snapshotToJson } from '../../../../shared/domain-json';
import { LAB_OPS, MADVISE_ADVICE, PROTECTIONS } from '../../../../shared/messages';

export type DeviceRequest =
  | { kind: 'open'; devicePath: string; arenaPages: number }
  | { kind: 'negotiateFeatures'; requested: number }
  | { kind: 'register'; start: bigint; end: bigint; cookie: bigint; flags: number }
  | { kind: 'unregister'; cookie: bigint }
  | { kind: 'read'; maxEvents: number }
  | { kind: 'query' }
  | { kind: 'lab'; lab: LabOp }
  | { kind: 'close' };

export interface OpenResult {
  pageSize: number;
  kernelRelease: string;
  supportedFeatures: number;
  arena: ArenaInfo;
}

/** What each request answers with. */
/** The session's exchangeFeatures op reaches the device as negotiateFeatures. */
export interface DeviceResults extends Omit<SessionOpResults, 'exchangeFeatures'> {
  open: OpenResult;
  /** The granted mask. */
  negotiateFeatures: number;
  close: null;
}

export type DeviceReply =
  | { kind: 'reply'; id: number; ok: true; counter: bigint; result: unknown }
  | { kind: 'reply'; id: number; ok: false; counter: bigint; code: ErrnoCode; message: string }
  /** The lab op's range, sent before the reply of the lab request that caused it. */
  | { kind: 'invalidation'; start: bigint; end: bigint; hits: bigint[]; counter: bigint }
  /** The file became readable, whatever the cause (sent by the session's readability watcher). */
  | { kind: 'readable'; counter: bigint }
  /** The arena's page states: after open, before each lab reply and before each 'readable'. */
  | { kind: 'pages'; pages: ArenaPage[]; counter: bigint };

export interface RequestEnvelope {
  id: number;
  request: DeviceRequest;
}

const ERRNO_CODES: readonly ErrnoCode[] = ['EINVAL', 'EBADF', 'ENODEV', 'EFAULT', 'ENOMEM', 'ENOSPC', 'EAGAIN', 'ENOENT', 'EACCES'];

// Page states travel as one string, two characters a page (state, protection):
// an arena can have up to a million pages.
const STATE_CODES: Record<PageState, string> = { unmapped: 'u', none: 'n', zero: 'z', present: 'p' };
const PROT_CODES: Record<Protection, string> = { rw: 'w', r: 'r', none: '-' };
const NO_PROT = '.';

export class ProtocolError extends Error {
  constructor(message: string) {
    super(`device-session protocol: ${message}`);
    this.name = 'ProtocolError';
  }
}

type Fields = Record<string, unknown>;

function object(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtocolError(`${what}: expected an object`);
  return value as Fields;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new ProtocolError(`${what}: expected an array`);
  return value;
}

function uint(value: unknown, what: string, max = 0xffffffff): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new ProtocolError(`${what}: expected an integer in [0, ${max}], got ${JSON.stringify(value)}`);
  }
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new ProtocolError(`${what}: expected a string`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ProtocolError(`${what}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function u64(value: unknown, what: string): bigint {
  try {
    return hexToU64(value, what);
  } catch (err) {
    throw new ProtocolError((err as Error).message);
  }
}

export function encodeLabOp(op: LabOp): Fields {
  return { ...op };
}

export function decodeLabOp(value: unknown): LabOp {
  const m = object(value, 'lab op');
  const page = uint(m.page, 'lab op page');
  const pages = uint(m.pages, 'lab op pages');
  switch (m.op) {
    case 'touch':
    case 'read':
    case 'munmap':
    case 'mmap':
    case 'fork':
      return { op: m.op, page, pages };
    case 'madvise':
      return { op: 'madvise', page, pages, advice: oneOf(m.advice, MADVISE_ADVICE, 'madvise advice') };
    case 'mprotect':
      return { op: 'mprotect', page, pages, prot: oneOf(m.prot, PROTECTIONS, 'mprotect prot') };
    case 'mremap': {
      const newPages = uint(m.newPages, 'mremap newPages');
      return m.newPage === undefined
        ? { op: 'mremap', page, pages, newPages }
        : { op: 'mremap', page, pages, newPages, newPage: uint(m.newPage, 'mremap newPage') };
    }
    default:
      throw new ProtocolError(`unknown lab op ${JSON.stringify(m.op)}`);
  }
}

export function encodeRequest(id: number, request: DeviceRequest): Fields {
  switch (request.kind) {
    case 'register':
      return {
        id,
        kind: request.kind,
        start: u64ToHex(request.start),
        end: u64ToHex(request.end),
        cookie: u64ToHex(request.cookie),
        flags: request.flags,
      };
    case 'unregister':
      return { id, kind: request.kind, cookie: u64ToHex(request.cookie) };
    case 'lab':
      return { id, kind: request.kind, lab: encodeLabOp(request.lab) };
    default:
      return { id, ...request };
  }
}

export function decodeRequest(value: unknown): RequestEnvelope {
  const m = object(value, 'request');
  const id = uint(m.id, 'request id', Number.MAX_SAFE_INTEGER);
  const request = ((): DeviceRequest => {
    switch (m.kind) {
      case 'open':
        return { kind: 'open', devicePath: text(m.devicePath, 'devicePath'), arenaPages: uint(m.arenaPages, 'arenaPages', 1 << 20) };
      case 'negotiateFeatures':
        return { kind: 'negotiateFeatures', requested: uint(m.requested, 'requested') };
      case 'register':
        return {
          kind: 'register',
          start: u64(m.start, 'start'),
          end: u64(m.end, 'end'),
          cookie: u64(m.cookie, 'cookie'),
          flags: uint(m.flags, 'flags'),
        };
      case 'unregister':
        return { kind: 'unregister', cookie: u64(m.cookie, 'cookie') };
      case 'read':
        return { kind: 'read', maxEvents: uint(m.maxEvents, 'maxEvents', 1 << 20) };
      case 'query':
        return { kind: 'query' };
      case 'lab':
        return { kind: 'lab', lab: decodeLabOp(m.lab) };
      case 'close':
        return { kind: 'close' };
      default:
        throw new ProtocolError(`unknown request ${JSON.stringify(m.kind)}`);
    }
  })();
  return { id, request };
}

export const encodeEvent = (e: UmmuEvent): Fields => eventToJson(e);

export function decodeEvent(value: unknown): UmmuEvent {
  const m = object(value, 'event');
  const type = uint(m.type, 'event type', 1) as 0 | 1;
  return {
    type,
    flags: uint(m.flags, 'event flags'),
    hintStart: u64(m.hintStart, 'hintStart'),
    hintEnd: u64(m.hintEnd, 'hintEnd'),
    cookieOrCounter: u64(m.cookieOrCounter, 'cookieOrCounter'),
  };
}

function encodeArena(a: ArenaInfo): Fields {
  return { base: u64ToHex(a.base), pages: a.pages, pageSize: a.pageSize };
}

function decodeArena(value: unknown): ArenaInfo {
  const m = object(value, 'arena');
  return { base: u64(m.base, 'arena base'), pages: uint(m.pages, 'arena pages'), pageSize: uint(m.pageSize, 'pageSize') };
}

const encodeSnapshot = (s: QuerySnapshot): Fields => snapshotToJson(s);

function decodeRegistration(value: unknown): QueryRegistration {
  const m = object(value, 'registration');
  return {
    start: u64(m.start, 'start'),
    end: u64(m.end, 'end'),
    cookie: u64(m.cookie, 'cookie'),
    hintStart: u64(m.hintStart, 'hintStart'),
    hintEnd: u64(m.hintEnd, 'hintEnd'),
    state: uint(m.state, 'state'),
    reasonFlags: uint(m.reasonFlags, 'reasonFlags'),
    filter: uint(m.filter, 'filter'),
  };
}

function decodeSnapshot(value: unknown): QuerySnapshot {
  const m = object(value, 'snapshot');
  return {
    counter: u64(m.counter, 'counter'),
    flags: uint(m.flags, 'flags'),
    registrations: array(m.registrations, 'registrations').map(decodeRegistration),
    queue: array(m.queue, 'queue').map((c) => u64(c, 'queue cookie')),
  };
}

const encodeLabResult = (r: LabResult): Fields => labResultToJson(r);


function decodeLabResult(value: unknown): LabResult {
  const m = object(value, 'lab result');
  const result: LabResult = { op: oneOf(m.op, LAB_OPS, 'lab result op'), start: u64(m.start, 'start'), end: u64(m.end, 'end') };
  if (m.movedTo !== undefined) {
    const to = object(m.movedTo, 'movedTo');
    result.movedTo = { start: u64(to.start, 'movedTo start'), end: u64(to.end, 'movedTo end') };
  }
  return result;
}

/** Encodes a successful result of `kind` for the wire. */
export function encodeResult<K extends keyof DeviceResults>(kind: K, result: DeviceResults[K]): unknown {
  switch (kind) {
    case 'open': {
      const r = result as OpenResult;
      return { ...r, arena: encodeArena(r.arena) };
    }
    case 'read':
      return (result as UmmuEvent[]).map(encodeEvent);
    case 'query':
      return encodeSnapshot(result as QuerySnapshot);
    case 'lab':
      return encodeLabResult(result as LabResult);
    default:
      return result;
  }
}

/** Decodes and validates the result of a request of `kind`. */
export function decodeResult<K extends keyof DeviceResults>(kind: K, value: unknown): DeviceResults[K] {
  const decoded = ((): DeviceResults[keyof DeviceResults] => {
    switch (kind) {
      case 'open': {
        const m = object(value, 'open result');
        return {
          pageSize: uint(m.pageSize, 'pageSize'),
          kernelRelease: text(m.kernelRelease, 'kernelRelease'),
          supportedFeatures: uint(m.supportedFeatures, 'supportedFeatures'),
          arena: decodeArena(m.arena),
        };
      }
      case 'negotiateFeatures':
        return uint(value, 'granted features');
      case 'read':
        return array(value, 'events').map(decodeEvent);
      case 'query':
        return decodeSnapshot(value);
      case 'lab':
        return decodeLabResult(value);
      default:
        if (value !== null) throw new ProtocolError(`${kind}: expected null`);
        return null;
    }
  })();
  return decoded as DeviceResults[K];
}

export function encodePages(pages: ArenaPage[]): string {
  return pages.map((p) => STATE_CODES[p.state] + (p.prot === null ? NO_PROT : PROT_CODES[p.prot])).join('');
}

export function decodePages(value: unknown): ArenaPage[] {
  const wire = text(value, 'pages');
  if (wire.length % 2 !== 0) throw new ProtocolError('pages: expected two characters a page');
  const states = Object.entries(STATE_CODES) as [PageState, string][];
  const prots = Object.entries(PROT_CODES) as [Protection, string][];
  const pages: ArenaPage[] = [];
  for (let at = 0; at < wire.length; at += 2) {
    const state = states.find(([, code]) => code === wire[at])?.[0];
    const protCode = wire[at + 1];
    const prot = protCode === NO_PROT ? null : prots.find(([, code]) => code === protCode)?.[0];
    if (state === undefined || prot === undefined || (state === 'unmapped') !== (prot === null)) {
      throw new ProtocolError(`pages: bad page ${at / 2}: ${JSON.stringify(wire.slice(at, at + 2))}`);
    }
    pages.push({ state, prot });
  }
  return pages;
}

export function encodeReply(reply: DeviceReply): Fields {
  if (reply.kind === 'readable') return { kind: reply.kind, counter: u64ToHex(reply.counter) };
  if (reply.kind === 'pages') return { kind: reply.kind, pages: encodePages(reply.pages), counter: u64ToHex(reply.counter) };
  if (reply.kind === 'invalidation') {
    return {
      kind: reply.kind,
      start: u64ToHex(reply.start),
      end: u64ToHex(reply.end),
      hits: reply.hits.map(u64ToHex),
      counter: u64ToHex(reply.counter),
    };
  }
  return { ...reply, counter: u64ToHex(reply.counter) };
}

export function decodeReply(value: unknown): DeviceReply {
  const m = object(value, 'reply');
  const counter = u64(m.counter, 'counter');
  if (m.kind === 'invalidation') {
    return {
      kind: 'invalidation',
      start: u64(m.start, 'start'),
      end: u64(m.end, 'end'),
      hits: array(m.hits, 'hits').map((c) => u64(c, 'hit cookie')),
      counter,
    };
  }
  if (m.kind === 'readable') return { kind: 'readable', counter };
  if (m.kind === 'pages') return { kind: 'pages', pages: decodePages(m.pages), counter };
  if (m.kind !== 'reply') throw new ProtocolError(`unknown message ${JSON.stringify(m.kind)}`);
  const id = uint(m.id, 'reply id', Number.MAX_SAFE_INTEGER);
  if (m.ok === true) return { kind: 'reply', id, ok: true, counter, result: m.result ?? null };
  if (m.ok !== false) throw new ProtocolError('reply.ok: expected a boolean');
  return { kind: 'reply', id, ok: false, counter, code: oneOf(m.code, ERRNO_CODES, 'error code'), message: text(m.message, 'error message') };
}
