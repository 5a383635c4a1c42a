// The timeline on canvas, redrawn from the recording on every append
// without re-rendering React. Ctrl+wheel zooms at the pointer, drag pans,
// Shift+drag selects a time range, wheel scrolls lanes; the overview strip
// below shows the whole recording and moves the window on click. Any
// manual move pauses follow-live; the button resumes it.

import { useCallback, useEffect, useRef, type MouseEvent, type WheelEvent } from 'react';
import type { QueryRegistration } from '../../shared/domain';
import { PALETTES } from '../draw/palette';
import { buildOverviewScene, buildTimelineScene, drawOverview, drawTimeline, TIMELINE_LAYOUT } from '../draw/timeline';
import { panSpan, zoomSpan } from '../view-state/ranges';
import { effectiveTimeDomain, recordingSpan } from '../view-state/time-domain';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import { useViewStore, useViewStoreApi } from '../view-state/use-view-store';
import { canvasPainter } from './canvas-surface';
import { matcherFor } from './log-matcher';
import { cancelDraw, requestDraw } from './frame-scheduler';
import { ZOOM_STEP } from './shortcuts';
import { useElementWidth } from './use-element-width';

export interface TimelineProps {
  buffer: TimelineBuffer;
  registrations: readonly QueryRegistration[];
  height?: number;
}

const OVERVIEW_HEIGHT = 28;

export function Timeline({ buffer, registrations, height = 260 }: TimelineProps) {
  const store = useViewStoreApi();
  const followLive = useViewStore((s) => s.followLive);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overviewRef = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(containerRef, 960);
  const drag = useRef<{ x: number; brush: boolean; domain: { start: number; end: number } } | null>(null);

  const draw = useCallback(() => {
    const state = store.getState();
    const palette = PALETTES[state.theme];
    const domain = effectiveTimeDomain(state, buffer);
    const full = recordingSpan(buffer);
    const painter = canvasPainter(canvasRef.current, width, height);
    if (painter)
      drawTimeline(
        painter,
        buildTimelineScene({
          buffer,
          registrations,
          domain,
          origin: full.start,
          now: full.end,
          width,
          height,
          laneOffset: state.laneOffset,
          selection: state.selection.time,
          highlightCookie: state.selection.cookie,
          search: matcherFor(buffer),
        }),
        palette,
      );
    const overview = canvasPainter(overviewRef.current, width, OVERVIEW_HEIGHT);
    if (overview) drawOverview(overview, buildOverviewScene(buffer, full, domain, width, OVERVIEW_HEIGHT, matcherFor(buffer)), palette);
  }, [buffer, registrations, store, width, height]);

  useEffect(() => {
    const schedule = () => requestDraw(draw);
    schedule();
    const stopBuffer = buffer.subscribe(schedule);
    const stopStore = store.subscribe(schedule);
    const stopMatches = matcherFor(buffer).subscribe(schedule);
    return () => {
      stopBuffer();
      stopStore();
      stopMatches();
      cancelDraw(draw);
    };
  }, [buffer, store, draw]);

  const currentDomain = () => effectiveTimeDomain(store.getState(), buffer);
  const timeAtX = (x: number) => {
    const d = currentDomain();
    return d.start + ((x - TIMELINE_LAYOUT.labelWidth) / Math.max(1, width - TIMELINE_LAYOUT.labelWidth)) * (d.end - d.start);
  };
  const localX = (e: MouseEvent | WheelEvent) => e.clientX - e.currentTarget.getBoundingClientRect().left;

  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    const s = store.getState();
    if (e.ctrlKey) s.navigateTime(zoomSpan(currentDomain(), e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, timeAtX(localX(e))));
    else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) s.navigateTime(panSpan(currentDomain(), e.deltaX / Math.max(1, width)));
    else s.setLaneOffset(s.laneOffset + Math.sign(e.deltaY));
  };
  const onMouseDown = (e: MouseEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    drag.current = { x: localX(e), brush: e.shiftKey, domain: currentDomain() };
  };
  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (!d) return;
    const x = localX(e);
    const s = store.getState();
    if (d.brush) {
      const a = timeAtX(d.x);
      const b = timeAtX(x);
      s.selectTime({ start: Math.min(a, b), end: Math.max(a, b) });
    } else {
      const plot = Math.max(1, width - TIMELINE_LAYOUT.labelWidth);
      s.navigateTime(panSpan(d.domain, -(x - d.x) / plot));
    }
  };
  const endDrag = () => {
    drag.current = null;
  };
  const onOverview = (e: MouseEvent<HTMLCanvasElement>) => {
    const full = recordingSpan(buffer);
    const d = currentDomain();
    const centre = full.start + (localX(e) / Math.max(1, width)) * (full.end - full.start);
    const half = (d.end - d.start) / 2;
    store.getState().navigateTime({ start: centre - half, end: centre + half });
  };

  return (
    <section className="um-panel um-timeline" ref={containerRef} data-testid="timeline">
      <div className="um-toolbar">
        <h2>Timeline</h2>
        <button
          type="button"
          data-testid="follow-live"
          aria-pressed={followLive}
          onClick={() => store.getState().setFollowLive(!followLive)}
        >
          {followLive ? 'Following live' : 'Paused: follow live'}
        </button>
      </div>
      <canvas
        ref={canvasRef}
        style={{ width, height }}
        data-testid="timeline-canvas"
        onWheel={onWheel}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={endDrag}
        onMouseLeave={endDrag}
      />
      <canvas ref={overviewRef} style={{ width, height: OVERVIEW_HEIGHT }} data-testid="timeline-overview" onMouseDown={onOverview} />
    </section>
  );
}
