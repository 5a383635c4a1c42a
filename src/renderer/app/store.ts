// The session as the renderer knows it: the latest state and QUERY
// snapshot, the timeline built from the session's journal, the last error.
// On every (re)connection the store greets the core and rebuilds the
// timeline from the retained history; after that each pushed journal
// record is applied once, in order (records carry their number; a gap
// means something was missed and the store greets again). The timeline
// buffer is one object for the store's whole life, appended to in place
// (the views subscribe to it), and cleared when a new session replaces
// the old one. Each batch's records are appended at once, and the store
// keeps how far behind the session the page is (live-lag.ts), which the
// timeline shows instead of "Following live".

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuerySnapshot } from '../../shared/domain';
import type { JournalRecord } from '../../shared/journal';
import type { HelloResult, PushBatch, Request, ResultFor, SessionState } from '../../shared/messages';
import { timelineRecordsOf } from '../view-state/from-journal';
import { TimelineBuffer } from '../view-state/timeline-buffer';
import { RequestError, type ConnectionStatus, type UmmuClient } from './client';
import type { Arrival } from './inbox';
import { LiveLag } from './live-lag';
import type { ShownError } from './readable-error';

export interface SessionView {
  connection: ConnectionStatus;
  session: SessionState | null;
  snapshot: QuerySnapshot | null;
  lastError: ShownError | null;
  /** A batch went missing (a gap in seq): what is shown may be incomplete. */
  lostBatches: number;
  /** How far behind the session what the page shows is, in ms; 0 when following live (live-lag.ts). */
  behindMs: number;
}

export interface SessionStore extends SessionView {
  client: UmmuClient;
  timeline: TimelineBuffer;
  /** Applies a pushed batch; `arrival` (when it came, what waits after it) tells how far behind the page is. */
  applyBatch(batch: PushBatch, arrival?: Arrival): void;
  /** Sends a request; a failure becomes lastError and resolves to undefined. */
  perform<R extends Request>(request: R): Promise<ResultFor<R> | undefined>;
  /** Shows an error raised in the renderer itself (an export that failed) in the same banner. */
  showError(error: ShownError): void;
  dismissError(): void;
  /** Loads the session's state, snapshot and retained history (done on every connection; callable again). */
  greet(): Promise<void>;
}

const empty: Omit<SessionView, 'connection'> = {
  session: null,
  snapshot: null,
  lastError: null,
  lostBatches: 0,
  behindMs: 0,
};

/** With nothing waiting, this long without a batch means the page has shown all it was sent. */
const QUIET_MS = 250;

const samePages = (a: SessionState['pages'], b: SessionState['pages']): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((p, i) => p.state === b[i]?.state && p.prot === b[i]?.prot));

function withSession(view: SessionView, state: SessionState): Partial<SessionView> {
  if (view.session?.sessionId !== state.sessionId) return { ...empty, session: state };
  // Most states change only the counter: keeping the page array lets the address map skip its re-layout.
  const pages = view.session.pages;
  return { session: pages && samePages(pages, state.pages) ? { ...state, pages } : state };
}

/** Requests whose result is the state of the session that replaced the current one. */
const opensSession = (kind: Request['kind']): kind is 'newSession' | 'openRecording' => kind === 'newSession' || kind === 'openRecording';

/** Where the store is in its session's journal. */
interface JournalPosition {
  sessionId: number;
  /** The number of the next record to apply. */
  next: number;
}

export function createSessionStore(client: UmmuClient): StoreApi<SessionStore> {
  const timeline = new TimelineBuffer();
  let lastSeq: { sessionId: number; seq: number } | null = null;
  let position: JournalPosition | null = null;
  // While a greeting is on its way, pushed records wait here: the history it brings may or may not hold them.
  let held: { sessionId: number; n: number; record: JournalRecord }[] | null = null;

  const lag = new LiveLag();
  let quiet: ReturnType<typeof setTimeout> | undefined;

  /** Journal records applied together: one append (one redraw request) for all of them. */
  const appendRecords = (records: readonly { record: JournalRecord; n: number }[]): void => {
    const last = records[records.length - 1];
    if (!last) return;
    timeline.sourcePosition = last.n;
    timeline.appendAll(records.flatMap(({ record }) => timelineRecordsOf(record)));
  };
  /** How far behind the page is after applying a batch whose newest record has time t. */
  const behindAfter = (t: number | null, arrival: Arrival | undefined): number => {
    if (quiet !== undefined) clearTimeout(quiet);
    quiet = undefined;
    if (arrival && t !== null) lag.applied(t, arrival.receivedAt, performance.now());
    if (arrival?.waiting === 0 && lag.behindMs > 0) {
      quiet = setTimeout(() => {
        quiet = undefined;
        // A greeting on its way brings records this page has not shown yet: it is still behind (restore decides).
        if (held !== null) return;
        lag.caughtUp();
        store.setState({ behindMs: 0 });
      }, QUIET_MS);
    }
    return lag.behindMs;
  };

  /** The view with `state` in force; a state of another session starts afresh, timeline and journal position included. */
  const adopt = (view: SessionView, state: SessionState): Partial<SessionView> => {
    if (view.session && view.session.sessionId !== state.sessionId) {
      timeline.clear();
      lag.reset();
      position = { sessionId: state.sessionId, next: 0 };
    }
    return withSession(view, state);
  };

  const store = createStore<SessionStore>()((set, get) => ({
    ...empty,
    connection: 'connecting',
    client,
    timeline,
    applyBatch(batch, arrival) {
      const view = get();
      const state = batch.items.findLast((i) => i.kind === 'state');
      if (view.session && batch.sessionId !== view.session.sessionId && !state) return;
      const lost = lastSeq?.sessionId === batch.sessionId && batch.seq > lastSeq.seq + 1 ? 1 : 0;
      lastSeq = { sessionId: batch.sessionId, seq: batch.seq };
      // A batch of a new session is applied to that session from its first item on.
      let current: SessionView = { ...view, lostBatches: view.lostBatches + lost };
      if (state?.kind === 'state' && view.session?.sessionId !== state.state.sessionId) current = { ...current, ...adopt(current, state.state) };
      let gap = false;
      const fresh: { record: JournalRecord; n: number }[] = [];
      for (const item of batch.items) {
        switch (item.kind) {
          case 'state':
            current = { ...current, ...adopt(current, item.state) };
            break;
          case 'snapshot':
            current = { ...current, snapshot: item.snapshot };
            break;
          case 'error':
            current = { ...current, lastError: item.error };
            break;
          case 'record':
            if (held) held.push({ sessionId: batch.sessionId, n: item.n, record: item.record });
            else if (position?.sessionId !== batch.sessionId || item.n > position.next) gap = true;
            else if (item.n === position.next) {
              fresh.push({ record: item.record, n: item.n });
              position.next++;
            }
            break;
        }
      }
      appendRecords(fresh);
      set({ ...current, behindMs: behindAfter(fresh.at(-1)?.record.t ?? null, arrival) });
      if (gap && get().connection === 'open') void get().greet();
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
    async greet() {
      held ??= [];
      const hello = await get().perform({ kind: 'hello' });
      if (hello) restore(hello);
      else held = null;
    },
  }));

  /** Rebuilds the timeline from the greeting's history, then applies what was held back meanwhile. */
  const restore = (hello: HelloResult): void => {
    const { state, snapshot, history } = hello;
    timeline.clear();
    appendRecords(history.records.map((record, i) => ({ record, n: history.first + i })));
    position = { sessionId: state.sessionId, next: history.first + history.records.length };
    const waiting = held ?? [];
    held = null;
    const next: { record: JournalRecord; n: number }[] = [];
    for (const { sessionId, n, record } of waiting) {
      if (sessionId === position.sessionId && n === position.next) {
        next.push({ record, n });
        position.next++;
      }
    }
    appendRecords(next);
    // How late the newest record shown now is, as for a pushed batch that arrived just now.
    const newest = next.at(-1)?.record ?? history.records.at(-1);
    const behindMs = behindAfter(newest?.t ?? null, { receivedAt: performance.now(), waiting: 0 });
    const view = store.getState();
    store.setState({ ...withSession(view, state), ...(snapshot && { snapshot }), behindMs });
  };

  client.onPush((batch, arrival) => store.getState().applyBatch(batch, arrival));
  client.onStatus((connection) => {
    store.setState({ connection });
    if (connection !== 'open') return;
    // A new connection may reach another server process, with another clock (a greeting after a gap keeps it).
    lag.reset();
    void store.getState().greet();
  });
  return store;
}
