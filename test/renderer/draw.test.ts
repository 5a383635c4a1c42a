// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { addressAt, addressScale, addressTicks } from '../../src/renderer/draw/address-scale';
import {
  ADDRESS_MAP_LAYOUT,
  ADDRESS_MAP_LEGEND,
  buildAddressMapScene,
  drawAddressMap,
  drawAddressMapBase,
  hitTestBar,
  indexRegistrations,
  mapHeight,
} from '../../src/renderer/draw/address-map';
import { legendHeight } from '../../src/renderer/draw/legend';
import { textWidth } from '../../src/renderer/draw/text-metrics';
import { assignLanes } from '../../src/renderer/draw/lanes';
import { PALETTES } from '../../src/renderer/draw/palette';
import { createSvgPainter, svgDocument } from '../../src/renderer/draw/svg-painter';
import { buildOverviewScene, buildTimelineScene, drawTimeline, TIMELINE_LEGEND } from '../../src/renderer/draw/timeline';
import { formatDuration, timeScale, timeTicks } from '../../src/renderer/draw/time-scale';
import { TimelineBuffer } from '../../src/renderer/view-state/timeline-buffer';
import { LogMatcher } from '../../src/renderer/views/log-matcher';
import { EVENT_FLAG_HINT, EVENT_TYPE_INVAL, EVENT_TYPE_LAST, QUERY_REG_QUEUED } from '../../src/shared/domain';
import { arena, page, pages, registrations } from './fixtures';
import { createRecordingPainter } from './recording-painter';

const parseSvg = (svg: string): Document => {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
};

describe('lane assignment', () => {
  it('stacks overlapping ranges and reuses a lane once a range has ended', () => {
    const { lanes, laneCount } = assignLanes([
      { start: 0n, end: 10n },
      { start: 5n, end: 15n },
      { start: 10n, end: 20n },
      { start: 6n, end: 7n },
      { start: 15n, end: 16n },
    ]);
    expect([...lanes]).toEqual([0, 1, 0, 2, 1]);
    expect(laneCount).toBe(3);
  });

  it('never puts two overlapping intervals in one lane (random check)', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const intervals = Array.from({ length: 400 }, () => {
      const start = BigInt(Math.floor(rand() * 1000));
      return { start, end: start + 1n + BigInt(Math.floor(rand() * 60)) };
    });
    const { lanes, laneCount } = assignLanes(intervals);
    expect(new Set(intervals.map((x) => x.start)).size).toBeGreaterThan(300);
    expect(laneCount).toBeGreaterThan(10);
    for (let i = 0; i < intervals.length; i++)
      for (let j = i + 1; j < intervals.length; j++) {
        const a = intervals[i]!;
        const b = intervals[j]!;
        if (lanes[i] === lanes[j]) expect(a.end <= b.start || b.end <= a.start).toBe(true);
      }
  });
});

describe('scales', () => {
  it('maps addresses to pixels and back to page-aligned addresses', () => {
    const scale = addressScale({ start: page(0), end: page(16) }, 0, 1600);
    expect(scale(Number(page(4)))).toBe(400);
    expect(addressAt(scale, 450, 4096)).toBe(page(4));
  });
  it('formats durations for axis labels', () => {
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(12.5)).toBe('12.5 ms');
    expect(formatDuration(0.25)).toBe('250 µs');
  });
});

describe('address ticks', () => {
  const ticksOver = (start: bigint, end: bigint, count: number, pageSize = 4096) => {
    const scale = addressScale({ start, end }, 0, 1000);
    return { scale, ticks: addressTicks(scale, count, pageSize), values: addressTicks(scale, count, pageSize).map((t) => BigInt(t.label)) };
  };

  it('puts about the requested number of ticks on page boundaries a power of two of pages apart', () => {
    const domains: [bigint, bigint][] = [
      [page(0), page(16)],
      [page(0) + 0x990n, page(16) + 0x990n],
      [page(3) + 123n, page(3) + 123n + 1000n * 4096n],
      [0x7f0000000000n, 0x7f0123456789n],
    ];
    for (const [start, end] of domains)
      for (const count of [2, 5, 7, 10]) {
        const { scale, ticks, values } = ticksOver(start, end, count);
        expect(ticks.length).toBeGreaterThanOrEqual(count / 2);
        expect(ticks.length).toBeLessThanOrEqual(count * 2);
        for (const value of values) {
          expect(value % 4096n).toBe(0n);
          expect(value >= start && value <= end).toBe(true);
        }
        values.forEach((value, i) => expect(ticks[i]!.x).toBeCloseTo(scale(Number(value))));
        if (values.length < 2) continue;
        const step = values[1]! - values[0]!;
        const stepPages = step / 4096n;
        expect(stepPages & (stepPages - 1n)).toBe(0n);
        values.forEach((value, i) => i > 0 && expect(value - values[i - 1]!).toBe(step));
      }
  });

  it('labels page boundaries in hex where decimal-nice ticks would not be page-aligned', () => {
    const { values, ticks } = ticksOver(0x7f0000000990n, 0x7f0000010990n, 4);
    expect(ticks.map((t) => t.label)).toEqual(['0x7f0000004000', '0x7f0000008000', '0x7f000000c000', '0x7f0000010000']);
    expect(values.every((v) => v % 0x4000n === 0n)).toBe(true);
  });

  it('takes the page size as given (64 KiB pages)', () => {
    const { values } = ticksOver(0x7f0000001000n, 0x7f0000101000n, 8, 65536);
    expect(values.length).toBeGreaterThanOrEqual(4);
    expect(values.every((v) => v % 65536n === 0n)).toBe(true);
  });

  it('zoomed in below a page, labels only the page boundaries inside the domain', () => {
    const { scale, ticks } = ticksOver(page(3) - 1000n, page(3) + 1000n, 8);
    expect(ticks).toEqual([{ x: scale(Number(page(3))), label: `0x${page(3).toString(16)}` }]);
    expect(ticksOver(page(3) + 16n, page(3) + 2000n, 8).ticks).toEqual([]);
    expect(ticksOver(page(3) + 16n, page(5) + 16n, 10).ticks.map((t) => t.label)).toEqual([`0x${page(4).toString(16)}`, `0x${page(5).toString(16)}`]);
  });

  it('stays exact over the whole user address space, up to 0x7fffffffffff', () => {
    expect(ticksOver(0n, 0x7fffffffffffn, 8).ticks.map((t) => t.label)).toEqual([
      '0x0',
      '0x100000000000',
      '0x200000000000',
      '0x300000000000',
      '0x400000000000',
      '0x500000000000',
      '0x600000000000',
      '0x700000000000',
    ]);
    const { ticks, values } = ticksOver(0x7ffffff00000n, 0x7fffffffffffn, 4);
    expect(ticks.map((t) => t.label)).toEqual(['0x7ffffff00000', '0x7ffffff40000', '0x7ffffff80000', '0x7ffffffc0000']);
    expect(ticks.every((t) => t.x >= 0 && t.x <= 1000)).toBe(true);
    expect(values.every((v) => v % 4096n === 0n)).toBe(true);
  });
});

const mapScene = () =>
  buildAddressMapScene({
    arena,
    pages,
    index: indexRegistrations(registrations),
    domain: { start: page(0), end: page(16) },
    width: 1600,
    height: 200,
    flashes: [{ start: page(2), end: page(3), strength: 1 }],
    selection: { start: page(8), end: page(10) },
    highlightCookie: null,
  });

describe('address map', () => {
  it('draws bars by state, the hint inside its bar, the page backdrop and the flash (SVG)', () => {
    const painter = createSvgPainter();
    drawAddressMap(painter, mapScene(), PALETTES.light);
    const doc = parseSvg(svgDocument(1600, 200, painter.body(), PALETTES.light.background));
    const bars = [...doc.querySelectorAll('rect[data-cookie]')];
    expect(bars.map((b) => [b.getAttribute('data-cookie'), b.getAttribute('data-state'), b.getAttribute('data-lane')])).toEqual([
      ['0x1', 'queued-hint', '0'],
      ['0x2', 'queued-whole', '1'],
      ['0x3', 'clean', '0'],
    ]);
    const hint = doc.querySelector('rect[data-hint="0x1"]');
    expect([hint?.getAttribute('x'), hint?.getAttribute('width')]).toEqual(['200', '100']);
    expect(doc.querySelector('rect[data-hint="0x2"]')).toBeNull();
    expect([...doc.querySelectorAll('g[data-role="pages"] rect')].map((r) => r.getAttribute('data-kind'))).toEqual([
      'present',
      'unmapped',
      'present',
      'mapped',
      'protected',
    ]);
    expect(doc.querySelector('rect[data-kind="unmapped"]')?.getAttribute('data-first-page')).toBe('2');
    const flash = doc.querySelector('rect[data-flash]');
    expect([flash?.getAttribute('x'), flash?.getAttribute('width')]).toEqual(['200', '100']);
  });

  it('leaves out an axis label that would be cut off at the right edge', () => {
    const scene = mapScene();
    const labels = (width: number) => {
      const rec = createRecordingPainter();
      drawAddressMap(rec, { ...scene, width }, PALETTES.light);
      return rec.ops.filter((op) => op.op === 'text' && op.groups.includes('axis'));
    };
    const texts = (width: number) => labels(width).map((op) => (op.op === 'text' ? op.text : ''));
    const full = texts(scene.width);
    expect(full.length).toBeGreaterThan(4);
    // Each tick: its address, then its page in the arena.
    expect(full.slice(0, 2)).toEqual([scene.ticks[0]!.label, scene.ticks[0]!.sublabel]);
    expect(full[1]).toMatch(/^page \d+$/);
    const last = scene.ticks.find((t) => t.label === full[full.length - 2])!;
    expect(full.slice(-2)).toEqual([last.label, last.sublabel]);
    for (const op of labels(scene.width)) if (op.op === 'text') expect(op.x + textWidth(op.text)).toBeLessThanOrEqual(scene.width);
    expect(texts(last.x + 20)).toEqual(full.slice(0, -2));
  });

  it('zoomed out, paints touching slivers of one lane and state as one rectangle and loses none of them', () => {
    // 4000 one-page registrations side by side over 4000 pages on 400 px: ten per pixel.
    const big = { ...arena, pages: 4000 };
    const bigPages = Array.from({ length: 4000 }, () => ({ state: 'present' as const, prot: 'rw' as const }));
    const many = Array.from({ length: 4000 }, (_, i) => ({
      ...registrations[2]!,
      start: page(i),
      end: page(i + 1),
      cookie: BigInt(i + 1),
      state: i >= 2000 && i < 2100 ? QUERY_REG_QUEUED : 0,
      hintStart: 0n,
      hintEnd: 0n,
    }));
    const index = indexRegistrations(many);
    const scene = buildAddressMapScene({
      arena: big,
      pages: bigPages,
      index,
      domain: { start: page(0), end: page(4000) },
      width: 400,
      height: mapHeight(index, 400),
      flashes: [],
      selection: null,
      highlightCookie: 7n,
    });
    const rec = createRecordingPainter();
    drawAddressMapBase(rec, scene, PALETTES.light);
    const rects = rec.ops.filter((op) => op.op === 'rect' && op.groups.includes('registrations'));
    expect(rects.length).toBeLessThan(10);
    // Every bar is under a rectangle of its own colour; the highlighted one is drawn alone, outlined.
    const colour = (state: string) => PALETTES.light[state === 'clean' ? 'clean' : 'queuedWhole'];
    for (const bar of scene.bars)
      expect(rects.some((r) => r.op === 'rect' && r.style.fill === colour(bar.state) && r.x <= bar.x + 1e-9 && r.x + r.width >= bar.x + bar.width - 1e-9)).toBe(true);
    expect(rects.filter((r) => r.op === 'rect' && r.style.stroke !== undefined)).toHaveLength(1);
  });

  it("labels a slotted registration's bar with its generation at the bar's right end, only when GENERATIONS is shown", () => {
    const slotted = registrations.map((r, i) => (i === 0 ? { ...r, slot: { slot: 4, generation: 17n } } : r));
    const texts = (showGenerations: boolean) => {
      const scene = buildAddressMapScene({
        arena,
        pages,
        index: indexRegistrations(slotted),
        domain: { start: page(0), end: page(16) },
        width: 1600,
        height: 200,
        flashes: [],
        selection: null,
        highlightCookie: null,
        showGenerations,
      });
      const rec = createRecordingPainter();
      drawAddressMapBase(rec, scene, PALETTES.light);
      const bar = scene.bars.find((b) => b.registration.slot !== undefined)!;
      const labels = rec.ops.filter((op) => op.op === 'text' && op.groups.includes('labels'));
      return { bar, labels: labels.map((op) => (op.op === 'text' ? { text: op.text, x: op.x } : null)) };
    };
    const shown = texts(true);
    expect(shown.bar.generation).toBe('g17');
    const label = shown.labels.find((l) => l?.text === 'g17');
    expect(label && label.x <= shown.bar.x + shown.bar.width && label.x > shown.bar.x + shown.bar.width / 2).toBe(true);
    expect(texts(false).labels.some((l) => l?.text === 'g17')).toBe(false);
    expect(texts(false).bar.generation).toBeNull();
  });

  it('hit-tests the bar under the pointer', () => {
    const scene = mapScene();
    const lane1Y = scene.bars.find((b) => b.lane === 1)!.y + 2;
    expect(hitTestBar(scene, 300, lane1Y)?.registration.cookie).toBe(2n);
    expect(hitTestBar(scene, 900, scene.bars[0]!.y + 2)?.registration.cookie).toBe(3n);
    expect(hitTestBar(scene, 700, lane1Y)).toBeUndefined();
  });

  it('leaves out bars outside the zoomed domain and says how many lanes are hidden', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...registrations[2]!, cookie: BigInt(100 + i) }));
    const scene = buildAddressMapScene({
      arena,
      pages,
      index: indexRegistrations(many),
      domain: { start: page(0), end: page(4) },
      width: 400,
      // Room for four lanes above the legend.
      height: ADDRESS_MAP_LAYOUT.laneTop + 4 * (ADDRESS_MAP_LAYOUT.laneHeight + ADDRESS_MAP_LAYOUT.laneGap) + 6 + legendHeight(ADDRESS_MAP_LEGEND, 400),
      flashes: [],
      selection: null,
      highlightCookie: null,
    });
    expect(scene.bars).toHaveLength(0);
    expect(scene.hiddenLanes).toBe(30 - 4);
    const rec = createRecordingPainter();
    drawAddressMap(rec, scene, PALETTES.dark);
    expect(rec.ops.some((op) => op.op === 'text' && op.text === '+26 lanes not shown')).toBe(true);
  });
});

const inval = (cookie: bigint) => ({ type: EVENT_TYPE_INVAL, flags: EVENT_FLAG_HINT, hintStart: 0n, hintEnd: 0n, cookieOrCounter: cookie }) as const;

function recording(): TimelineBuffer {
  const b = new TimelineBuffer(64);
  b.appendAll([
    { kind: 'register', t: 0, cookie: 1n, start: page(0), end: page(4), flags: 0 },
    { kind: 'register', t: 10, cookie: 2n, start: page(2), end: page(6), flags: 0 },
    { kind: 'invalidation', t: 20, start: page(2), end: page(3), reason: 0, hits: [1n, 2n] },
    { kind: 'read', t: 30, maxEvents: 8, events: [inval(1n), inval(2n), { type: EVENT_TYPE_LAST, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n }] },
    { kind: 'unregister', t: 40, cookie: 2n },
    { kind: 'invalidation', t: 50, start: page(0), end: page(1), reason: 1, hits: [1n] },
  ]);
  return b;
}

describe('timeline', () => {
  const scene = (height = 200, laneOffset = 0) =>
    buildTimelineScene({
      buffer: recording(),
      registrations: [],
      domain: { start: 0, end: 100 },
      origin: 0,
      now: 60,
      width: 1110,
      height,
      laneOffset,
      selection: { start: 20, end: 30 },
      highlightCookie: 2n,
    });

  it('gives each registration a lane with its lifetime, hits and deliveries (SVG)', () => {
    const painter = createSvgPainter();
    drawTimeline(painter, scene(), PALETTES.light);
    const doc = parseSvg(svgDocument(1110, 200, painter.body(), 'white'));
    const lifetime = (c: string) => doc.querySelector(`rect[data-lifetime="${c}"]`);
    expect([lifetime('0x1')?.getAttribute('x'), lifetime('0x1')?.getAttribute('width')]).toEqual(['110', '600']);
    expect([lifetime('0x2')?.getAttribute('x'), lifetime('0x2')?.getAttribute('width')]).toEqual(['210', '300']);
    expect(doc.querySelectorAll('rect[data-invalidation="0x1"]')).toHaveLength(2);
    expect(doc.querySelectorAll('rect[data-invalidation="0x2"]')).toHaveLength(1);
    expect(doc.querySelectorAll('rect[data-delivered="0x2"]')).toHaveLength(1);
    const read = doc.querySelector('rect[data-read]');
    expect([read?.getAttribute('data-read'), read?.getAttribute('data-last')]).toEqual(['3', '1']);
    expect(doc.querySelectorAll('g[data-role="selection"] rect')).toHaveLength(1);
  });

  it('draws a dense run of hits as one rectangle covering every hit column, and keeps the gaps between runs', () => {
    const b = new TimelineBuffer(4096);
    b.appendAll([{ kind: 'register', t: 0, cookie: 1n, start: page(0), end: page(4), flags: 0 }]);
    // One hit in each of 300 consecutive pixel columns (1 ms per pixel), a gap, then one more.
    for (let t = 10; t < 310; t++) b.appendAll([{ kind: 'invalidation', t, start: page(0), end: page(1), reason: 0, hits: [1n] }]);
    b.appendAll([{ kind: 'invalidation', t: 400, start: page(0), end: page(1), reason: 0, hits: [1n] }]);
    const dense = buildTimelineScene({ buffer: b, registrations: [], domain: { start: 0, end: 1000 }, origin: 0, now: 1000, width: 1110, height: 200, laneOffset: 0, selection: null, highlightCookie: null });
    const painter = createSvgPainter();
    drawTimeline(painter, dense, PALETTES.light);
    const marks = [...parseSvg(svgDocument(1110, 200, painter.body(), 'white')).querySelectorAll('rect[data-invalidation="0x1"]')];
    expect(marks.map((m) => [Number(m.getAttribute('x')), Number(m.getAttribute('width'))])).toEqual([
      [dense.lanes[0]!.invalidations[0]! - 1, 300 - 1 + 2],
      [dense.lanes[0]!.invalidations.at(-1)! - 1, 2],
    ]);
  });

  it('draws the counter as a step line that rises once per invalidation that hit', () => {
    const s = scene();
    expect(s.counterRange).toEqual([0, 2]);
    const ys = s.counterLine.filter((_, i) => i % 2 === 1);
    expect(new Set(ys).size).toBe(3);
    // It stops at the newest record (t = 60 of a 0-100 domain), not at the right edge.
    expect(s.counterLine[s.counterLine.length - 2]).toBe(710);
    expect(s.depthLine[s.depthLine.length - 2]).toBe(710);
  });

  it('counts an invalidation at the live edge, at session-clock times far above 1 ms', () => {
    const t0 = 500_000.25;
    const live = new TimelineBuffer();
    live.appendAll([
      { kind: 'register', t: t0, cookie: 1n, start: 0n, end: 4096n, flags: 0 },
      { kind: 'invalidation', t: t0 + 100, start: 0n, end: 4096n, reason: 0, hits: [1n] },
      { kind: 'invalidation', t: t0 + 200, start: 0n, end: 4096n, reason: 0, hits: [1n] },
    ]);
    const edge = buildTimelineScene({
      buffer: live,
      registrations: [],
      domain: { start: t0, end: t0 + 200 },
      origin: t0,
      now: t0 + 200,
      width: 800,
      height: 200,
      laneOffset: 0,
      selection: null,
      highlightCookie: null,
    });
    expect(edge.counterRange).toEqual([0, 2]);
  });

  it('shows only the lanes that fit and scrolls by lane offset', () => {
    const small = scene(20 + 16 * 3 + 16 + legendHeight(TIMELINE_LEGEND, 1110), 1);
    expect(small.lanes.map((l) => l.label)).toEqual(['0x2']);
    expect(small.totalLanes).toBe(2);
  });

  it('marks what the event log matched: ticks on the axis and the overview, and the matched cookies\' lanes', () => {
    const buffer = recording();
    const search = new LogMatcher(buffer);
    search.setQuery({ kinds: ['invalidation'], cookie: null, reason: null }, '');
    search.scanToEnd();
    const input = { buffer, registrations: [], domain: { start: 0, end: 100 }, origin: 0, now: 60, width: 1110, height: 200, laneOffset: 0, selection: null, highlightCookie: null };
    const marked = buildTimelineScene({ ...input, search });
    // Invalidations at t = 20 (cookies 1 and 2) and t = 50 (cookie 1); 10 px per unit from x = 110.
    expect(marked.matchMarks).toEqual([310, 610]);
    expect(marked.lanes.map((l) => [l.label, l.matched])).toEqual([
      ['0x1', true],
      ['0x2', true],
    ]);
    search.setQuery({ kinds: [], cookie: 1n, reason: 1 }, '');
    search.scanToEnd();
    expect(buildTimelineScene({ ...input, search }).lanes.map((l) => l.matched)).toEqual([true, false]);
    expect(buildOverviewScene(buffer, { start: 0, end: 60 }, null, 12, 20, search).matchMarks).toEqual([10]);
    search.setQuery({ kinds: [], cookie: null, reason: null }, '');
    const plain = buildTimelineScene({ ...input, search });
    expect(plain.matchMarks).toEqual([]);
    expect(plain.lanes.some((l) => l.matched)).toBe(false);
  });

  it('bins the whole recording for the overview strip', () => {
    const o = buildOverviewScene(recording(), { start: 0, end: 60 }, { start: 0, end: 30 }, 12, 20);
    expect(o.bins.reduce((a, b) => a + b, 0)).toBe(6);
    expect(o.window).toEqual({ x: 0, width: 6 });
  });
});

describe('zoomed-out pages and time ticks', () => {
  it('shows, for a pixel column of many pages, the kind most of them have', () => {
    const big = { ...arena, pages: 4000 };
    const bigPages = Array.from({ length: 4000 }, (_, i) => ({ state: i % 10 === 0 ? ('unmapped' as const) : ('present' as const), prot: 'rw' as const }));
    bigPages.fill({ state: 'unmapped', prot: 'rw' }, 2000);
    const scene = buildAddressMapScene({
      arena: big,
      pages: bigPages,
      index: indexRegistrations([]),
      domain: { start: page(0), end: page(4000) },
      width: 100,
      height: 100,
      flashes: [],
      selection: null,
      highlightCookie: null,
    });
    expect(scene.pageSegments.map((s) => [s.kind, s.firstPage, s.pages])).toEqual([
      ['present', 0, 2000],
      ['unmapped', 2000, 2000],
    ]);
  });

  it('puts time ticks at round durations from the start of the recording', () => {
    const scale = timeScale({ start: 1003.7, end: 1103.7 }, 0, 1000);
    const ticks = timeTicks(scale, 5, 1003.7);
    expect(ticks.map((t) => t.label)).toEqual(['0 ms', '20 ms', '40 ms', '60 ms', '80 ms', '100 ms']);
    expect(ticks[1]!.x).toBeCloseTo(200);
  });
});
