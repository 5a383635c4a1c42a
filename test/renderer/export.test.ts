// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { payloadFromJson, payloadToJson, recordingSlice, type ExportPayload } from '../../src/renderer/export/export-payload';
import { ADDRESS_MAP_LEGEND } from '../../src/renderer/draw/address-map';
import { TIMELINE_LEGEND } from '../../src/renderer/draw/timeline';
import { exportSvg, readExport } from '../../src/renderer/export/picture';
import { crc32, embedText, extractText, readChunks, writeChunks } from '../../src/renderer/export/png-chunks';
import { summarizeSelection } from '../../src/renderer/export/selection-summary';
import { toTraceEvents } from '../../src/renderer/export/trace-event';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import type { TimelineRecord } from '../../src/shared/timeline-record';
import { createViewStore, viewStateData } from '../../src/renderer/view-state/view-store';
import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST } from '../../src/shared/domain';
import { arena, page, pages, registrations } from './fixtures';

/** zlib stream with one stored (uncompressed) deflate block. */
function zlibStored(data: Uint8Array): Uint8Array {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const out = new Uint8Array(2 + 5 + data.length + 4);
  const v = new DataView(out.buffer);
  out.set([0x78, 0x01, 0x01], 0);
  v.setUint16(3, data.length, true);
  v.setUint16(5, ~data.length & 0xffff, true);
  out.set(data, 7);
  v.setUint32(7 + data.length, ((b << 16) | a) >>> 0);
  return out;
}

/** A real 2x1 RGB PNG: IHDR, one IDAT, IEND. */
function tinyPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 2);
  v.setUint32(4, 1);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const idat = zlibStored(Uint8Array.from([0, 255, 0, 0, 0, 0, 255]));
  return writeChunks([
    { type: 'IHDR', data: ihdr },
    { type: 'IDAT', data: idat },
    { type: 'IEND', data: new Uint8Array() },
  ]);
}

const records: TimelineRecord[] = [
  { kind: 'register', t: 100, cookie: 1n, start: page(0), end: page(4), flags: 0 },
  { kind: 'register', t: 101, cookie: 2n, start: page(2), end: page(6), flags: 0x8 },
  { kind: 'invalidation', t: 102, start: page(2), end: page(3), reason: 0, hits: [1n, 2n] },
  { kind: 'lab', t: 102, result: { op: 'mremap', start: page(2), end: page(3), movedTo: { start: page(9), end: page(10) } } },
  {
    kind: 'read',
    t: 103,
    maxEvents: 4,
    events: [
      { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT | (1 << 16), hintStart: page(2), hintEnd: page(3), cookieOrCounter: 1n },
      { type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT | (1 << 16), hintStart: page(2), hintEnd: page(3), cookieOrCounter: 2n },
      { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n },
    ],
  },
  { kind: 'unregister', t: 104, cookie: 2n },
  { kind: 'dead', t: 105 },
];

const buffer = () => {
  const b = new TimelineBuffer(64);
  b.appendAll(records);
  return b;
};

function payload(): ExportPayload {
  const store = createViewStore();
  store.getState().navigateTime({ start: 100, end: 104 });
  store.getState().selectAddresses({ start: page(1), end: page(3) });
  store.getState().setTheme('dark');
  return {
    view: viewStateData(store.getState()),
    records,
    snapshot: { arena, pages, registrations, queue: [1n, 2n], counter: 2n, lastLastCounter: 1n },
    source: { backend: 'kernel', kernelRelease: '6.12.0-test', features: 0x9, exportedAt: '2026-12-05T21:40:07.123Z' },
  };
}

describe('PNG chunks', () => {
  it('embeds an iTXt chunk before IEND and reads the same UTF-8 text back', () => {
    const png = tinyPng();
    const text = JSON.stringify({ note: 'µs → 0xffff', n: 1 });
    const out = embedText(png, 'ummunotify', text);
    expect(readChunks(out).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'iTXt', 'IEND']);
    expect(extractText(out, 'ummunotify')).toBe(text);
    expect(extractText(out, 'other')).toBeNull();
    const again = embedText(out, 'ummunotify', 'second');
    expect(readChunks(again).filter((c) => c.type === 'iTXt')).toHaveLength(1);
    expect(extractText(again, 'ummunotify')).toBe('second');
  });

  it('computes the standard CRC-32 and rejects a corrupted chunk', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    const out = embedText(tinyPng(), 'ummunotify', 'x');
    out[out.length - 20] ^= 0xff;
    expect(() => readChunks(out)).toThrow(/CRC/);
  });
});

describe('export payload', () => {
  it('round-trips view state, records and snapshot through JSON', () => {
    const p = payload();
    expect(payloadFromJson(payloadToJson(p))).toEqual(p);
  });

  it('slices the recording to a time range, keeping registrations alive at its start', () => {
    const slice = recordingSlice(buffer(), { start: 102, end: 103 });
    expect(slice.map((r) => `${r.kind}@${r.t}`)).toEqual(['register@100', 'register@101', 'invalidation@102', 'lab@102', 'read@103']);
  });

  it('restores the view from an exported SVG and from a PNG', () => {
    const p = payload();
    const svg = exportSvg(p, 'both', 1000);
    expect(readExport(new TextEncoder().encode(svg))).toEqual(p);
    const png = embedText(tinyPng(), 'ummunotify', payloadToJson(p));
    const restored = createViewStore();
    restored.getState().restore(readExport(png).view);
    expect(viewStateData(restored.getState())).toEqual(p.view);
    expect(() => readExport(tinyPng())).toThrow(/no ummunotify view/);
  });

  it('draws the map and the timeline into the SVG with the exported theme', () => {
    const doc = new DOMParser().parseFromString(exportSvg(payload(), 'both', 1000), 'image/svg+xml');
    expect(doc.querySelectorAll('g[data-role="address-map"] rect[data-cookie]')).toHaveLength(3);
    expect(doc.querySelector('g[data-role="timeline"] rect[data-lifetime="0x2"]')).not.toBeNull();
    expect(doc.documentElement.querySelector('rect')?.getAttribute('fill')).toBe('#16191e');
    const mapOnly = new DOMParser().parseFromString(exportSvg(payload(), 'map', 1000), 'image/svg+xml');
    expect(mapOnly.querySelector('g[data-role="timeline"]')).toBeNull();
  });

  it('carries both legends and says in its corner where and when it was made', () => {
    const doc = new DOMParser().parseFromString(exportSvg(payload(), 'both', 1000), 'image/svg+xml');
    const legend = (view: string) => [...doc.querySelectorAll(`g[data-role="${view}"] g[data-role="legend"] rect[data-legend]`)].map((r) => r.getAttribute('data-legend'));
    expect(legend('address-map')).toEqual(ADDRESS_MAP_LEGEND.map((e) => e.label));
    expect(legend('timeline')).toEqual(TIMELINE_LEGEND.map((e) => e.label));
    expect(doc.querySelector('g[data-role="source"] text')?.textContent).toBe('kernel backend, kernel 6.12.0-test, features REASON QUERY, 2026-12-05 21:40:07 UTC');
    const { source: _, ...old } = payload();
    const withoutSource = new DOMParser().parseFromString(exportSvg(old, 'map', 1000), 'image/svg+xml');
    expect(withoutSource.querySelector('g[data-role="source"]')).toBeNull();
    expect(readExport(new TextEncoder().encode(exportSvg(old, 'map', 1000)))).toEqual(old);
  });

  it('shows what the event log search matched, as the window did', () => {
    const p = payload();
    const searched = { ...p, view: { ...p.view, search: 'filter 0x8' } };
    const doc = new DOMParser().parseFromString(exportSvg(searched, 'both', 1000), 'image/svg+xml');
    expect([...doc.querySelectorAll('g[data-role="address-map"] rect[data-match]')].map((r) => r.getAttribute('data-match'))).toEqual(['0x2']);
    expect(doc.querySelectorAll('g[data-role="timeline"] rect[data-match]')).toHaveLength(1);
    expect(doc.querySelector('g[data-role="timeline"] rect[data-matched="0x2"]')).not.toBeNull();
    const plain = new DOMParser().parseFromString(exportSvg(p, 'both', 1000), 'image/svg+xml');
    expect(plain.querySelectorAll('rect[data-match], rect[data-matched]')).toHaveLength(0);
  });
});

describe('trace events', () => {
  it('writes registrations as async slices, instants with ranges, and counter tracks', () => {
    const trace = toTraceEvents(buffer());
    const json = JSON.parse(JSON.stringify(trace)) as typeof trace;
    const e = json.traceEvents;
    const slices = e.filter((x) => x.cat === 'registration');
    expect(slices.map((x) => [x.ph, x.name, x.ts])).toEqual([
      ['b', 'registration 0x1', 0],
      ['b', 'registration 0x2', 1000],
      ['e', 'registration 0x2', 4000],
      ['e', 'registration 0x1', 5000],
    ]);
    expect(slices[1]!.id).toBe(slices[2]!.id);
    const inval = e.find((x) => x.cat === 'invalidation')!;
    expect([inval.ph, inval.s, inval.args]).toEqual(['i', 't', { start: `0x${page(2).toString(16)}`, end: `0x${page(3).toString(16)}`, reason: 'UNMAP', hits: ['0x1', '0x2'] }]);
    const read = e.find((x) => x.cat === 'read')!;
    expect((read.args!.events as { type: string }[]).map((x) => x.type)).toEqual(['INVAL', 'INVAL', 'LAST']);
    expect(e.filter((x) => x.name === 'generation counter').map((x) => x.args!.counter)).toEqual([0, 1]);
    expect(e.filter((x) => x.name === 'invalid queue depth').map((x) => x.args!.depth)).toEqual([0, 2, 0]);
    expect(e.every((x) => typeof x.ts === 'number' && x.pid === 1)).toBe(true);
  });
});

describe('selection summary', () => {
  it('lists the registrations over the selected pages and what happened in the time range', () => {
    const text = summarizeSelection(
      { addresses: { start: page(1), end: page(3) }, time: { start: 102, end: 103 }, cookie: null },
      registrations,
      arena,
      buffer(),
    );
    expect(text).toContain('Pages 1-2');
    expect(text).toContain(`cookie 0x1: 0x${page(0).toString(16)}-0x${page(4).toString(16)}, queued, HINT, reports 0x${page(2).toString(16)}-0x${page(3).toString(16)} (UNMAP)`);
    expect(text).toContain('cookie 0x2');
    expect(text).not.toContain('cookie 0x3');
    expect(text).toContain('invalidations by reason: UNMAP 1');
    expect(text).toContain('INVAL events delivered by reads: 2');
    expect(text).toContain('generation counter 0 -> 1');
  });
});
