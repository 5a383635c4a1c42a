// What an export carries besides the picture: the view state, the slice of
// the recording it shows and the snapshot the address map was drawn from,
// so that opening the export restores the same view.

import { decodeRegistration, encodeRegistration, PROTECTIONS } from '../../shared/codec/domain';
import { CodecError, Fields, string, u64 } from '../../shared/codec/fields';
import type { ArenaInfo, PageState, Protection, QueryRegistration } from '../../shared/domain';
import { PAGE_STATES } from '../../shared/messages';
import { u64ToHex } from '../../shared/u64';
import type { ArenaPage } from '../draw/address-map';
import type { Span } from '../view-state/ranges';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import type { TimelineRecord } from '../../shared/timeline-record';
import { parseViewState, serializeViewState, type ViewStateData } from '../view-state/view-store';
import { recordFromJson, recordToJson } from './record-json';

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
      registrations: s.registrations.map(encodeRegistration),
      queue: s.queue.map(u64ToHex),
      counter: u64ToHex(s.counter),
      lastLastCounter: u64ToHex(s.lastLastCounter),
    },
    records: payload.records.map(recordToJson),
    ...(payload.source && { source: payload.source }),
  });
}

function sourceFromJson(value: unknown, path: string): ExportSource {
  const f = Fields.of(value, path);
  return {
    backend: f.string('backend', 64),
    kernelRelease: f.nullable('kernelRelease', (v, p) => string(v, p, 256)),
    features: f.count('features'),
    exportedAt: f.string('exportedAt', 64),
  };
}

function pageFromJson(v: unknown, path: string): ArenaPage {
  const [state, prot] = typeof v === 'string' ? v.split(':') : [];
  if (!PAGE_STATES.includes(state as PageState) || !PROTECTIONS.includes(prot as Protection)) throw new CodecError(path, 'expected "state:prot"');
  return { state: state as PageState, prot: prot as Protection };
}

/** Parses an export payload; throws CodecError naming the bad field. */
export function payloadFromJson(text: string): ExportPayload {
  const o = Fields.of(JSON.parse(text), 'export');
  if (o.get('format') !== EXPORT_FORMAT) throw new CodecError(o.at('format'), `expected ${JSON.stringify(EXPORT_FORMAT)}`);
  if (o.get('version') !== EXPORT_VERSION) throw new CodecError(o.at('version'), `unsupported version ${String(o.get('version'))}`);
  const s = o.object('snapshot');
  const a = s.object('arena');
  return {
    view: parseViewState(o.get('view')),
    records: o.array('records', recordFromJson),
    snapshot: {
      arena: { base: a.u64('base'), pages: a.count('pages'), pageSize: a.count('pageSize') },
      pages: s.array('pages', pageFromJson),
      registrations: s.array('registrations', decodeRegistration),
      queue: s.array('queue', u64),
      counter: s.u64('counter'),
      lastLastCounter: s.u64('lastLastCounter'),
    },
    ...(o.has('source') && { source: o.read('source', sourceFromJson) }),
  };
}
