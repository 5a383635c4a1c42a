// The app: the workbench fed from the session's pushed state, with the
// session controls (backend, features, recording, replay) in its header.
// Opening an exported picture shows what it carries (its snapshot and
// recording slice, in the view it was exported with) until the user goes
// back to the live session.

import { useCallback, useContext, useMemo, useState } from 'react';
import { QUERY_NEED_EMPTY, type ArenaInfo, type LabOp } from '../../shared/domain';
import { hexToU64 } from '../../shared/u64';
import type { ExportPayload } from '../export/export-payload';
import { Workbench, type ArenaPage, type WorkbenchProps } from '../views';
import { BackendControls } from './components/BackendControls';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ErrorBanner } from './components/ErrorBanner';
import { createLessonSession } from '../lessons/lesson-session';
import { RecordingPanel } from './components/RecordingPanel';
import { SessionStoreContext, selectBehind, selectSession, selectSnapshot, useLiveSession, useSession } from './store-context';
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
  const sessionStore = useContext(SessionStoreContext);
  const lessonSession = useMemo(() => sessionStore && createLessonSession(sessionStore), [sessionStore]);
  const [opened, setOpened] = useState<ExportPayload | null>(null);

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
    </div>
  );
  return (
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
    />
  );
}
