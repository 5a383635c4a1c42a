// The whole visualizer as one component of plain data and callbacks: the
// app passes what its session knows and receives the user's actions. It
// owns the view store and the recording buffer; nothing here talks to a
// backend.

import { memo, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { ArenaInfo, LabOp, QueryRegistration } from '../../shared/domain';
import type { ArenaPage } from '../draw/address-map';
import { PALETTES, paletteCssVariables } from '../draw/palette';
import { effectiveTimeDomain } from '../view-state/time-domain';
import type { TimelineBuffer } from '../view-state/timeline-buffer';
import type { TimelineRecord } from '../../shared/timeline-record';
import { ViewStoreContext, useViewStore } from '../view-state/use-view-store';
import { createViewStore, serializeViewState, type ViewStateData, type ViewStore } from '../view-state/view-store';
import type { ExportPayload } from '../export/export-payload';
import type { LessonSession } from '../lessons/lesson-runner';
import { AddressMap as AddressMapView } from './AddressMap';
import { Counter as CounterView } from './Counter';
import { EventLog as EventLogView } from './EventLog';
import { ExportMenu as ExportMenuView } from './ExportMenu';
import { InvalidQueue as InvalidQueueView } from './InvalidQueue';
import { LabControls as LabControlsView } from './LabControls';
import { LessonsPanel as LessonsView } from './LessonsPanel';
import { ShortcutsOverlay } from './ShortcutsOverlay';
import { applyShortcut } from './shortcuts';
import { Timeline as TimelineView, type HistoryProgress } from './Timeline';
import { useTimelineBuffer } from './use-timeline-buffer';
import './workbench.css';

// Each panel re-renders only when its own props change: what changes with
// every batch of a stream (the counter, the queue, how far behind the page
// is) re-renders the panels that show it, not the whole workbench.
const AddressMap = memo(AddressMapView);
const Counter = memo(CounterView);
const EventLog = memo(EventLogView);
const ExportMenu = memo(ExportMenuView);
const InvalidQueue = memo(InvalidQueueView);
const LabControls = memo(LabControlsView);
const LessonsPanel = memo(LessonsView);
const Timeline = memo(TimelineView);

export interface WorkbenchProps {
  /** The QUERY snapshot's registrations, sorted by (start, end, cookie). */
  registrations: readonly QueryRegistration[];
  /** The invalid queue in the order read() returns it. */
  queue: readonly bigint[];
  /** The generation counter (mmapped page). */
  counter: bigint;
  /** The counter carried by the last LAST event read (0 before any). */
  lastLastCounter: bigint;
  /** QUERY_NEED_EMPTY: a read() now returns at least LAST. Derived from the counters when absent. */
  needEmpty?: boolean;
  arena: ArenaInfo;
  /** One entry per arena page. */
  pages: readonly ArenaPage[];
  /** The recording: a growing array, or a buffer the app appends to at high rate. */
  events: readonly TimelineRecord[] | TimelineBuffer;
  /** The negotiated feature mask. */
  features: number;
  /** withSlot: REGISTER_SLOT (offered when GENERATIONS was negotiated). */
  onRegister(start: bigint, end: bigint, cookie: bigint, flags: number, withSlot?: boolean): void;
  onLab(op: LabOp): void;
  onRead(maxEvents: number): void;
  onUnregister(cookie: bigint): void;
  /** View state to start from (e.g. restored from an export). */
  initialViewState?: Partial<ViewStateData>;
  /** Receives the view store, e.g. to save or restore the view. */
  onViewStore?(store: ViewStore): void;
  /** An exported picture was opened (its view is already restored); e.g. replay its records. */
  onOpenExport?(payload: ExportPayload): void;
  /** The app's session controls, shown under the header in the workbench's theme. */
  session?: ReactNode;
  /** The session lessons drive (actions that report failure, a known start); lessons cannot start without one. */
  lessonSession?: LessonSession | null;
  /** Why operations cannot run now (a replay is read-only); null or absent when they can. */
  readOnly?: string | null;
  /** Where the data comes from, for the corner of exported pictures. */
  source?: { backend: string; kernelRelease: string | null };
  /** An action of the views failed (an export): shown where the app shows errors. */
  onError?(message: string): void;
  /** How far behind the live session what the views show is (ms); 0 or absent when they keep up. */
  behindMs?: number;
  /** While the session's retained history is still coming in, how much of it has. */
  loadingHistory?: HistoryProgress | null;
  /** Records a second shown counted (a dense stream's summaries); 0 or absent when every record is shown. */
  summarizedPerSecond?: number;
}

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

export function Workbench(props: WorkbenchProps) {
  const [store] = useState(() => createViewStore(props.initialViewState));
  const { onViewStore } = props;
  useEffect(() => onViewStore?.(store), [onViewStore, store]);
  return (
    <ViewStoreContext.Provider value={store}>
      <WorkbenchLayout {...props} store={store} />
    </ViewStoreContext.Provider>
  );
}

function WorkbenchLayout(props: WorkbenchProps & { store: ViewStore }) {
  const { store, arena } = props;
  const theme = useViewStore((s) => s.theme);
  const buffer = useTimelineBuffer(props.events);
  const [helpOpen, setHelpOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const needEmpty = props.needEmpty ?? (props.queue.length === 0 && props.counter !== props.lastLastCounter);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const effect = applyShortcut(e.key, store, effectiveTimeDomain(store.getState(), buffer));
      if (effect === 'toggle-help') setHelpOpen((open) => !open);
      else if (effect === 'close-help') setHelpOpen(false);
      if (effect !== 'ignored') e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, buffer]);

  // The view state as JSON on the root element (what automation and bug
  // reports read), written outside React so following live costs no re-render.
  useEffect(() => {
    const show = (state: ViewStateData) => root.current?.setAttribute('data-view-state', JSON.stringify(serializeViewState(state)));
    show(store.getState());
    return store.subscribe(show);
  }, [store]);

  const style = paletteCssVariables(PALETTES[theme]) as CSSProperties;
  return (
    <div ref={root} className={`um-workbench um-theme-${theme}`} style={style} data-testid="workbench" data-theme={theme}>
      <header className="um-header">
        <h1>ummunotify</h1>
        <ExportMenu
          buffer={buffer}
          registrations={props.registrations}
          queue={props.queue}
          counter={props.counter}
          lastLastCounter={props.lastLastCounter}
          arena={arena}
          pages={props.pages}
          features={props.features}
          source={props.source}
          onOpenExport={props.onOpenExport}
          onError={props.onError}
        />
        <button type="button" data-testid="theme-toggle" onClick={() => store.getState().setTheme(theme === 'light' ? 'dark' : 'light')}>
          {theme === 'light' ? 'Dark theme' : 'Light theme'}
        </button>
        <button type="button" data-testid="shortcuts-button" onClick={() => setHelpOpen(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </header>
      {props.session}
      <main className="um-grid">
        <div className="um-map-area">
          <section className="um-panel">
            <h2>Address map</h2>
            <AddressMap arena={arena} pages={props.pages} registrations={props.registrations} buffer={buffer} features={props.features} />
          </section>
          <LabControls
            arena={arena}
            features={props.features}
            readOnly={props.readOnly ?? null}
            onRegister={props.onRegister}
            onUnregister={props.onUnregister}
            onLab={props.onLab}
          />
        </div>
        <aside className="um-side">
          <Counter counter={props.counter} lastLastCounter={props.lastLastCounter} />
          <InvalidQueue
            queue={props.queue}
            registrations={props.registrations}
            counter={props.counter}
            needEmpty={needEmpty}
            pageSize={arena.pageSize}
            readOnly={props.readOnly ?? null}
            onRead={props.onRead}
          />
          <LessonsPanel arena={arena} features={props.features} readOnly={props.readOnly ?? null} session={props.lessonSession ?? null} />
        </aside>
        <div className="um-bottom">
          <Timeline buffer={buffer} registrations={props.registrations} pageSize={arena.pageSize} behindMs={props.behindMs} loadingHistory={props.loadingHistory} summarizedPerSecond={props.summarizedPerSecond} />
          <EventLog buffer={buffer} />
        </div>
      </main>
      {helpOpen && <ShortcutsOverlay onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
