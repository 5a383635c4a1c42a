// Exported pictures: the address map, the timeline or both, drawn by the
// same view functions as the screen (legends included), under a header
// whose corner says where and when the picture was made (backend, kernel
// release, features, time), as SVG (payload in <metadata>) or PNG (payload
// in an iTXt chunk). readExport takes either back.

import { FEATURE_GENERATIONS } from '../../shared/domain';
import { arenaRange, buildAddressMapScene, drawAddressMap, indexRegistrations, mapHeight, matchedBars } from '../draw/address-map';
import { createCanvasPainter } from '../draw/canvas-painter';
import { PALETTES } from '../draw/palette';
import type { Painter } from '../draw/painter';
import { featureList } from '../draw/format';
import { createSvgPainter, escapeXml, svgDocument } from '../draw/svg-painter';
import { buildTimelineSceneForView, drawTimeline } from '../draw/timeline';
import { TimelineBuffer } from '../view-state/timeline-buffer';
import { LogMatcher } from '../views/log-matcher';
import { EXPORT_KEYWORD, payloadFromJson, payloadToJson, type ExportPayload, type ExportSource } from './export-payload';
import { embedText, extractText, isPng } from './png-chunks';

export type ExportTarget = 'map' | 'timeline' | 'both';

const TIMELINE_EXPORT_HEIGHT = 300;
const HEADER = 24;
const GAP = 10;

interface Layout {
  width: number;
  height: number;
  mapY: number | null;
  mapHeight: number;
  timelineY: number | null;
}

function layoutFor(payload: ExportPayload, target: ExportTarget, width: number): Layout {
  const map = target !== 'timeline' ? mapHeight(indexRegistrations(payload.snapshot.registrations), width) : 0;
  const mapY = target !== 'timeline' ? HEADER : null;
  const timelineY = target === 'map' ? null : HEADER + (mapY === null ? 0 : map + GAP);
  const height = timelineY === null ? HEADER + map : timelineY + TIMELINE_EXPORT_HEIGHT;
  return { width, height, mapY, mapHeight: map, timelineY };
}

/** "model backend, kernel 6.12.0, features REASON QUERY, 2026-12-05 21:40:07 UTC". */
export function describeSource(source: ExportSource): string {
  const kernel = source.kernelRelease ? `, kernel ${source.kernelRelease}` : '';
  const time = source.exportedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return `${source.backend} backend${kernel}, features ${featureList(source.features)}, ${time}`;
}

/** Paints the export picture; returns its size. */
function paintExport(p: Painter, payload: ExportPayload, target: ExportTarget, width: number): { width: number; height: number } {
  const layout = layoutFor(payload, target, width);
  const palette = PALETTES[payload.view.theme];
  const { snapshot, view } = payload;
  p.rect(0, 0, layout.width, layout.height, { fill: palette.background });
  p.text(6, HEADER / 2, `ummunotify: counter ${snapshot.counter}, ${snapshot.registrations.length} registrations, ${snapshot.queue.length} queued`, {
    fill: palette.text,
    bold: true,
  });
  const source = payload.source;
  if (source) p.group('source', () => p.text(layout.width - 6, HEADER / 2, describeSource(source), { fill: palette.text, align: 'end' }));
  const buffer = new TimelineBuffer(Math.max(1, payload.records.length));
  buffer.appendAll(payload.records);
  // The picture shows what the event log's filter and search matched, as the window did.
  const search = new LogMatcher(buffer);
  search.setQuery(view.filters, view.search);
  search.scanToEnd();
  if (layout.mapY !== null) {
    const scene = buildAddressMapScene({
      arena: snapshot.arena,
      pages: snapshot.pages,
      index: indexRegistrations(snapshot.registrations),
      domain: view.addressDomain ?? arenaRange(snapshot.arena),
      width,
      height: layout.mapHeight,
      flashes: [],
      selection: view.selection.addresses,
      showGenerations: source !== undefined && (source.features & FEATURE_GENERATIONS) !== 0,
      highlightCookie: view.selection.cookie,
    });
    p.translate(0, layout.mapY, () => p.group('address-map', () => drawAddressMap(p, { ...scene, matched: matchedBars(scene.bars, search) }, palette)));
  }
  if (layout.timelineY !== null) {
    const scene = buildTimelineSceneForView(view, buffer, snapshot.registrations, { width, height: TIMELINE_EXPORT_HEIGHT }, search);
    p.translate(0, layout.timelineY, () => p.group('timeline', () => drawTimeline(p, scene, palette)));
  }
  return { width: layout.width, height: layout.height };
}

const METADATA_NS = 'urn:ummunotify:export';

export function exportSvg(payload: ExportPayload, target: ExportTarget, width: number): string {
  const painter = createSvgPainter();
  const size = paintExport(painter, payload, target, width);
  const metadata = `<${EXPORT_KEYWORD} xmlns="${METADATA_NS}">${escapeXml(payloadToJson(payload))}</${EXPORT_KEYWORD}>`;
  return svgDocument(size.width, size.height, painter.body(), PALETTES[payload.view.theme].background, metadata);
}

/** Draws onto a canvas the caller supplies (the browser encodes PNG) and embeds the payload. */
export async function exportPng(payload: ExportPayload, target: ExportTarget, width: number, canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const size = layoutFor(payload, target, width);
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('PNG export needs a 2D canvas');
  paintExport(createCanvasPainter(ctx), payload, target, width);
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas.toBlob failed'))), 'image/png'));
  return embedText(new Uint8Array(await blob.arrayBuffer()), EXPORT_KEYWORD, payloadToJson(payload));
}

/** Reads the payload back from an exported SVG or PNG. */
export function readExport(bytes: Uint8Array): ExportPayload {
  if (isPng(bytes)) {
    const text = extractText(bytes, EXPORT_KEYWORD);
    if (text === null) throw new RangeError('this PNG carries no ummunotify view');
    return payloadFromJson(text);
  }
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'image/svg+xml');
  const element = doc.getElementsByTagNameNS(METADATA_NS, EXPORT_KEYWORD)[0];
  if (!element?.textContent) throw new RangeError('this file carries no ummunotify view');
  return payloadFromJson(element.textContent);
}
