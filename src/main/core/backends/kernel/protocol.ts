// The messages between the kernel backend (main process) and the
// device-session process that owns the watched memory map: open, one
// SessionOp (the same union the wire, the session and recordings use),
// close. Both sides decode what they receive with the shared codec: the
// other end is a separate process, and a malformed message must become a
// CodecError naming the field, not undefined behaviour.

import type { ArenaInfo, ArenaPage, ErrnoCode, PageState, Protection, SessionOp } from '../../../../shared/domain';
import { decodeOpResult, decodeSessionOp, encodeOpResult, encodeSessionOp } from '../../../../shared/codec/domain';
import { CodecError, Fields, type Json, type JsonObject } from '../../../../shared/codec/fields';
import { ERRNO_CODES, type OpResultFor } from '../../../../shared/journal';
import { u64ToHex } from '../../../../shared/u64';

/** Open the device and the arena, run one session operation, or close. */
export type DeviceRequest = { kind: 'open'; devicePath: string; arenaPages: number } | { kind: 'op'; op: SessionOp } | { kind: 'close' };

export interface OpenResult {
  pageSize: number;
  kernelRelease: string;
  supportedFeatures: number;
  arena: ArenaInfo;
}

/** What each request answers with. */
export type DeviceResultFor<R extends DeviceRequest> = R extends { kind: 'op'; op: infer O extends SessionOp }
  ? OpResultFor<O>
  : R extends { kind: 'open' }
    ? OpenResult
    : null;

export type DeviceReply =
  | { kind: 'reply'; id: number; ok: true; counter: bigint; result: unknown }
  | { kind: 'reply'; id: number; ok: false; counter: bigint; code: ErrnoCode; message: string }
  /** The file became readable, whatever the cause (sent by the session's readability watcher). */
  | { kind: 'readable'; counter: bigint }
  /** The arena's page states: after open, before each lab reply and before each 'readable'. */
  | { kind: 'pages'; pages: ArenaPage[]; counter: bigint };

export interface RequestEnvelope {
  id: number;
  request: DeviceRequest;
}

// Page states travel as one string, two characters a page (state, protection):
// an arena can have up to a million pages.
const STATE_CODES: Record<PageState, string> = { unmapped: 'u', none: 'n', zero: 'z', present: 'p' };
const PROT_CODES: Record<Protection, string> = { rw: 'w', r: 'r', none: '-' };
const NO_PROT = '.';

const REQUEST_KINDS: readonly DeviceRequest['kind'][] = ['open', 'op', 'close'];
const REPLY_KINDS: readonly DeviceReply['kind'][] = ['reply', 'readable', 'pages'];

export function encodeRequest(id: number, request: DeviceRequest): JsonObject {
  return request.kind === 'op' ? { id, kind: request.kind, op: encodeSessionOp(request.op) } : { id, ...request };
}

export function decodeRequest(value: unknown): RequestEnvelope {
  const f = Fields.of(value, 'request');
  const id = f.count('id');
  const kind = f.oneOf('kind', REQUEST_KINDS);
  switch (kind) {
    case 'open':
      return { id, request: { kind, devicePath: f.string('devicePath', 4096), arenaPages: f.integer('arenaPages', 1, 1 << 20) } };
    case 'op':
      return { id, request: { kind, op: f.read('op', decodeSessionOp) } };
    case 'close':
      return { id, request: { kind } };
  }
}

/** Encodes a successful result of `request` for the wire. */
export function encodeResult<R extends DeviceRequest>(request: R, result: DeviceResultFor<R>): Json {
  const req: DeviceRequest = request;
  switch (req.kind) {
    case 'open': {
      const r = result as OpenResult;
      return { ...r, arena: { base: u64ToHex(r.arena.base), pages: r.arena.pages, pageSize: r.arena.pageSize } };
    }
    case 'op':
      return encodeOpResult(req.op, result as OpResultFor<SessionOp>);
    case 'close':
      return null;
  }
}

/** Decodes and checks the result of `request`. */
export function decodeResult<R extends DeviceRequest>(request: R, value: unknown): DeviceResultFor<R> {
  const req: DeviceRequest = request;
  const path = `${req.kind} result`;
  switch (req.kind) {
    case 'open': {
      const f = Fields.of(value, path);
      const arena = f.object('arena');
      const result: OpenResult = {
        pageSize: f.count('pageSize'),
        kernelRelease: f.string('kernelRelease', 256),
        supportedFeatures: f.u32('supportedFeatures'),
        arena: { base: arena.u64('base'), pages: arena.count('pages'), pageSize: arena.count('pageSize') },
      };
      return result as DeviceResultFor<R>;
    }
    case 'op':
      return decodeOpResult(req.op, value, path) as DeviceResultFor<R>;
    case 'close':
      if (value !== null) throw new CodecError(path, 'expected null');
      return null as DeviceResultFor<R>;
  }
}

export function encodePages(pages: ArenaPage[]): string {
  return pages.map((p) => STATE_CODES[p.state] + (p.prot === null ? NO_PROT : PROT_CODES[p.prot])).join('');
}

export function decodePages(value: unknown, path = 'pages'): ArenaPage[] {
  if (typeof value !== 'string') throw new CodecError(path, 'expected a string');
  const wire = value;
  if (wire.length % 2 !== 0) throw new CodecError(path, 'expected two characters a page');
  const states = Object.entries(STATE_CODES) as [PageState, string][];
  const prots = Object.entries(PROT_CODES) as [Protection, string][];
  const pages: ArenaPage[] = [];
  for (let at = 0; at < wire.length; at += 2) {
    const state = states.find(([, code]) => code === wire[at])?.[0];
    const protCode = wire[at + 1];
    const prot = protCode === NO_PROT ? null : prots.find(([, code]) => code === protCode)?.[0];
    if (state === undefined || prot === undefined || (state === 'unmapped') !== (prot === null)) {
      throw new CodecError(path, `bad page ${at / 2}: ${JSON.stringify(wire.slice(at, at + 2))}`);
    }
    pages.push({ state, prot });
  }
  return pages;
}

export function encodeReply(reply: DeviceReply): JsonObject {
  const counter = u64ToHex(reply.counter);
  switch (reply.kind) {
    case 'readable':
      return { kind: reply.kind, counter };
    case 'pages':
      return { kind: reply.kind, pages: encodePages(reply.pages), counter };
    case 'reply':
      return { ...reply, result: reply.ok ? (reply.result as Json) : null, counter } as JsonObject;
  }
}

export function decodeReply(value: unknown): DeviceReply {
  const f = Fields.of(value, 'reply');
  const kind = f.oneOf('kind', REPLY_KINDS);
  const counter = f.u64('counter');
  switch (kind) {
    case 'readable':
      return { kind, counter };
    case 'pages':
      return { kind, pages: f.read('pages', decodePages), counter };
    case 'reply': {
      const id = f.count('id');
      if (f.boolean('ok')) return { kind, id, ok: true, counter, result: f.has('result') ? f.get('result') : null };
      return { kind, id, ok: false, counter, code: f.oneOf('code', ERRNO_CODES), message: f.string('message') };
    }
  }
}
