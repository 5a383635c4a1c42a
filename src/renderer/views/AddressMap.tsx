// The address map on canvas: wheel zooms and Shift+drag pans (d3-zoom),
// drag selects pages, hovering a registration shows what it is, clicking
// selects its cookie. New invalidations flash in the strip above the lanes,
// over the range they hit.

import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { FEATURE_GENERATIONS, type ArenaInfo, type QueryRegistration } from '../../shared/domain';
import { addressAt, addressScale } from '../draw/address-scale';
import { ADDRESS_MAP_LEGEND, arenaRange, buildAddressMapScene, indexRegistrations, drawAddressMapBase, drawAddressMapOverlay, hitTestBar, mapHeight, matchedBars, type ArenaPage, type RegistrationBar } from '../draw/address-map';
import { describeReasons, hex, pageCount } from '../draw/format';
import { PALETTES } from '../draw/palette';
import { REGISTRATION_STATE_LABEL } from '../draw/registration-state';
import { FlashField } from '../draw/flash-field';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import { useViewStore, useViewStoreApi } from '../view-state/use-view-store';
import type { AddressRange } from '../view-state/view-store';
import { canvasPainter } from './canvas-surface';
import { matcherFor } from './log-matcher';
import { cancelDraw, requestDraw, requestLiveDraw } from './frame-scheduler';
import { Tooltip } from './Tooltip';
import { useElementWidth } from './use-element-width';

export interface AddressMapProps {
  arena: ArenaInfo;
  pages: readonly ArenaPage[];
  registrations: readonly QueryRegistration[];
  buffer: TimelineBuffer;
  /** The negotiated feature mask: with GENERATIONS, registrations with a slot show their generation. */
  features: number;
}

const FLASH_MS = 1200;
const MAX_ZOOM = 1 << 20;

/** Invalidations seen since mount, as fading flashes; onFlash is called per appended batch. */
function useFlashes(buffer: TimelineBuffer, onFlash: () => void): FlashField {
  const [field] = useState(() => new FlashField(FLASH_MS));
  useEffect(() => {
    let seen = buffer.length + buffer.dropped;
    return buffer.subscribe((b) => {
      const total = b.length + b.dropped;
      const now = performance.now();
      for (let seq = Math.max(seen, b.dropped); seq < total; seq++) {
        const i = seq - b.dropped;
        if (b.kindAt(i) !== 'invalidation') continue;
        const record = b.get(i);
        if (record.kind === 'invalidation') field.add(Number(record.start), Number(record.end), now);
      }
      seen = total;
      onFlash();
    });
  }, [buffer, field, onFlash]);
  return field;
}

export function AddressMap({ arena, pages, registrations, buffer, features }: AddressMapProps) {
  const showGenerations = (features & FEATURE_GENERATIONS) !== 0;
  const store = useViewStoreApi();
  const theme = useViewStore((s) => s.theme);
  const domainState = useViewStore((s) => s.addressDomain);
  const selection = useViewStore((s) => s.selection.addresses);
  const highlightCookie = useViewStore((s) => s.selection.cookie);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(containerRef, 960);
  const index = useMemo(() => indexRegistrations(registrations), [registrations]);
  const height = mapHeight(index, width);
  const full = useMemo(() => arenaRange(arena), [arena]);
  const domain = domainState ?? full;
  const [hover, setHover] = useState<{ cookie: bigint; x: number; y: number } | null>(null);
  const drag = useRef<bigint | null>(null);

  const drawRef = useRef<() => void>(() => undefined);
  const baseRef = useRef<HTMLCanvasElement | null>(null);
  const redraw = useCallback(() => requestLiveDraw(drawRef.current), []);
  const flashes = useFlashes(buffer, redraw);

  const scene = useMemo(
    () => buildAddressMapScene({ arena, pages, index, domain, width, height, flashes: [], selection, highlightCookie, showGenerations }),
    [arena, pages, index, domain, width, height, selection, highlightCookie, showGenerations],
  );

  useEffect(() => {
    // While invalidations stream in, the map redraws every frame for the
    // flashes; the layers under them are drawn once per scene into a cache
    // (also when nothing flashes, so that the first flash costs no redraw).
    let baseDrawn = false;
    const draw = (): void => {
      const canvas = canvasRef.current;
      const painter = canvasPainter(canvas, width, height);
      const ctx = canvas?.getContext('2d');
      if (!painter || !ctx) return;
      const palette = PALETTES[theme];
      const base = (baseRef.current ??= document.createElement('canvas'));
      if (!baseDrawn) {
        const basePainter = canvasPainter(base, width, height);
        if (basePainter) drawAddressMapBase(basePainter, scene, palette);
        baseDrawn = true;
      }
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(base, 0, 0);
      ctx.restore();
      const now = performance.now();
      flashes.project(scene.scale, width);
      drawAddressMapOverlay(painter, { ...scene, flashes: flashes.spans(now), matched: matchedBars(scene.bars, matcherFor(buffer)) }, palette);
      if (flashes.live(now)) requestLiveDraw(draw);
    };
    drawRef.current = draw;
    requestDraw(draw);
    const stopMatches = matcherFor(buffer).subscribe(() => requestDraw(draw));
    return () => {
      stopMatches();
      cancelDraw(draw);
    };
  }, [scene, theme, flashes, width, height, buffer]);

  // d3-zoom owns wheel and Shift+drag; plain drag is left to page selection.
  const zoomRef = useRef<ZoomBehavior<HTMLCanvasElement, unknown> | null>(null);
  const applying = useRef(false);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const base = addressScale(full, 0, width);
    const behaviour = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([1, MAX_ZOOM])
      .extent([
        [0, 0],
        [width, height],
      ])
      .translateExtent([
        [0, 0],
        [width, height],
      ])
      .filter((event: Event) => event.type === 'wheel' || (event instanceof globalThis.MouseEvent && (event.shiftKey || event.button === 1)))
      .on('zoom', (event: { transform: ZoomTransform }) => {
        if (applying.current) return;
        const [a, b] = event.transform.rescaleX(base).domain() as [number, number];
        const start = BigInt(Math.max(Math.floor(a), Number(full.start)));
        const end = BigInt(Math.min(Math.ceil(b), Number(full.end)));
        store.getState().setAddressDomain(event.transform.k === 1 ? null : { start, end: end > start ? end : start + 1n });
      });
    zoomRef.current = behaviour;
    select(canvas).call(behaviour);
    return () => void select(canvas).on('.zoom', null);
  }, [full, width, height, store]);

  // Keep d3-zoom's transform in step when the domain changes elsewhere (restore, "0").
  useEffect(() => {
    const canvas = canvasRef.current;
    const behaviour = zoomRef.current;
    if (!canvas || !behaviour) return;
    const base = addressScale(full, 0, width);
    const k = Number(full.end - full.start) / Math.max(1, Number(domain.end - domain.start));
    const transform = zoomIdentity.scale(k).translate(-base(Number(domain.start)), 0);
    applying.current = true;
    select(canvas).call(behaviour.transform, transform);
    applying.current = false;
  }, [domain, full, width]);

  const pointer = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const pageRange = (a: bigint, b: bigint): AddressRange => {
    const lo = a < b ? a : b;
    const hi = (a < b ? b : a) + BigInt(arena.pageSize);
    const clamp = (v: bigint) => (v < full.start ? full.start : v > full.end ? full.end : v);
    return { start: clamp(lo), end: clamp(hi) };
  };

  const onMouseDown = (e: MouseEvent<HTMLCanvasElement>) => {
    if (e.shiftKey || e.button !== 0) return;
    const { x } = pointer(e);
    drag.current = addressAt(scene.scale, x, arena.pageSize);
  };
  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const { x, y } = pointer(e);
    if (drag.current !== null) {
      store.getState().selectAddresses(pageRange(drag.current, addressAt(scene.scale, x, arena.pageSize)));
      return;
    }
    const bar = hitTestBar(scene, x, y);
    setHover(bar ? { cookie: bar.registration.cookie, x, y } : null);
  };
  const onMouseUp = (e: MouseEvent<HTMLCanvasElement>) => {
    if (drag.current === null) return;
    const { x, y } = pointer(e);
    const end = addressAt(scene.scale, x, arena.pageSize);
    const bar = hitTestBar(scene, x, y);
    if (end === drag.current && bar) store.getState().selectCookie(bar.registration.cookie);
    else store.getState().selectAddresses(pageRange(drag.current, end));
    drag.current = null;
  };

  // The hovered registration as the current snapshot shows it (its state and generation move while the pointer rests).
  const hoveredBar = hover && scene.bars.find((bar) => bar.registration.cookie === hover.cookie);

  return (
    <div className="um-address-map" ref={containerRef} data-testid="address-map">
      <canvas
        ref={canvasRef}
        style={{ width, height }}
        role="img"
        aria-label={`Address map. Legend: ${ADDRESS_MAP_LEGEND.map((e) => e.label).join(', ')}`}
        data-testid="address-map-canvas"
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseLeave={() => {
          setHover(null);
          drag.current = null;
        }}
      />
      {hover && hoveredBar && (
        <Tooltip x={hover.x} y={hover.y} areaWidth={width} testId="address-map-tooltip">
          <RegistrationDetails bar={hoveredBar} pageSize={arena.pageSize} showGenerations={showGenerations} />
        </Tooltip>
      )}
    </div>
  );
}

function RegistrationDetails({ bar, pageSize, showGenerations }: { bar: RegistrationBar; pageSize: number; showGenerations: boolean }) {
  const r = bar.registration;
  const reasons = describeReasons(r.reasonFlags);
  return (
    <>
      <div>
        cookie <b>{hex(r.cookie)}</b> — {REGISTRATION_STATE_LABEL[bar.state]}
      </div>
      <div>
        {hex(r.start)} – {hex(r.end)} ({pageCount(r.start, r.end, pageSize)} pages)
      </div>
      {bar.state !== 'clean' && (
        <div>
          hint {hex(r.hintStart)} – {hex(r.hintEnd)} ({pageCount(r.hintStart, r.hintEnd, pageSize)} pages)
        </div>
      )}
      {reasons.length > 0 && <div>reasons: {reasons.join(', ')}</div>}
      {r.filter !== 0 && <div>ignores: 0x{r.filter.toString(16)}</div>}
      {showGenerations && r.slot && (
        <div data-testid="address-map-tooltip-generation">
          generation <b>{r.slot.generation.toString()}</b> (slot {r.slot.slot})
        </div>
      )}
    </>
  );
}
