// The timeline on canvas, redrawn from the recording on every append
// without re-rendering React. Ctrl+wheel zooms at the pointer, drag pans,
// Shift+drag selects a time range, wheel scrolls lanes; the overview strip
// below shows the whole recording and moves the window on click. Any
// manual move pauses follow-live; the button resumes it. Hovering shows
// what is under the pointer, worked out when the pointer moves (live data
// alone re-renders nothing).

import { useCallback, useEffect, useRef, useState, type MouseEvent, type WheelEvent } from 'react';
import type { QueryRegistration } from '../../shared/domain';
import { thousands } from '../draw/format';
import { PALETTES } from '../draw/palette';
import { buildOverviewScene, buildTimelineSceneForView, drawOverview, drawTimeline, TIMELINE_LAYOUT, TIMELINE_LEGEND, type TimelineScene } from '../draw/timeline';
import { hitTestTimeline, type TimelineHit } from '../draw/timeline-hit';
import { panSpan, zoomSpan } from '../view-state/ranges';
import { effectiveTimeDomain, recordingSpan } from '../view-state/time-domain';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import { useViewStore, useViewStoreApi } from '../view-state/use-view-store';
import { canvasPainter } from './canvas-surface';
import { matcherFor } from './log-matcher';
import { cancelDraw, requestDraw, requestLiveDraw } from './frame-scheduler';
import { ZOOM_STEP } from './shortcuts';
import { TimelineHitDetails } from './TimelineHitDetails';
import { Tooltip } from './Tooltip';
import { useElementWidth } from './use-element-width';

export interface TimelineProps {
  buffer: TimelineBuffer;
  registrations: readonly QueryRegistration[];
  /** For the sizes of registrations, in pages. */
  pageSize: number;
  height?: number;
  /** How far behind the session what is shown is (ms); 0 or absent when following live. */
  behindMs?: number;
  /** While the retained history is taken in page by page: records taken in of those coming. */
  loadingHistory?: HistoryProgress | null;
  /** Records a second shown counted (a dense stream's summaries); 0 or absent when every record is shown. */
  summarizedPerSecond?: number;
}

export interface HistoryProgress {
  loaded: number;
  total: number;
}

const OVERVIEW_HEIGHT = 28;

interface Hover {
  hit: TimelineHit;
  x: number;
  y: number;
  origin: number;
}

/**
 * What the follow-live button says: never "Following live" while what is
 * shown is behind or the history is still coming, and "aggregated" while
 * the stream comes counted in summaries.
 */
export function followStatus(followLive: boolean, behindMs: number, loading: HistoryProgress | null = null, summarizedPerSecond = 0): string {
  if (!followLive) return 'Paused: follow live';
  if (loading) return `Loading history: ${thousands(loading.loaded)} of ${thousands(loading.total)} records`;
  if (behindMs > 0) return `Behind live by ${(behindMs / 1000).toFixed(1)} s`;
  return summarizedPerSecond > 0 ? `Following live, aggregated: ${thousands(summarizedPerSecond)} records/s` : 'Following live';
}

const SUMMARIZED_TITLE =
  'Records come faster than a page can show one by one: each batch of invalidations, reads and lab operations is drawn from its exact counts (marks spread over its time). The session keeps every record; a reload or a recording shows them one by one.';

export function Timeline({ buffer, registrations, pageSize, height = 260, behindMs = 0, loadingHistory = null, summarizedPerSecond = 0 }: TimelineProps) {
  const store = useViewStoreApi();
  const followLive = useViewStore((s) => s.followLive);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const overviewRef = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(containerRef, 960);
  const drag = useRef<{ x: number; brush: boolean; domain: { start: number; end: number } } | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);

  // The registrations come with every snapshot of a stream: read through a
  // ref, so that a new snapshot is a live draw, not a new draw function
  // (which would redraw at once, outside the live draws' share).
  const registrationsRef = useRef(registrations);

  /** The scene for the view state and recording as they are now. */
  const currentScene = useCallback(
    (): TimelineScene => buildTimelineSceneForView(store.getState(), buffer, registrationsRef.current, { width, height }, matcherFor(buffer)),
    [buffer, store, width, height],
  );

  const draw = useCallback(() => {
    const state = store.getState();
    const palette = PALETTES[state.theme];
    const painter = canvasPainter(canvasRef.current, width, height);
    if (painter) drawTimeline(painter, currentScene(), palette);
    const overview = canvasPainter(overviewRef.current, width, OVERVIEW_HEIGHT);
    if (overview) drawOverview(overview, buildOverviewScene(buffer, recordingSpan(buffer), effectiveTimeDomain(state, buffer), width, OVERVIEW_HEIGHT, matcherFor(buffer)), palette);
    // What this frame shows (the journal record drawn through), for display-lag measurements (bench/app, test/e2e).
    if (painter && canvasRef.current) canvasRef.current.dataset.drawnThrough = String(buffer.sourcePosition ?? '');
  }, [buffer, store, width, height, currentScene]);

  useEffect(() => {
    const schedule = () => requestDraw(draw);
    schedule();
    const stopBuffer = buffer.subscribe(() => requestLiveDraw(draw));
    // Only the state the timeline draws: an address-map zoom must not redraw it.
    const stopStore = store.subscribe((now, before) => {
      if (
        now.timeDomain !== before.timeDomain ||
        now.followLive !== before.followLive ||
        now.selection.time !== before.selection.time ||
        now.selection.cookie !== before.selection.cookie ||
        now.laneOffset !== before.laneOffset ||
        now.theme !== before.theme
      )
        schedule();
    });
    const stopMatches = matcherFor(buffer).subscribe(schedule);
    return () => {
      stopBuffer();
      stopStore();
      stopMatches();
      cancelDraw(draw);
    };
  }, [buffer, store, draw]);

  useEffect(() => {
    if (registrationsRef.current === registrations) return;
    registrationsRef.current = registrations;
    requestLiveDraw(draw);
  }, [registrations, draw]);

  const currentDomain = () => effectiveTimeDomain(store.getState(), buffer);
  const timeAtX = (x: number) => {
    const d = currentDomain();
    return d.start + ((x - TIMELINE_LAYOUT.labelWidth) / Math.max(1, width - TIMELINE_LAYOUT.labelWidth)) * (d.end - d.start);
  };
  const localX = (e: MouseEvent | WheelEvent) => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const localY = (e: MouseEvent) => e.clientY - e.currentTarget.getBoundingClientRect().top;

  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    setHover(null);
    const s = store.getState();
    if (e.ctrlKey) s.navigateTime(zoomSpan(currentDomain(), e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, timeAtX(localX(e))));
    else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) s.navigateTime(panSpan(currentDomain(), e.deltaX / Math.max(1, width)));
    else s.setLaneOffset(s.laneOffset + Math.sign(e.deltaY));
  };
  const onMouseDown = (e: MouseEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    setHover(null);
    drag.current = { x: localX(e), brush: e.shiftKey, domain: currentDomain() };
  };
  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    const x = localX(e);
    if (!d) {
      const y = localY(e);
      const hit = hitTestTimeline(currentScene(), buffer, registrations, x, y);
      setHover(hit && { hit, x, y, origin: recordingSpan(buffer).start });
      return;
    }
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
  const onMouseLeave = () => {
    endDrag();
    setHover(null);
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
          data-behind-ms={behindMs}
          data-summarized-per-second={summarizedPerSecond}
          title={
            behindMs > 0
              ? 'The page is taking in records slower than they come: it draws them in larger steps and catches up when the stream slows down.'
              : summarizedPerSecond > 0
                ? SUMMARIZED_TITLE
                : undefined
          }
          onClick={() => store.getState().setFollowLive(!followLive)}
        >
          {followStatus(followLive, behindMs, loadingHistory, summarizedPerSecond)}
        </button>
      </div>
      <div className="um-timeline-plot">
        <canvas
          ref={canvasRef}
          style={{ width, height }}
          role="img"
          aria-label={`Timeline. Legend: ${TIMELINE_LEGEND.map((e) => e.label).join(', ')}`}
          data-testid="timeline-canvas"
          onWheel={onWheel}
          onMouseDown={onMouseDown}
          onMouseMove={onMouseMove}
          onMouseUp={endDrag}
          onMouseLeave={onMouseLeave}
        />
        {hover && (
          <Tooltip x={hover.x} y={hover.y} areaWidth={width} testId="timeline-tooltip">
            <TimelineHitDetails hit={hover.hit} origin={hover.origin} pageSize={pageSize} />
          </Tooltip>
        )}
      </div>
      <canvas ref={overviewRef} style={{ width, height: OVERVIEW_HEIGHT }} data-testid="timeline-overview" onMouseDown={onOverview} />
    </section>
  );
}
