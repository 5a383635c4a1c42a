// The address map: an axis of addresses and page numbers, the arena's pages
// as a backdrop, registrations as bars stacked in lanes, coloured by state
// and labelled with their cookie where it fits, each queued hint as a band
// along the bottom of its bar, invalidations flashing in a strip of their
// own over the exact range they hit (never over a bar, whose colour is its
// state), a registration's generation word at the right end of its bar
// when the session negotiated GENERATIONS and it has a slot, and a legend.
// buildAddressMapScene lays it out (also used for
// hover and drag hit tests); drawAddressMap paints it.

import type { ArenaInfo, PageState, Protection, QueryRegistration } from '../../shared/domain';
import type { SearchHighlight } from '../view-state/search-highlight';
import type { AddressRange } from '../view-state/view-store';
import { addressScale, addressTicks, type AddressScale, type Tick } from './address-scale';
import { flashSpansOf, type Flash, type FlashSpan } from './flash-field';
import { AXIS_LINE_HEIGHT, drawAxisTicks } from './axis-ticks';
import { drawLegend, layoutLegend, legendHeight, type Legend, type LegendEntry } from './legend';
import { textWidth } from './text-metrics';
import { assignLanes, type LaneLayout } from './lanes';
import type { Palette } from './palette';
import type { Painter } from './painter';
import { registrationState, type RegistrationState } from './registration-state';
import { hex } from './format';

export interface ArenaPage {
  state: PageState;
  prot: Protection;
}

export type PageKind = 'unmapped' | 'mapped' | 'present' | 'protected';

export function pageKind(page: ArenaPage): PageKind {
  if (page.state === 'unmapped') return 'unmapped';
  if (page.prot !== 'rw') return 'protected';
  return page.state === 'present' ? 'present' : 'mapped';
}

/** Registrations prepared for drawing: numeric ranges and lanes, computed once per snapshot. */
export interface RegistrationIndex extends LaneLayout {
  registrations: readonly QueryRegistration[];
  starts: Float64Array;
  ends: Float64Array;
  /** Indexes ordered by start, and the longest range, to find the visible ones by binary search. */
  byStart: Uint32Array;
  maxLength: number;
}

export function indexRegistrations(registrations: readonly QueryRegistration[]): RegistrationIndex {
  const n = registrations.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  let maxLength = 0;
  for (let i = 0; i < n; i++) {
    const r = registrations[i] as QueryRegistration;
    starts[i] = Number(r.start);
    ends[i] = Number(r.end);
    maxLength = Math.max(maxLength, (ends[i] as number) - (starts[i] as number));
  }
  const byStart = new Uint32Array(n);
  for (let i = 0; i < n; i++) byStart[i] = i;
  byStart.sort((a, b) => (starts[a] as number) - (starts[b] as number) || a - b);
  return { registrations, starts, ends, byStart, maxLength, ...assignLanes(registrations) };
}

export interface AddressMapInput {
  arena: ArenaInfo;
  pages: readonly ArenaPage[];
  index: RegistrationIndex;
  domain: AddressRange;
  width: number;
  height: number;
  flashes: readonly Flash[];
  selection: AddressRange | null;
  highlightCookie: bigint | null;
  /** The session negotiated FEATURE_GENERATIONS: bars of registrations with a slot show its word (default: not shown). */
  showGenerations?: boolean;
}

export interface RegistrationBar {
  index: number;
  registration: QueryRegistration;
  state: RegistrationState;
  lane: number;
  x: number;
  y: number;
  width: number;
  height: number;
  hint: { x: number; width: number } | null;
  /** The cookie, where it fits inside the bar. */
  label: string | null;
  /** "g<word>" for a registration with a generation slot, where it fits after the cookie. */
  generation: string | null;
}

export interface AddressMapScene {
  width: number;
  height: number;
  scale: AddressScale;
  pageSize: number;
  ticks: Tick[];
  pageSegments: { x: number; width: number; kind: PageKind; firstPage: number; pages: number }[];
  bars: RegistrationBar[];
  flashes: FlashSpan[];
  /** Bars of cookies the event log's filter or search matched. */
  matched: RegistrationBar[];
  selection: { x: number; width: number } | null;
  /** Lanes that did not fit the height. */
  hiddenLanes: number;
  highlightCookie: bigint | null;
  legend: Legend;
  /** Top of the legend, under the lanes. */
  legendTop: number;
}

const AXIS_HEIGHT = 2 * AXIS_LINE_HEIGHT + 4;
export const ADDRESS_MAP_LAYOUT = {
  axisHeight: AXIS_HEIGHT,
  backdropTop: AXIS_HEIGHT + 2,
  backdropHeight: 16,
  flashTop: AXIS_HEIGHT + 20,
  flashHeight: 8,
  laneTop: AXIS_HEIGHT + 32,
  laneHeight: 20,
  laneGap: 3,
  /** The hint band along the bottom of a bar, under the cookie label. */
  hintHeight: 5,
  minBarWidth: 1,
};

export const ADDRESS_MAP_LEGEND: readonly LegendEntry[] = [
  { label: 'page unmapped', shape: 'box', colour: 'pageUnmapped' },
  { label: 'mapped', shape: 'box', colour: 'pageMapped' },
  { label: 'present', shape: 'box', colour: 'pagePresent' },
  { label: 'read-only / no access', shape: 'box', colour: 'pageProtected' },
  { label: 'registration: clean', shape: 'box', colour: 'clean' },
  { label: 'queued HINT', shape: 'band', colour: 'queuedHint', inner: 'hint' },
  { label: 'queued HINT union', shape: 'band', colour: 'queuedUnion', inner: 'hint' },
  { label: 'queued whole range', shape: 'box', colour: 'queuedWhole' },
  { label: 'invalidated just now', shape: 'box', colour: 'flash' },
];

export const arenaRange = (arena: ArenaInfo): AddressRange => ({
  start: arena.base,
  end: arena.base + BigInt(arena.pages) * BigInt(arena.pageSize),
});

/** Space between the last lane and the legend. */
const LEGEND_MARGIN = 6;

/** The map's height for a lane layout at a width: every lane up to a limit, and the legend. */
export function mapHeight(layout: LaneLayout, width: number): number {
  const L = ADDRESS_MAP_LAYOUT;
  const lanes = Math.min(12, Math.max(layout.laneCount, 3));
  return L.laneTop + lanes * (L.laneHeight + L.laneGap) + LEGEND_MARGIN + legendHeight(ADDRESS_MAP_LEGEND, width);
}

function spanPixels(scale: AddressScale, start: bigint, end: bigint, width: number): { x: number; width: number } | null {
  const x0 = Math.max(scale(Number(start)), 0);
  const x1 = Math.min(scale(Number(end)), width);
  if (x1 < 0 || x0 > width || x1 < x0) return null;
  return { x: x0, width: Math.max(x1 - x0, ADDRESS_MAP_LAYOUT.minBarWidth) };
}

/** Room left and right of a cookie label inside its bar. */
const BAR_LABEL_INSET = 4;

export function buildAddressMapScene(input: AddressMapInput): AddressMapScene {
  const { arena, width, height } = input;
  const L = ADDRESS_MAP_LAYOUT;
  const scale = addressScale(input.domain, 0, width);

  const pageSegments: AddressMapScene['pageSegments'] = [];
  const pageBytes = arena.pageSize;
  const baseNumber = Number(arena.base);
  const pageAt = (x: number) => (scale.invert(x) - baseNumber) / pageBytes;
  const firstPage = Math.max(0, Math.floor(pageAt(0)));
  const endPage = Math.min(input.pages.length, Math.ceil(pageAt(width)));
  // Several pages per pixel: each column shows the kind most of its pages have.
  const pagesPerPixel = Math.max(1, Math.floor((endPage - firstPage) / Math.max(1, width)));
  const pagesX = (page: number) => scale(baseNumber + page * pageBytes);
  for (let i = firstPage; i < endPage; ) {
    let kind = pageKind(input.pages[i] as ArenaPage);
    let j = i + 1;
    if (pagesPerPixel > 1) {
      j = Math.min(endPage, i + pagesPerPixel);
      const counts = new Map<PageKind, number>();
      for (let p = i; p < j; p++) {
        const k = pageKind(input.pages[p] as ArenaPage);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      let most = 0;
      for (const [k, n] of counts)
        if (n > most) {
          most = n;
          kind = k;
        }
    } else while (j < endPage && pageKind(input.pages[j] as ArenaPage) === kind) j++;
    const previous = pageSegments[pageSegments.length - 1];
    const x = Math.max(pagesX(i), 0);
    const right = Math.min(pagesX(j), width);
    if (previous && previous.kind === kind && previous.firstPage + previous.pages === i) {
      previous.pages += j - i;
      previous.width = right - previous.x;
    } else pageSegments.push({ x, width: Math.max(right - x, ADDRESS_MAP_LAYOUT.minBarWidth), kind, firstPage: i, pages: j - i });
    i = j;
  }

  const legend = layoutLegend(ADDRESS_MAP_LEGEND, width);
  const legendTop = height - legend.height;
  const lanesBottom = legendTop - LEGEND_MARGIN;
  const visibleLanes = Math.max(0, Math.floor((lanesBottom - L.laneTop + L.laneGap) / (L.laneHeight + L.laneGap)));
  const bars: RegistrationBar[] = [];
  const { index } = input;
  // Decimation: a clean bar entirely under the pixels already painted in its
  // lane, or a whole-range queued bar under pixels painted in its own colour,
  // adds nothing at this zoom and is skipped, which keeps 100k bars cheap.
  const laneSlots = Math.min(index.laneCount, visibleLanes);
  const paintedTo = new Float64Array(laneSlots).fill(-Infinity);
  const paintedState: (RegistrationState | undefined)[] = new Array<RegistrationState | undefined>(laneSlots);
  const domainStart = Number(input.domain.start);
  const domainEnd = Number(input.domain.end);
  let k = 0;
  for (let lo = 0, hi = index.byStart.length; lo < hi; ) {
    const mid = (lo + hi) >>> 1;
    if ((index.starts[index.byStart[mid] as number] as number) < domainStart - index.maxLength) lo = mid + 1;
    else hi = mid;
    k = lo;
  }
  for (; k < index.byStart.length; k++) {
    const i = index.byStart[k] as number;
    const start = index.starts[i] as number;
    if (start >= domainEnd) break;
    const end = index.ends[i] as number;
    const lane = index.lanes[i] ?? 0;
    if (end <= domainStart || lane >= visibleLanes) continue;
    const registration = index.registrations[i] as QueryRegistration;
    const state = registrationState(registration);
    const x = Math.max(scale(start), 0);
    const w = Math.max(Math.min(scale(end), width) - x, ADDRESS_MAP_LAYOUT.minBarWidth);
    const hidden = state === 'clean' || (state === 'queued-whole' && paintedState[lane] === state);
    if (hidden && registration.cookie !== input.highlightCookie && x + w <= (paintedTo[lane] ?? -Infinity) + 1) continue;
    paintedTo[lane] = Math.max(paintedTo[lane] ?? -Infinity, x + w);
    paintedState[lane] = state;
    const hint =
      state === 'queued-hint' || state === 'queued-union' ? spanPixels(scale, registration.hintStart, registration.hintEnd, width) : null;
    const label = hex(registration.cookie);
    const labelFits = textWidth(label) + 2 * BAR_LABEL_INSET <= w;
    const generation = input.showGenerations === true && registration.slot ? generationLabel(registration.slot.generation) : null;
    const generationRoom = (labelFits ? textWidth(label) + BAR_LABEL_INSET : 0) + 2 * BAR_LABEL_INSET;
    bars.push({
      index: i,
      registration,
      state,
      lane,
      x,
      y: L.laneTop + lane * (L.laneHeight + L.laneGap),
      width: w,
      height: L.laneHeight,
      hint,
      label: labelFits ? label : null,
      generation: generation !== null && textWidth(generation) + generationRoom <= w ? generation : null,
    });
  }

  return {
    width,
    height,
    scale,
    pageSize: arena.pageSize,
    ticks: addressTicks(scale, Math.max(2, Math.floor(width / 170)), arena.pageSize, arena.base),
    pageSegments,
    bars,
    flashes: flashSpansOf(scale, input.flashes, width),
    matched: [],
    selection: input.selection && spanPixels(scale, input.selection.start, input.selection.end, width),
    hiddenLanes: Math.max(0, index.laneCount - visibleLanes),
    highlightCookie: input.highlightCookie,
    legend,
    legendTop,
  };
}

/** How a bar names its registration's generation word. */
export const generationLabel = (generation: bigint): string => `g${generation}`;

/** The bars whose cookie a record matched by the event log's filter or search concerns. */
export function matchedBars(bars: readonly RegistrationBar[], search: SearchHighlight): RegistrationBar[] {
  return search.active ? bars.filter((bar) => search.matchesCookie(bar.registration.cookie)) : [];
}

/** The topmost registration bar under (x, y). */
export function hitTestBar(scene: AddressMapScene, x: number, y: number): RegistrationBar | undefined {
  for (let i = scene.bars.length - 1; i >= 0; i--) {
    const bar = scene.bars[i] as RegistrationBar;
    if (x >= bar.x - 1 && x <= bar.x + bar.width + 1 && y >= bar.y && y <= bar.y + bar.height) return bar;
  }
  return undefined;
}

const STATE_COLOUR: Record<RegistrationState, keyof Palette> = {
  clean: 'clean',
  'queued-hint': 'queuedHint',
  'queued-union': 'queuedUnion',
  'queued-whole': 'queuedWhole',
};

const PAGE_COLOUR: Record<PageKind, keyof Palette> = {
  unmapped: 'pageUnmapped',
  mapped: 'pageMapped',
  present: 'pagePresent',
  protected: 'pageProtected',
};

/** Bars narrower than this (pixels) may be painted merged with their neighbours. */
const SLIVER_WIDTH = 2;

interface BarRun {
  x: number;
  end: number;
  y: number;
  height: number;
  state: RegistrationState;
  bars: number;
}

export function drawAddressMap(p: Painter, scene: AddressMapScene, palette: Palette): void {
  drawAddressMapBase(p, scene, palette);
  drawAddressMapOverlay(p, scene, palette);
}

/** The layers under the flashes: axis, page backdrop, registration bars and their labels, legend. */
export function drawAddressMapBase(p: Painter, scene: AddressMapScene, palette: Palette): void {
  const L = ADDRESS_MAP_LAYOUT;
  p.group('axis', () => {
    p.line(0, L.axisHeight - 0.5, scene.width, L.axisHeight - 0.5, { stroke: palette.border });
    drawAxisTicks(p, scene.ticks, L.axisHeight, scene.legendTop - LEGEND_MARGIN, scene.width, palette);
  });
  p.group('pages', () => {
    for (const s of scene.pageSegments)
      p.rect(s.x, L.backdropTop, s.width, L.backdropHeight, { fill: palette[PAGE_COLOUR[s.kind]] }, () => ({
        kind: s.kind,
        'first-page': String(s.firstPage),
        pages: String(s.pages),
      }));
  });
  p.group('registrations', () => {
    // Zoomed out, bars are slivers: touching slivers of one lane and colour
    // are painted as one rectangle (thousands fewer per frame).
    const runs: (BarRun | undefined)[] = [];
    const flush = (lane: number): void => {
      const run = runs[lane];
      if (!run) return;
      runs[lane] = undefined;
      p.rect(run.x, run.y, run.end - run.x, run.height, { fill: palette[STATE_COLOUR[run.state]] }, () => ({
        state: run.state,
        lane: String(lane),
        bars: String(run.bars),
      }));
    };
    for (const bar of scene.bars) {
      const highlighted = bar.registration.cookie === scene.highlightCookie;
      const sliver = bar.width < SLIVER_WIDTH && !bar.hint && !highlighted;
      const run = runs[bar.lane];
      if (sliver && run && run.state === bar.state && bar.x <= run.end + 0.5) {
        run.end = Math.max(run.end, bar.x + bar.width);
        run.bars++;
        continue;
      }
      flush(bar.lane);
      if (sliver) {
        runs[bar.lane] = { x: bar.x, end: bar.x + bar.width, y: bar.y, height: bar.height, state: bar.state, bars: 1 };
        continue;
      }
      p.rect(
        bar.x,
        bar.y,
        bar.width,
        bar.height,
        highlighted ? { fill: palette[STATE_COLOUR[bar.state]], stroke: palette.text, lineWidth: 2 } : { fill: palette[STATE_COLOUR[bar.state]] },
        () => ({ cookie: hex(bar.registration.cookie), state: bar.state, lane: String(bar.lane) }),
      );
      if (bar.hint)
        p.rect(bar.hint.x, bar.y + bar.height - L.hintHeight, bar.hint.width, L.hintHeight, { fill: palette.hint }, () => ({
          hint: hex(bar.registration.cookie),
          start: hex(bar.registration.hintStart),
          end: hex(bar.registration.hintEnd),
        }));
    }
    runs.forEach((_, lane) => flush(lane));
  });
  p.group('labels', () => {
    for (const bar of scene.bars)
      if (bar.label !== null)
        p.text(bar.x + BAR_LABEL_INSET, bar.y + (bar.height - L.hintHeight) / 2 + 1, bar.label, { fill: palette.barLabel });
    for (const bar of scene.bars)
      if (bar.generation !== null)
        p.text(bar.x + bar.width - BAR_LABEL_INSET, bar.y + (bar.height - L.hintHeight) / 2 + 1, bar.generation, {
          fill: palette.barLabel,
          align: 'end',
        });
  });
  drawLegend(p, scene.legend, scene.legendTop, palette);
}

/** The layers that change while invalidations stream in: flashes, search matches, selection, the hidden-lane note. */
export function drawAddressMapOverlay(p: Painter, scene: AddressMapScene, palette: Palette): void {
  const L = ADDRESS_MAP_LAYOUT;
  p.group('flashes', () => {
    for (const f of scene.flashes) p.rect(f.x, L.flashTop, f.width, L.flashHeight, { fill: palette.flash, opacity: f.strength }, { flash: '1' });
  });
  p.group('matches', () => {
    for (const bar of scene.matched)
      p.rect(bar.x - 1, bar.y - 1, bar.width + 2, bar.height + 2, { stroke: palette.accent, lineWidth: 2 }, { match: hex(bar.registration.cookie) });
  });
  if (scene.selection)
    p.group('selection', () => {
      const s = scene.selection;
      if (s) p.rect(s.x, L.axisHeight, s.width, scene.legendTop - LEGEND_MARGIN - L.axisHeight, { fill: palette.selection, opacity: 0.15, stroke: palette.selection });
    });
  if (scene.hiddenLanes > 0) {
    // Over the last lane, on a patch of background so that it reads over bars.
    const text = `+${scene.hiddenLanes} lanes not shown`;
    const y = scene.legendTop - LEGEND_MARGIN - L.laneHeight / 2;
    p.rect(scene.width - 8 - textWidth(text), y - L.laneHeight / 2, textWidth(text) + 8, L.laneHeight, { fill: palette.background, opacity: 0.9 });
    p.text(scene.width - 4, y, text, { fill: palette.text, align: 'end' });
  }
}
