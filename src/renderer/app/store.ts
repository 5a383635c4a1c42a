// The session as the renderer knows it: the latest state and QUERY
// snapshot, recent events and notices, the last error. Pushed batches and
// request results are the only inputs; components read slices of it.

import { createStore, type StoreApi } from 'zustand/vanilla';
import { RequestError, type ConnectionStatus, type UmmuClient } from './client';
import type {
  PushBatch,
  RequestKind,
  RequestOf,
  ResultOf,
  SessionState,
  WireError,
  WireEvent,
  WireNotice,
  WireQuerySnapshot,
} from '../../shared/messages';

/** Events kept for the event list; older ones scroll away. */
export const EVENT_HISTORY = 500;

export interface EventRow {
  /** Position in the session's stream of events, from 0. */
  index: number;
  at: number;
  event: WireEvent;
}

export interface NoticeRow {
  index: number;
  at: number;
  notice: WireNotice;
}

export interface SessionView {
  connection: ConnectionStatus;
  session: SessionState | null;
  snapshot: WireQuerySnapshot | null;
  events: EventRow[];
  eventTotal: number;
  notices: NoticeRow[];
  noticeTotal: number;
  lastError: WireError | null;
  /** A batch went missing (a gap in seq): what is shown may be incomplete. */
  lostBatches: number;
}

export interface SessionStore extends SessionView {
  client: UmmuClient;
  applyBatch(batch: PushBatch): void;
  /** Sends a request; a failure becomes lastError and resolves to undefined. */
  perform<K extends RequestKind>(request: RequestOf<K>): Promise<ResultOf[K] | undefined>;
  dismissError(): void;
}

const empty: Omit<SessionView, 'connection'> = {
  session: null,
  snapshot: null,
  events: [],
  eventTotal: 0,
  notices: [],
  noticeTotal: 0,
  lastError: null,
  lostBatches: 0,
};

const keepLast = <T>(rows: T[], limit: number): T[] => (rows.length > limit ? rows.slice(rows.length - limit) : rows);

function withSession(view: SessionStore, state: SessionState): Partial<SessionView> {
  return view.session?.sessionId === state.sessionId ? { session: state } : { ...empty, session: state };
}

export function createSessionStore(client: UmmuClient): StoreApi<SessionStore> {
  let lastSeq: { sessionId: number; seq: number } | null = null;
  const store = createStore<SessionStore>()((set, get) => ({
    ...empty,
    connection: 'connecting',
    client,
    applyBatch(batch) {
      const view = get();
      if (view.session && batch.sessionId !== view.session.sessionId && !batch.items.some((i) => i.kind === 'state')) return;
      const lost = lastSeq?.sessionId === batch.sessionId && batch.seq > lastSeq.seq + 1 ? 1 : 0;
      lastSeq = { sessionId: batch.sessionId, seq: batch.seq };
      let next: Partial<SessionView> = { lostBatches: view.lostBatches + lost };
      let current: SessionStore = { ...view, ...next };
      for (const item of batch.items) {
        switch (item.kind) {
          case 'state':
            next = withSession(current, item.state);
            break;
          case 'snapshot':
            next = { snapshot: item.snapshot };
            break;
          case 'events': {
            const rows = item.events.map((event, i) => ({ index: current.eventTotal + i, at: item.at, event }));
            next = { events: keepLast([...current.events, ...rows], EVENT_HISTORY), eventTotal: current.eventTotal + rows.length };
            break;
          }
          case 'notice':
            next = {
              notices: keepLast([...current.notices, { index: current.noticeTotal, at: item.at, notice: item.notice }], EVENT_HISTORY),
              noticeTotal: current.noticeTotal + 1,
            };
            break;
          case 'error':
            next = { lastError: item.error };
            break;
        }
        current = { ...current, ...next };
      }
      set(current);
    },
    async perform(request) {
      try {
        const result = await client.request(request);
        if (get().lastError) set({ lastError: null });
        return result;
      } catch (err) {
        set({ lastError: err instanceof RequestError ? err.error : { code: 'Error', message: err instanceof Error ? err.message : String(err) } });
        return undefined;
      }
    },
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
  store.setState({ ...withSession(view, hello.state), snapshot: hello.snapshot ?? view.snapshot });
}
