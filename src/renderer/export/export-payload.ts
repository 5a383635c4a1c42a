// What an export carries besides the picture: the view state, the slice of
// the recording it shows and the snapshot the address map was drawn from,
// so that opening the export restores the same view.

import type { ArenaInfo, PageState, Protection, QueryRegistration } from '../../shared/domain';
import { hexToU64, u64ToHex } from '../../shared/u64';
import type { ArenaPage } from '../draw/address-map';
import type { Span } from '../view-state/ranges';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import type { TimelineRecord } from '../view-state/timeline-record';
import { parseViewState, serializeViewState, type ViewStateData } from '../view-state/view-store';
import { recordFromJson, recordToJson } from './record-json';
import { registrationToJson } from '../../shared/domain-json';

export const EXPORT_FORMAT = 'ummunotify-export';
export const EXPORT_VERSION = 1;
/** PNG iTXt keyword and SVG metadata element carrying the payload. */
export const EXPORT_KEYWORD = 'ummunotify';

export interface Snapshot {
  arena: ArenaInfo;
  pages: ArenaPage[];
  registrations: QueryRegistration[];
  queue: bigint[];
  counter: bigint;
  lastLastCounter: bigint;
}

/** Where and when the picture was made, written in its corner. */
export interface ExportSource {
  /** The backend kind: model, kernel or replay. */
  backend: string;
  kernelRelease: string | null;
  /** The negotiated feature mask. */
  features: number;
  /** ISO 8601. */
  exportedAt: string;
}

export interface ExportPayload {
  view: ViewStateData;
  records: TimelineRecord[];
  snapshot: Snapshot;
  /** Absent in exports made before it was recorded. */
  source?: ExportSource;
}

/**
 * The records an export of `span` needs: those inside it, plus the
 * registration records before it of registrations still alive at its start
 * (their lanes begin before the slice).
 */
export function recordingSlice(buffer: TimelineBuffer, span: Span): TimelineRecord[] {
  const first = buffer.indexAtTime(span.start);
  const alive = buffer
    .lifetimes()
    .filter((l) => l.registeredAt < span.start && (l.unregisteredAt ?? Infinity) >= span.start)
    .map((l): TimelineRecord => ({ kind: 'register', t: l.registeredAt, cookie: l.cookie, start: l.start, end: l.end, flags: l.flags }));
  const inside: TimelineRecord[] = [];
  for (let i = first; i < buffer.length && buffer.timeAt(i) <= span.end; i++) inside.push(buffer.get(i));
  return [...alive, ...inside];
}


export function payloadToJson(payload: ExportPayload): string {
  const { snapshot: s } = payload;
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    view: serializeViewState(payload.view),
    snapshot: {
      arena: { base: u64ToHex(s.arena.base), pages: s.arena.pages, pageSize: s.arena.pageSize },
      pages: s.pages.map((p) => `${p.state}:${p.prot}`),
      registrations: s.registrations.map(registrationToJson),
      queue: s.queue.map(u64ToHex),
      counter: u64ToHex(s.counter),
      lastLastCounter: u64ToHex(s.lastLastCounter),
    },
    records: payload.records.map(recordToJson),
    ...(payload.source && { source: payload.source }),
  });
}

type Json = Record<string, unknown>;
const obj = (v: unknown, what: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RangeError(`${what}: expected an object`);
  return v as Json;
};
const list = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new RangeError(`${what}: expected an array`);
  return v;
};
const num = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RangeError(`${what}: expected a non-negative integer`);
  return v;
};

function sourceFromJson(v: unknown): ExportSource {
  const o = obj(v, 'source');
  const text = (k: string): string => {
    if (typeof o[k] !== 'string') throw new RangeError(`source.${k}: expected a string`);
    return o[k];
  };
  if (o.kernelRelease !== null && typeof o.kernelRelease !== 'string') throw new RangeError('source.kernelRelease: expected a string or null');
  return { backend: text('backend'), kernelRelease: o.kernelRelease, features: num(o.features, 'source.features'), exportedAt: text('exportedAt') };
}

const PAGE_STATES: readonly PageState[] = ['unmapped', 'none', 'zero', 'present'];
const PROTECTIONS: readonly Protection[] = ['rw', 'r', 'none'];

function pageFromJson(v: unknown, what: string): ArenaPage {
  const [state, prot] = typeof v === 'string' ? v.split(':') : [];
  if (!PAGE_STATES.includes(state as PageState) || !PROTECTIONS.includes(prot as Protection)) throw new RangeError(`${what}: expected "state:prot"`);
  return { state: state as PageState, prot: prot as Protection };
}

function regFromJson(v: unknown, what: string): QueryRegistration {
  const o = obj(v, what);
  const u64 = (k: string) => hexToU64(o[k], `${what}.${k}`);
  return {
    start: u64('start'),
    end: u64('end'),
    cookie: u64('cookie'),
    hintStart: u64('hintStart'),
    hintEnd: u64('hintEnd'),
    state: num(o.state, `${what}.state`),
    reasonFlags: num(o.reasonFlags, `${what}.reasonFlags`),
    filter: num(o.filter, `${what}.filter`),
  };
}

/** Parses an export payload; throws RangeError naming the bad field. */
export function payloadFromJson(text: string): ExportPayload {
  const o = obj(JSON.parse(text), 'export');
  if (o.format !== EXPORT_FORMAT) throw new RangeError(`export: format is not ${EXPORT_FORMAT}`);
  if (o.version !== EXPORT_VERSION) throw new RangeError(`export: unsupported version ${String(o.version)}`);
  const s = obj(o.snapshot, 'snapshot');
  const a = obj(s.arena, 'snapshot.arena');
  return {
    view: parseViewState(o.view),
    records: list(o.records, 'records').map((r, i) => recordFromJson(r, `records[${i}]`)),
    snapshot: {
      arena: { base: hexToU64(a.base, 'snapshot.arena.base'), pages: num(a.pages, 'snapshot.arena.pages'), pageSize: num(a.pageSize, 'snapshot.arena.pageSize') },
      pages: list(s.pages, 'snapshot.pages').map((p, i) => pageFromJson(p, `snapshot.pages[${i}]`)),
      registrations: list(s.registrations, 'snapshot.registrations').map((r, i) => regFromJson(r, `snapshot.registrations[${i}]`)),
      queue: list(s.queue, 'snapshot.queue').map((c, i) => hexToU64(c, `snapshot.queue[${i}]`)),
      counter: hexToU64(s.counter, 'snapshot.counter'),
      lastLastCounter: hexToU64(s.lastLastCounter, 'snapshot.lastLastCounter'),
    },
    ...(o.source !== undefined && { source: sourceFromJson(o.source) }),
  };
}
