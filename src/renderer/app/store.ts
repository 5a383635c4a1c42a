// The session as the renderer knows it: the latest state and QUERY
// snapshot, the timeline of everything pushed, the last error. Pushed
// batches and request results are the only inputs; components read slices
// of it. The timeline buffer is one object for the store's whole life,
// appended to in place (the views subscribe to it), and cleared when a new
// session replaces the old one.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuerySnapshot } from '../../shared/domain';
import { recordsFromPush, registrationChanges } from '../view-state/from-session';
import { TimelineBuffer } from '../view-state/timeline-buffer';
import { RequestError, type ConnectionStatus, type UmmuClient } from './client';
import { snapshotFromWire } from './snapshot';
import type {
  PushBatch,
  Request,
  RequestKind,
  RequestOf,
  ResultOf,
  SessionState,
  WireError,
} from '../../shared/messages';

export interface SessionView {
  connection: ConnectionStatus;
  session: SessionState | null;
  snapshot: QuerySnapshot | null;
  lastError: WireError | null;
  /** A batch went missing (a gap in seq): what is shown may be incomplete. */
  lostBatches: number;
}

export interface SessionStore extends SessionView {
  client: UmmuClient;
  timeline: TimelineBuffer;
  applyBatch(batch: PushBatch): void;
  /** Sends a request; a failure becomes lastError and resolves to undefined. */
  perform<K extends RequestKind>(request: RequestOf<K>): Promise<ResultOf[K] | undefined>;
  /** Shows an error raised in the renderer itself (an export that failed) in the same banner. */
  showError(error: WireError): void;
  dismissError(): void;
}

const empty: Omit<SessionView, 'connection'> = {
  session: null,
  snapshot: null,
  lastError: null,
  lostBatches: 0,
};

const samePages = (a: SessionState['pages'], b: SessionState['pages']): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((p, i) => p.state === b[i]?.state && p.prot === b[i]?.prot));

function withSession(view: SessionStore, state: SessionState): Partial<SessionView> {
  if (view.session?.sessionId !== state.sessionId) return { ...empty, session: state };
  // Most states change only the counter: keeping the page array lets the address map skip its re-layout.
  const pages = view.session.pages;
  return { session: pages && samePages(pages, state.pages) ? { ...state, pages } : state };
}

/** The view with `state` in force; a state of another session starts afresh, timeline included. */
function adopt(view: SessionStore, state: SessionState): Partial<SessionView> {
  if (view.session && view.session.sessionId !== state.sessionId) view.timeline.clear();
  return withSession(view, state);
}

/** Requests whose result is the state of the session that replaced the current one. */
const opensSession = (kind: RequestKind): kind is 'newSession' | 'openRecording' => kind === 'newSession' || kind === 'openRecording';

export function createSessionStore(client: UmmuClient): StoreApi<SessionStore> {
  const timeline = new TimelineBuffer();
  let lastSeq: { sessionId: number; seq: number } | null = null;
  const store = createStore<SessionStore>()((set, get) => ({
    ...empty,
    connection: 'connecting',
    client,
    timeline,
    applyBatch(batch) {
      const view = get();
      if (view.session && batch.sessionId !== view.session.sessionId && !batch.items.some((i) => i.kind === 'state')) return;
      const lost = lastSeq?.sessionId === batch.sessionId && batch.seq > lastSeq.seq + 1 ? 1 : 0;
      lastSeq = { sessionId: batch.sessionId, seq: batch.seq };
      let current: SessionStore = { ...view, lostBatches: view.lostBatches + lost };
      for (const item of batch.items) {
        switch (item.kind) {
          case 'state':
            current = { ...current, ...adopt(current, item.state) };
            break;
          case 'snapshot': {
            const snapshot = snapshotFromWire(item.snapshot);
            timeline.appendAll(registrationChanges(current.snapshot?.registrations ?? [], snapshot.registrations, item.at));
            current = { ...current, snapshot };
            break;
          }
          case 'error':
            current = { ...current, lastError: item.error };
            break;
          default:
            timeline.appendAll(recordsFromPush(item));
        }
      }
      set(current);
    },
    async perform(request) {
      try {
        const result = await client.request(request);
        if (get().lastError) set({ lastError: null });
        if (opensSession(request.kind)) set(adopt(get(), result as SessionState));
        // A seek rebuilds the replay's state without sending the records passed: the timeline starts again there.
        const sent: Request = request;
        if (sent.kind === 'replayControl' && sent.action === 'seek') timeline.clear();
        return result;
      } catch (err) {
        set({ lastError: err instanceof RequestError ? err.error : { code: 'Error', message: err instanceof Error ? err.message : String(err) } });
        return undefined;
      }
    },
    showError: (error) => set({ lastError: error }),
    dismissError: () => set({ lastError: null }),
  }));
  client.onPush((batch) => store.getState().applyBatch(batch));
  client.onStatus((connection) => store.setState({ connection }));
  return store;
}

/** Loads the current session's state and snapshot (on start and after reconnecting). */
export async function greet(store: StoreApi<SessionStore>): Promise<void> {
  const hello = await store.getState().perform({ kind: 'hello' });
  if (!hello) return;
  const view = store.getState();
  store.setState({ ...adopt(view, hello.state), ...(hello.snapshot && { snapshot: snapshotFromWire(hello.snapshot) }) });
}
