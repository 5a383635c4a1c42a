// The app: the workbench fed from the session's pushed state, with the
// session controls (backend, features, recording, replay) in its header.
// Opening an exported picture shows what it carries (its snapshot and
// recording slice, in the view it was exported with) until the user goes
// back to the live session. A second tab shows the Processes view (other
// processes watched through monitors, or replayed from their recordings);
// the workbench stays mounted under it, keeping its view.

import { useCallback, useContext, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { QUERY_NEED_EMPTY, type ArenaInfo, type LabOp } from '../../shared/domain';
import { hexToU64 } from '../../shared/u64';
import type { ExportPayload } from '../export/export-payload';
import { Workbench, type ArenaPage, type WorkbenchProps } from '../views';
import { BackendControls } from './components/BackendControls';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ErrorBanner } from './components/ErrorBanner';
import { createLessonSession } from '../lessons/lesson-session';
import { RecordingPanel } from './components/RecordingPanel';
import { ProcessesStoreContext, SessionStoreContext, selectBehind, selectLoadingHistory, selectSession, selectSummarized, selectSnapshot, useLiveSession, useSession, useThrottledStore } from './store-context';
import { ProcessesView } from '../processes/ProcessesView';
import { SAMPLE_JOB_TITLE, loadSampleJob } from '../processes/sample-job';
import { PALETTES, paletteCssVariables } from '../draw/palette';
import type { ViewStore } from '../views';
import type { ProcessesStore } from './processes-store';
import type { StoreApi } from 'zustand/vanilla';
type WorkbenchData = Pick<
  WorkbenchProps,
  'registrations' | 'queue' | 'counter' | 'lastLastCounter' | 'needEmpty' | 'arena' | 'pages' | 'events' | 'features'
>;

/** The views draw a page's protection; an unmapped page has none. */
const drawnPage = (page: { state: ArenaPage['state']; prot: ArenaPage['prot'] | null }): ArenaPage => ({ state: page.state, prot: page.prot ?? 'none' });

function useLiveData(): WorkbenchData | null {
  const session = useLiveSession(selectSession);
  const snapshot = useLiveSession(selectSnapshot);
  const timeline = useSession((s) => s.timeline);
  const { base, pages: arenaPages, pageSize } = session?.arena ?? { base: '0x0', pages: 0, pageSize: 0 };
  const arena = useMemo((): ArenaInfo => ({ base: hexToU64(base), pages: arenaPages, pageSize }), [base, arenaPages, pageSize]);
  const sessionPages = session?.pages;
  const pages = useMemo(() => sessionPages?.map(drawnPage) ?? [], [sessionPages]);
  return useMemo(() => {
    if (!session) return null;
    return {
      registrations: snapshot?.registrations ?? [],
      queue: snapshot?.queue ?? [],
      counter: hexToU64(session.counter),
      lastLastCounter: session.lastLastCounter === null ? 0n : hexToU64(session.lastLastCounter),
      ...(snapshot && { needEmpty: (snapshot.flags & QUERY_NEED_EMPTY) !== 0 }),
      arena,
      pages,
      events: timeline,
      features: session.features?.granted ?? 0,
    };
  }, [session, snapshot, timeline, arena, pages]);
}

const exportData = (opened: ExportPayload, features: number): WorkbenchData => ({
  registrations: opened.snapshot.registrations,
  queue: opened.snapshot.queue,
  counter: opened.snapshot.counter,
  lastLastCounter: opened.snapshot.lastLastCounter,
  arena: opened.snapshot.arena,
  pages: opened.snapshot.pages,
  events: opened.records,
  features,
});

/** Why operations cannot run on this session, or null. */
const readOnlyReason = (kind: string | undefined): string | null =>
  kind === 'replay' ? 'A replay is read-only: open a new session to run operations.' : null;

export function App() {
  const perform = useSession((s) => s.perform);
  const showError = useSession((s) => s.showError);
  const backendKind = useSession((s) => s.session?.backend.kind);
  const kernelRelease = useSession((s) => s.session?.backend.kernelRelease ?? null);
  const live = useLiveData();
  const behindMs = useLiveSession(selectBehind);
  const loadingHistory = useLiveSession(selectLoadingHistory);
  const summarizedPerSecond = useLiveSession(selectSummarized);
  const sessionStore = useContext(SessionStoreContext);
  const lessonSession = useMemo(() => sessionStore && createLessonSession(sessionStore), [sessionStore]);
  const [opened, setOpened] = useState<ExportPayload | null>(null);
  const processes = useContext(ProcessesStoreContext);
  const [tab, setTab] = useState<Tab>('workbench');
  const [viewStore, setViewStore] = useState<ViewStore | null>(null);

  const onRegister = useCallback(
    (start: bigint, end: bigint, cookie: bigint, flags: number, withSlot = false) =>
      void perform({ kind: 'op', op: withSlot ? { op: 'register', start, end, cookie, flags, withSlot } : { op: 'register', start, end, cookie, flags } }),
    [perform],
  );
  const onUnregister = useCallback((cookie: bigint) => void perform({ kind: 'op', op: { op: 'unregister', cookie } }), [perform]);
  const onRead = useCallback((maxEvents: number) => void perform({ kind: 'op', op: { op: 'read', maxEvents } }), [perform]);
  const onLab = useCallback((lab: LabOp) => void perform({ kind: 'op', op: { op: 'lab', lab } }), [perform]);
  const onError = useCallback((message: string) => showError({ code: 'ExportError', message }), [showError]);
  const source = useMemo(() => backendKind && { backend: backendKind, kernelRelease }, [backendKind, kernelRelease]);

  if (!live) {
    return (
      <main className="app-connecting">
        <ConnectionBanner />
        <ErrorBanner />
        <BackendControls />
      </main>
    );
  }
  const data = opened ? exportData(opened, live.features) : live;
  const controls = (
    <div className="app-session">
      <ConnectionBanner />
      <ErrorBanner />
      {opened ? (
        <div className="app-backend" data-testid="opened-export">
          <strong>Showing an exported view</strong>
          <span className="app-muted">
            {opened.records.length} records, {opened.snapshot.registrations.length} registrations; operations still act on the live session
          </span>
          <button type="button" data-testid="back-to-live" onClick={() => setOpened(null)}>
            Back to the live session
          </button>
        </div>
      ) : (
        <BackendControls />
      )}
      <RecordingPanel />
      {processes && <Tabs tab={tab} onTab={setTab} processes={processes} />}
    </div>
  );
  const workbench = (
    <Workbench
      {...data}
      session={controls}
      onRegister={onRegister}
      onUnregister={onUnregister}
      onRead={onRead}
      onLab={onLab}
      lessonSession={lessonSession}
      onOpenExport={setOpened}
      onError={onError}
      source={source}
      readOnly={readOnlyReason(backendKind)}
      behindMs={opened ? 0 : behindMs}
      loadingHistory={opened ? null : loadingHistory}
      summarizedPerSecond={opened ? 0 : summarizedPerSecond}
      onViewStore={setViewStore}
    />
  );
  if (!processes) return workbench;
  return (
    <>
      <div hidden={tab !== 'workbench'}>{workbench}</div>
      {tab === 'processes' && (
        <ProcessesPage processes={processes} viewStore={viewStore}>
          <div className="app-session">
            <ConnectionBanner />
            <ErrorBanner />
            <Tabs tab={tab} onTab={setTab} processes={processes} />
          </div>
        </ProcessesPage>
      )}
    </>
  );
}

type Tab = 'workbench' | 'processes';
const selectWatchedCount = (s: ProcessesStore) => s.watched.length;

function Tabs({ tab, onTab, processes }: { tab: Tab; onTab(tab: Tab): void; processes: StoreApi<ProcessesStore> }) {
  const watched = useThrottledStore(processes, selectWatchedCount);
  return (
    <span className="app-group" role="tablist">
      <button type="button" role="tab" aria-selected={tab === 'workbench'} data-testid="tab-workbench" onClick={() => onTab('workbench')}>
        Workbench
      </button>
      <button type="button" role="tab" aria-selected={tab === 'processes'} data-testid="tab-processes" onClick={() => onTab('processes')}>
        Processes ({watched} watched)
      </button>
      <SampleJobButton processes={processes} onOpened={() => onTab('processes')} />
    </span>
  );
}

/** One click to a real MPI job's registrations, for anyone without the module or RDMA. */
function SampleJobButton({ processes, onOpened }: { processes: StoreApi<ProcessesStore>; onOpened(): void }) {
  const [opening, setOpening] = useState(false);
  const open = async (): Promise<void> => {
    setOpening(true);
    try {
      await processes.getState().openRecordings(await loadSampleJob());
      onOpened();
    } finally {
      setOpening(false);
    }
  };
  return (
    <button type="button" data-testid="open-sample-job" title={`Open ${SAMPLE_JOB_TITLE}`} disabled={opening} onClick={() => void open()}>
      {opening ? 'Opening the sample…' : 'Sample MPI job'}
    </button>
  );
}

/** The Processes view in the workbench's theme, under the same header, banners and tabs. */
function ProcessesPage({ processes, viewStore, children }: { processes: StoreApi<ProcessesStore>; viewStore: ViewStore | null; children: ReactNode }) {
  const theme = viewStore?.getState().theme ?? 'light';
  return (
    <div className={`um-workbench um-theme-${theme}`} style={paletteCssVariables(PALETTES[theme]) as CSSProperties} data-theme={theme}>
      <header className="um-header">
        <h1>ummunotify</h1>
      </header>
      {children}
      <ProcessesView store={processes} />
    </div>
  );
}
