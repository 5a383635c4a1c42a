// The timeline: a lane for reads, a lane for the generation counter (and
// queue depth), then one lane per registration showing its lifetime, the
// invalidations that hit it and the reads that delivered them; a time axis
// on top and a legend below. Marks come from the buffer's per-cookie time indexes and are
// visited once per pixel column, so a million records draw in one frame.

import type { QueryRegistration } from '../../shared/domain';
import type { Span } from '../view-state/ranges';
import type { SearchHighlight } from '../view-state/search-highlight';
import { effectiveTimeDomain, recordingSpan } from '../view-state/time-domain';
import { lowerBound, sumBetween, type RegistrationLifetime, type TimelineBuffer } from '../view-state/timeline-buffer';
import type { ViewStateData } from '../view-state/view-store';
import type { Tick } from './address-scale';
import { drawAxisTicks } from './axis-ticks';
import { hex } from './format';
import { drawLegend, layoutLegend, type Legend, type LegendEntry } from './legend';
import { fitText } from './text-metrics';
import type { Palette } from './palette';
import type { Painter } from './painter';
import { timeScale, timeTicks, type TimeScale } from './time-scale';

export const TIMELINE_LAYOUT = { axisHeight: 20, laneHeight: 16, labelWidth: 110, markWidth: 2 };

export const TIMELINE_LEGEND: readonly LegendEntry[] = [
  { label: 'read()', shape: 'mark', colour: 'read' },
  { label: 'counter', shape: 'line', colour: 'counter' },
  { label: 'queue depth', shape: 'line', colour: 'queueDepth' },
  { label: 'registered', shape: 'box', colour: 'lifetime' },
  { label: 'invalidation', shape: 'mark', colour: 'invalidation' },
  { label: 'delivered by read()', shape: 'line', colour: 'read' },
];

export interface TimelineInput {
  buffer: TimelineBuffer;
  /** Current registrations, for cookies registered before the recording began. */
  registrations: readonly QueryRegistration[];
  domain: Span;
  /** Zero of the axis labels (the start of the recording). */
  origin: number;
  /** Right end of lifetimes still running (the latest time). */
  now: number;
  width: number;
  height: number;
  laneOffset: number;
  selection: Span | null;
  highlightCookie: bigint | null;
  /** The event log's matches, marked on the axis and on their lanes. */
  search?: SearchHighlight | null;
}

export interface TimelineLane {
  label: string;
  cookie: bigint | null;
  y: number;
  lifetime: { x: number; width: number } | null;
  /** The recorded registration this lane shows; null for one made before the recording began. */
  recorded: RegistrationLifetime | null;
  invalidations: number[];
  deliveries: number[];
  /** A record the event log matched concerns this lane's cookie. */
  matched: boolean;
}

export interface TimelineScene {
  width: number;
  height: number;
  scale: TimeScale;
  ticks: Tick[];
  reads: { x: number; events: number; last: boolean }[];
  readsY: number;
  counterY: number;
  counterLine: number[];
  depthLine: number[];
  counterRange: [number, number];
  lanes: TimelineLane[];
  totalLanes: number;
  selection: { x: number; width: number } | null;
  highlightCookie: bigint | null;
  /** Pixel columns holding records the event log matched. */
  matchMarks: number[];
  legend: Legend;
  /** Top of the legend; lanes end above it. */
  legendTop: number;
}

interface LaneSource {
  cookie: bigint;
  from: number;
  /** The lifetime it comes from (its end may still change), if recorded. */
  lifetime: RegistrationLifetime | null;
}

const sourceEnd = (s: LaneSource): number => s.lifetime?.unregisteredAt ?? Infinity;

// Lanes change only when registrations or lifetimes do, not on every frame.
const laneCache = new WeakMap<
  TimelineBuffer,
  { registrations: readonly QueryRegistration[]; lifetimes: number; first: RegistrationLifetime | undefined; sources: LaneSource[] }
>();

function laneSources(buffer: TimelineBuffer, registrations: readonly QueryRegistration[]): LaneSource[] {
  const lifetimes = buffer.lifetimes();
  const cached = laneCache.get(buffer);
  if (cached && cached.registrations === registrations && cached.lifetimes === lifetimes.length && cached.first === lifetimes[0]) return cached.sources;
  const recorded: LaneSource[] = lifetimes.map((l) => ({ cookie: l.cookie, from: l.registeredAt, lifetime: l }));
  const known = new Set(lifetimes.map((l) => l.cookie));
  const before = registrations.filter((r) => !known.has(r.cookie)).map((r) => ({ cookie: r.cookie, from: -Infinity, lifetime: null }));
  const sources = [...before, ...recorded];
  laneCache.set(buffer, { registrations, lifetimes: lifetimes.length, first: lifetimes[0], sources });
  return sources;
}

/** A time just above t (times are large millisecond values: adding EPSILON alone would change nothing). */
const justAfter = (t: number): number => t + Math.max(Number.MIN_VALUE, Math.abs(t) * Number.EPSILON);

export function buildTimelineScene(input: TimelineInput): TimelineScene {
  const L = TIMELINE_LAYOUT;
  const { buffer, width, height } = input;
  const x0 = L.labelWidth;
  const scale = timeScale(input.domain, x0, width);
  const readsY = L.axisHeight;
  const counterY = readsY + L.laneHeight;
  const firstLaneY = counterY + L.laneHeight * 2;

  const legend = layoutLegend(TIMELINE_LEGEND, width);
  const legendTop = height - legend.height;
  const sources = laneSources(buffer, input.registrations);
  const visibleCount = Math.max(0, Math.floor((legendTop - firstLaneY) / L.laneHeight));
  const offset = Math.min(input.laneOffset, Math.max(0, sources.length - visibleCount));
  const shown = sources.slice(offset, offset + visibleCount);
  const lanes: TimelineLane[] = shown.map((s, i) => {
    const from = Math.max(scale(Math.max(s.from, input.domain.start)), x0);
    const to = Math.min(scale(Math.min(sourceEnd(s), input.now)), width);
    return {
      label: hex(s.cookie),
      cookie: s.cookie,
      y: firstLaneY + i * L.laneHeight,
      lifetime: to >= from ? { x: from, width: Math.max(to - from, 1) } : null,
      recorded: s.lifetime,
      invalidations: [],
      deliveries: [],
      matched: input.search?.active === true && input.search.matchesCookie(s.cookie),
    };
  });
  // Marks are visited once per pixel column, not once per record: after a
  // mark, the search jumps to the first time of the next column.
  const lo = input.domain.start;
  const hi = input.domain.end;
  const columnEnd = (px: number): number => scale.invert(px + 0.5);
  const eachColumn = (times: ArrayLike<number>, from: number, to: number, visit: (px: number, first: number, next: number) => void): void => {
    let i = lowerBound(times, Math.max(from, lo));
    const stop = Math.min(to, hi);
    while (i < times.length && (times[i] as number) <= stop) {
      const px = Math.round(scale(times[i] as number));
      const next = Math.max(i + 1, lowerBound(times, columnEnd(px)));
      visit(px, i, next);
      i = next;
    }
  };
  shown.forEach((source, k) => {
    const lane = lanes[k] as TimelineLane;
    eachColumn(buffer.hitTimes(source.cookie), source.from, sourceEnd(source), (px) => lane.invalidations.push(px));
    eachColumn(buffer.deliveryTimes(source.cookie), source.from, sourceEnd(source), (px) => lane.deliveries.push(px));
  });
  const matchMarks: number[] = [];
  if (input.search?.active) eachColumn(input.search.times(), -Infinity, Infinity, (px) => matchMarks.push(px));
  const readMarks = buffer.reads();
  const reads: TimelineScene['reads'] = [];
  eachColumn(readMarks.times, -Infinity, Infinity, (px, first, next) =>
    reads.push({
      x: px,
      events: sumBetween(readMarks.eventTotals, first, next),
      last: sumBetween(readMarks.drainTotals, first, next) > 0,
    }),
  );

  // Counter and queue depth: the value at the end of each pixel column; the last column
  // ends at `hi` inclusive, so a record at the live edge counts.
  const columns: { x: number; counter: number; depth: number }[] = [];
  const before = buffer.indexAtTime(lo) - 1;
  if (before >= 0) columns.push({ x: x0, counter: buffer.counterAt(before), depth: buffer.queueDepthAt(before) });
  for (let px = Math.ceil(x0); px < width; px++) {
    const last = buffer.indexAtTime(Math.min(px + 1 >= width ? Infinity : columnEnd(px), justAfter(hi))) - 1;
    if (last < 0 || last <= before) continue;
    const counter = buffer.counterAt(last);
    const depth = buffer.queueDepthAt(last);
    const previous = columns[columns.length - 1];
    if (previous && previous.counter === counter && previous.depth === depth) continue;
    columns.push({ x: px, counter, depth });
    if (buffer.timeAt(last) >= hi) break;
  }
  let counterMin = Infinity;
  let counterMax = -Infinity;
  let depthMax = 1;
  for (const c of columns) {
    counterMin = Math.min(counterMin, c.counter);
    counterMax = Math.max(counterMax, c.counter);
    depthMax = Math.max(depthMax, c.depth);
  }
  if (counterMin === Infinity) counterMin = counterMax = 0;
  const counterSpan = Math.max(1, counterMax - counterMin);
  const levelY = (value: number, base: number, span: number): number => counterY + L.laneHeight - 2 - ((value - base) / span) * (L.laneHeight - 4);
  const counterLine: number[] = [];
  const depthLine: number[] = [];
  columns.forEach((c, i) => {
    const cy = levelY(c.counter, counterMin, counterSpan);
    const dy = levelY(c.depth, 0, depthMax);
    if (i > 0) {
      counterLine.push(c.x, counterLine[counterLine.length - 1] as number);
      depthLine.push(c.x, depthLine[depthLine.length - 1] as number);
    }
    counterLine.push(c.x, cy);
    depthLine.push(c.x, dy);
  });
  if (counterLine.length) {
    // The lines stop at the newest record: nothing is known after it.
    const end = Math.max(counterLine[counterLine.length - 2] as number, Math.min(width, scale(input.now)));
    counterLine.push(end, counterLine[counterLine.length - 1] as number);
    depthLine.push(end, depthLine[depthLine.length - 1] as number);
  }

  const selection = input.selection
    ? (() => {
        const a = Math.max(scale(input.selection.start), x0);
        const b = Math.min(scale(input.selection.end), width);
        return b >= a ? { x: a, width: Math.max(1, b - a) } : null;
      })()
    : null;

  return {
    width,
    height,
    scale,
    ticks: timeTicks(scale, Math.max(2, Math.floor((width - x0) / 110)), input.origin),
    reads,
    readsY,
    counterY,
    counterLine,
    depthLine,
    counterRange: [counterMin, counterMax],
    lanes,
    totalLanes: sources.length,
    selection,
    highlightCookie: input.highlightCookie,
    matchMarks,
    legend,
    legendTop,
  };
}

/** The timeline scene for a view state: what the window shows, and what an export of it draws. */
export function buildTimelineSceneForView(
  view: Pick<ViewStateData, 'timeDomain' | 'followLive' | 'laneOffset' | 'selection'>,
  buffer: TimelineBuffer,
  registrations: readonly QueryRegistration[],
  size: { width: number; height: number },
  search: SearchHighlight,
): TimelineScene {
  const full = recordingSpan(buffer);
  return buildTimelineScene({
    buffer,
    registrations,
    domain: effectiveTimeDomain(view, buffer),
    origin: full.start,
    now: full.end,
    width: size.width,
    height: size.height,
    laneOffset: view.laneOffset,
    selection: view.selection.time,
    highlightCookie: view.selection.cookie,
    search,
  });
}

/**
 * Marks drawn `width` px wide from x - 1, for pixel columns xs in order:
 * marks that touch or overlap are one rectangle (the same pixels), so a
 * dense stream costs a few rectangles per lane instead of one per column.
 */
function eachMarkRun(xs: readonly number[], width: number, visit: (x: number, width: number, first: number, next: number) => void): void {
  let i = 0;
  while (i < xs.length) {
    const start = (xs[i] as number) - 1;
    let end = start + width;
    let j = i + 1;
    while (j < xs.length && (xs[j] as number) - 1 <= end) end = (xs[j++] as number) - 1 + width;
    visit(start, end - start, i, j);
    i = j;
  }
}

export function drawTimeline(p: Painter, scene: TimelineScene, palette: Palette): void {
  const L = TIMELINE_LAYOUT;
  const plotWidth = scene.width - L.labelWidth;
  p.group('axis', () => {
    p.line(L.labelWidth, L.axisHeight - 0.5, scene.width, L.axisHeight - 0.5, { stroke: palette.border });
    drawAxisTicks(p, scene.ticks, L.axisHeight, scene.legendTop, scene.width, palette);
  });
  p.group('labels', () => {
    p.text(4, scene.readsY + L.laneHeight / 2, 'read()', { fill: palette.text, bold: true });
    p.text(4, scene.counterY + L.laneHeight / 2, `counter ${scene.counterRange[1]}`, { fill: palette.counter, bold: true });
    p.text(4, scene.counterY + L.laneHeight * 1.5, 'queue depth', { fill: palette.queueDepth });
    for (const lane of scene.lanes) {
      const marked = lane.cookie === scene.highlightCookie || lane.matched;
      p.text(4, lane.y + L.laneHeight / 2, fitText(lane.label, L.labelWidth - 8), { fill: marked ? palette.accent : palette.text, bold: marked });
    }
  });
  p.group('matches', () => {
    eachMarkRun(scene.matchMarks, L.markWidth, (x, width) => p.rect(x, L.axisHeight - 6, width, 6, { fill: palette.accent }, { match: '1' }));
  });
  const plotHeight = scene.legendTop - L.axisHeight;
  p.clip(L.labelWidth, L.axisHeight, plotWidth, plotHeight, () => {
    p.group('reads', () => {
      // Reads that drained the queue (LAST) and those that did not are drawn apart: they differ in opacity.
      for (const last of [false, true]) {
        const reads = scene.reads.filter((read) => read.last === last);
        eachMarkRun(
          reads.map((read) => read.x),
          L.markWidth + 1,
          (x, width, first, next) =>
            p.rect(x, scene.readsY + 2, width, L.laneHeight - 4, { fill: palette.read, opacity: last ? 1 : 0.6 }, {
              read: String(reads.slice(first, next).reduce((sum, read) => sum + read.events, 0)),
              last: last ? '1' : '0',
            }),
        );
      }
    });
    p.group('counter', () => {
      p.polyline(scene.depthLine, { stroke: palette.queueDepth, lineWidth: 1 });
      p.polyline(scene.counterLine, { stroke: palette.counter, lineWidth: 1.5 });
    });
    p.group('lanes', () => {
      for (const lane of scene.lanes) {
        const meta = { cookie: lane.label };
        p.group(
          'lane',
          () => {
            if (lane.matched) p.rect(L.labelWidth, lane.y, plotWidth, L.laneHeight, { fill: palette.accent, opacity: 0.08 }, { matched: lane.label });
            if (lane.lifetime) p.rect(lane.lifetime.x, lane.y + 4, lane.lifetime.width, L.laneHeight - 8, { fill: palette.lifetime }, { lifetime: lane.label });
            eachMarkRun(lane.invalidations, L.markWidth, (x, width) => p.rect(x, lane.y + 1, width, L.laneHeight - 2, { fill: palette.invalidation }, { invalidation: lane.label }));
            eachMarkRun(lane.deliveries, L.markWidth + 2, (x, width) => p.rect(x, lane.y + L.laneHeight - 5, width, 4, { fill: palette.read }, { delivered: lane.label }));
          },
          meta,
        );
      }
    });
    if (scene.selection) {
      const s = scene.selection;
      p.group('selection', () => p.rect(s.x, L.axisHeight, s.width, plotHeight, { fill: palette.selection, opacity: 0.15, stroke: palette.selection }));
    }
  });
  const hidden = scene.totalLanes - scene.lanes.length;
  // In the label column of the axis row, which is otherwise empty.
  if (hidden > 0) p.text(4, L.axisHeight / 2, `+${hidden} lanes (scroll)`, { fill: palette.text });
  drawLegend(p, scene.legend, scene.legendTop, palette);
}

/** The overview strip: density of records over the whole recording and the visible window. */
export interface OverviewScene {
  width: number;
  height: number;
  scale: TimeScale;
  bins: number[];
  window: { x: number; width: number } | null;
  /** Pixel columns holding records the event log matched. */
  matchMarks: number[];
}

export function buildOverviewScene(
  buffer: TimelineBuffer,
  full: Span,
  visible: Span | null,
  width: number,
  height: number,
  search: SearchHighlight | null = null,
): OverviewScene {
  const scale = timeScale(full, 0, width);
  const binCount = Math.max(1, Math.floor(width / 2));
  const bins: number[] = [];
  let previous = buffer.indexAtTime(full.start);
  for (let b = 1; b <= binCount; b++) {
    const edge = b === binCount ? buffer.length : buffer.indexAtTime(scale.invert((b * width) / binCount));
    bins.push(edge - previous);
    previous = edge;
  }
  const window = visible && { x: Math.max(0, scale(visible.start)), width: Math.max(2, Math.min(width, scale(visible.end)) - Math.max(0, scale(visible.start))) };
  const matchMarks: number[] = [];
  if (search?.active) {
    const times = search.times();
    for (let i = lowerBound(times, full.start); i < times.length; ) {
      const px = Math.floor(scale(times[i] as number));
      matchMarks.push(px);
      i = Math.max(i + 1, lowerBound(times, scale.invert(px + 1)));
    }
  }
  return { width, height, scale, bins, window, matchMarks };
}

export function drawOverview(p: Painter, scene: OverviewScene, palette: Palette): void {
  const max = Math.max(1, ...scene.bins);
  const binWidth = scene.width / Math.max(1, scene.bins.length);
  p.group('overview', () => {
    scene.bins.forEach((count, i) => {
      if (count === 0) return;
      const h = Math.max(1, (Math.log1p(count) / Math.log1p(max)) * (scene.height - 2));
      p.rect(i * binWidth, scene.height - h, Math.max(1, binWidth - 0.5), h, { fill: palette.muted, opacity: 0.6 });
    });
    for (const x of scene.matchMarks) p.rect(x, 0, 1, 5, { fill: palette.accent }, { match: '1' });
    if (scene.window) p.rect(scene.window.x, 0, scene.window.width, scene.height, { fill: palette.selection, opacity: 0.2, stroke: palette.selection }, { window: '1' });
  });
}
