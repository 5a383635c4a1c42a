// What makes the drawn views readable: legends, cookie labels that fit,
// page numbers on the address axis, flashes that leave a bar's colour
// alone, and no text under 12 px.
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_MAP_LAYOUT,
  ADDRESS_MAP_LEGEND,
  buildAddressMapScene,
  drawAddressMap,
  indexRegistrations,
  mapHeight,
} from '../../src/renderer/draw/address-map';
import { layoutLegend } from '../../src/renderer/draw/legend';
import { PALETTES } from '../../src/renderer/draw/palette';
import { DEFAULT_FONT_SIZE } from '../../src/renderer/draw/painter';
import { buildTimelineScene, drawTimeline, TIMELINE_LEGEND } from '../../src/renderer/draw/timeline';
import { fitText, textWidth } from '../../src/renderer/draw/text-metrics';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import { COOKIE_COLUMN_CHARS, shownCookies } from '../../src/renderer/views/event-rows';
import { arena, page, pages, reg, registrations } from './fixtures';
import { createRecordingPainter, type PaintOp } from './recording-painter';

const WIDTH = 1600;

function mapOps(flashes: { start: bigint; end: bigint; strength: number }[], regs = registrations, width = WIDTH): { ops: PaintOp[]; scene: ReturnType<typeof buildAddressMapScene> } {
  const index = indexRegistrations(regs);
  const scene = buildAddressMapScene({
    arena,
    pages,
    index,
    domain: { start: page(0), end: page(16) },
    width,
    height: mapHeight(index, width),
    flashes,
    selection: null,
    highlightCookie: null,
  });
  const rec = createRecordingPainter();
  drawAddressMap(rec, scene, PALETTES.light);
  return { ops: rec.ops, scene };
}

const inside = (op: PaintOp, x: number, y: number): boolean =>
  op.op === 'rect' && x >= op.x && x < op.x + op.width && y >= op.y && y < op.y + op.height;

/** The fill a point ends up with: the last opaque-enough rectangle painted over it. */
function paintedAt(ops: readonly PaintOp[], x: number, y: number): string | undefined {
  let fill: string | undefined;
  for (const op of ops) if (op.op === 'rect' && op.style.fill && inside(op, x, y)) fill = op.style.fill;
  return fill;
}

describe('address map legibility', () => {
  it('has a legend naming every page kind, registration state and the flash, each beside a swatch of its colour', () => {
    const { ops, scene } = mapOps([]);
    const swatches = ops.filter((op) => op.op === 'rect' && op.groups.includes('legend') && op.meta?.legend !== undefined);
    expect(swatches.map((op) => op.op === 'rect' && [op.meta?.legend, op.style.fill])).toEqual(
      ADDRESS_MAP_LEGEND.map((e) => [e.label, PALETTES.light[e.colour]]),
    );
    const labels = ops.filter((op) => op.op === 'text' && op.groups.includes('legend')).map((op) => (op.op === 'text' ? op.text : ''));
    expect(labels).toEqual(ADDRESS_MAP_LEGEND.map((e) => e.label));
    // Below the lanes, inside the picture.
    for (const op of swatches) if (op.op === 'rect') expect(op.y).toBeGreaterThan(Math.max(...scene.bars.map((b) => b.y + b.height)));
    for (const op of swatches) if (op.op === 'rect') expect(op.y + op.height).toBeLessThanOrEqual(scene.height);
  });

  it('wraps the legend into more rows on a narrow map, every item inside the width', () => {
    const wide = layoutLegend(ADDRESS_MAP_LEGEND, 1600);
    const narrow = layoutLegend(ADDRESS_MAP_LEGEND, 500);
    expect(narrow.height).toBeGreaterThan(wide.height);
    for (const item of narrow.items) expect(item.x + 12 + 5 + textWidth(item.label)).toBeLessThanOrEqual(500);
  });

  it('labels a bar with its cookie where the label fits, and not where it does not', () => {
    const regs = [reg(0xabcdefn, 0, 8), reg(0x123456789abcn, 8, 9)];
    const { ops, scene } = mapOps([], regs, 800);
    const labels = ops.filter((op) => op.op === 'text' && op.groups.includes('labels'));
    expect(labels.map((op) => op.op === 'text' && op.text)).toEqual(['0xabcdef']);
    const wide = scene.bars.find((b) => b.registration.cookie === 0xabcdefn)!;
    const label = labels[0]!;
    expect(label.op === 'text' && label.x >= wide.x && label.x + textWidth(label.text) <= wide.x + wide.width).toBe(true);
    // The narrow bar (50 px) has no room for 14 characters.
    expect(scene.bars.find((b) => b.registration.cookie === 0x123456789abcn)?.label).toBeNull();
  });

  it('numbers the pages on the axis', () => {
    const { scene } = mapOps([]);
    expect(scene.ticks.length).toBeGreaterThan(2);
    for (const tick of scene.ticks) expect(tick.sublabel).toBe(`page ${(BigInt(tick.label) - arena.base) / 4096n}`);
  });

  it('a flash, even one over the whole arena (fork), leaves every bar and page its own colour', () => {
    const before = mapOps([]);
    const flashed = mapOps([{ start: page(0), end: page(16), strength: 1 }]);
    const flashRects = flashed.ops.filter((op) => op.op === 'rect' && op.groups.includes('flashes'));
    expect(flashRects.length).toBeGreaterThan(0);
    const whole = flashed.scene.bars.find((b) => b.state === 'queued-whole')!;
    for (const bar of flashed.scene.bars)
      for (let x = bar.x + 1; x < bar.x + bar.width; x += 10) {
        const y = bar.y + 2;
        expect(paintedAt(flashed.ops, x, y)).toBe(paintedAt(before.ops, x, y));
      }
    expect(paintedAt(flashed.ops, whole.x + whole.width / 2, whole.y + 2)).toBe(PALETTES.light.queuedWhole);
    for (const s of flashed.scene.pageSegments) expect(paintedAt(flashed.ops, s.x + s.width / 2, ADDRESS_MAP_LAYOUT.backdropTop + 2)).toBe(paintedAt(before.ops, s.x + s.width / 2, ADDRESS_MAP_LAYOUT.backdropTop + 2));
    // The flash is seen in its own strip, over the range it hit.
    expect(paintedAt(flashed.ops, WIDTH / 2, ADDRESS_MAP_LAYOUT.flashTop + 2)).toBe(PALETTES.light.flash);
    expect(paintedAt(before.ops, WIDTH / 2, ADDRESS_MAP_LAYOUT.flashTop + 2)).toBeUndefined();
  });
});

function timelineOps(width: number): PaintOp[] {
  const buffer = new TimelineBuffer(16);
  buffer.appendAll([{ kind: 'register', t: 0, cookie: 0xffffffffffffffffn, start: page(0), end: page(4), flags: 0 }]);
  const scene = buildTimelineScene({ buffer, registrations: [], domain: { start: 0, end: 10 }, origin: 0, now: 10, width, height: 260, laneOffset: 0, selection: null, highlightCookie: null });
  const rec = createRecordingPainter();
  drawTimeline(rec, scene, PALETTES.dark);
  return rec.ops;
}

describe('timeline legibility', () => {
  it('has a legend of its marks and lines, in the colours it draws them', () => {
    const swatches = timelineOps(1000).filter((op) => op.op === 'rect' && op.meta?.legend !== undefined);
    expect(swatches.map((op) => op.op === 'rect' && [op.meta?.legend, op.style.fill])).toEqual(TIMELINE_LEGEND.map((e) => [e.label, PALETTES.dark[e.colour]]));
  });

  it('fits a 64-bit cookie into the label column by its low digits', () => {
    const label = timelineOps(1000).find((op) => op.op === 'text' && op.text.endsWith('ffff') && !op.groups.includes('legend'));
    expect(label?.op === 'text' && label.text.startsWith('…')).toBe(true);
    expect(label?.op === 'text' && textWidth(label.text)).toBeLessThanOrEqual(110 - 8);
    expect(fitText('0x2a', 100)).toBe('0x2a');
  });
});

describe('text size', () => {
  it('no drawn text is smaller than 12 px, in either view', () => {
    const texts = [...mapOps([{ start: page(1), end: page(2), strength: 1 }]).ops, ...timelineOps(1000)].filter((op) => op.op === 'text');
    expect(texts.length).toBeGreaterThan(20);
    for (const op of texts) if (op.op === 'text') expect(op.style.size ?? DEFAULT_FONT_SIZE).toBeGreaterThanOrEqual(12);
  });
});

describe('event log cookies column', () => {
  it('shows every cookie that fits, else the first and how many more, never more characters than the column holds', () => {
    expect(shownCookies('0x1 0x2 0x3')).toBe('0x1 0x2 0x3');
    expect(shownCookies('0xffffffffffffffff 0x52')).toBe('0xffffffffffffffff +1');
    expect(shownCookies('0xffffffffffffffff 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9 0xa 0xb')).toBe('…ffffffffffffffff +11');
    for (const text of ['0xffffffffffffffff 0x52', '0xffffffffffffffff 0x1 0x2 0x3 0x4 0x5 0x6 0x7 0x8 0x9 0xa 0xb', '0x1'])
      expect(shownCookies(text).length).toBeLessThanOrEqual(COOKIE_COLUMN_CHARS);
  });
});
