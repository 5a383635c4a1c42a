// The session as the renderer knows it: the latest state and QUERY
// snapshot, the timeline built from the session's journal, the last error.
// On every (re)connection the store greets the core and takes in the
// retained history it does not have yet, in pages of HISTORY_PAGE_RECORDS
// (each page its own task, so a long history never blocks the page);
// after that each pushed journal record is applied once, in order
// (records carry their number; a gap means something was missed and the
// store greets again, asking only for what it is missing). The timeline
// buffer is one object for the store's whole life, appended to in place
// (the views subscribe to it), and cleared when a new session replaces
// the old one. Each batch's records are appended at once, and the store
// keeps how far behind the session the page is (live-lag.ts), which the
// timeline shows instead of "Following live".

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuerySnapshot } from '../../shared/domain';
import type { JournalRecord } from '../../shared/journal';
import { HISTORY_PAGE_RECORDS, type HelloResult, type JournalHistory, type PushBatch, type Request, type ResultFor, type SessionState } from '../../shared/messages';
import { summarizedRecords, type StreamSummary } from '../../shared/stream-summary';
import type { TimelineRecord } from '../../shared/timeline-record';
import { takeInOrder } from '../../shared/in-order';
import { timelineRecordsOf } from '../../shared/timeline-records-of';
import { TimelineBuffer } from '../view-state/timeline-buffer';
import type { HistoryProgress } from '../views/Timeline';
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
  /** While a greeting takes in the retained history page by page: records taken in of those it brings. */
  loadingHistory: HistoryProgress | null;
  /** Records a second the page takes in counted (summaries of a dense stream); 0 when every record comes whole. */
  summarizedPerSecond: number;
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
  loadingHistory: null,
  summarizedPerSecond: 0,
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

/** A journal record, or a summary of a run of them, as the timeline takes it: journal records first..last. */
interface Arrived {
  first: number;
  last: number;
  /** Session time of the last of them. */
  t: number;
  timeline: TimelineRecord[];
  /** A replay's seek: the timeline starts again after it. */
  seek: boolean;
  /** Records counted in a summary (0 for a record sent whole). */
  summarized: number;
  /** Session time of the first of them. */
  t0: number;
}

const recordArrived = (n: number, record: JournalRecord): Arrived => ({
  first: n,
  last: n,
  t: record.t,
  timeline: timelineRecordsOf(record),
  seek: record.kind === 'notice' && record.notice.kind === 'replaySeek',
  summarized: 0,
  t0: record.t,
});

const summaryArrived = (summary: StreamSummary): Arrived => ({
  first: summary.first,
  last: summary.last,
  t: summary.t1,
  timeline: [{ kind: 'summary', t: summary.t1, summary }],
  seek: false,
  summarized: summarizedRecords(summary),
  t0: summary.t0,
});

/** With no summary for this long, the page no longer says it shows the stream counted. */
const SUMMARIZED_SHOWN_MS = 1000;

/** Lets clicks, frames and pushes in between two pages of history. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function createSessionStore(client: UmmuClient): StoreApi<SessionStore> {
  const timeline = new TimelineBuffer();
  let lastSeq: { sessionId: number; seq: number } | null = null;
  let position: JournalPosition | null = null;
  // While a greeting is on its way, pushed records wait here: the history it brings may or may not hold them.
  let held: { sessionId: number; entry: Arrived }[] | null = null;
  // Each greeting's number: a greeting that a newer one overtook stops taking in pages.
  let greetings = 0;
  // clockOrigin of the core that answered the last greeting: another one (a restarted server) may reuse session ids.
  let coreOrigin: number | undefined;

  const lag = new LiveLag();
  let quiet: ReturnType<typeof setTimeout> | undefined;
  // Session time of the newest record shown: a batch whose records cannot be shown yet leaves the page this far back.
  let shownT: number | null = null;

  // Summaries of the last second (session time, records counted): how dense the stream is that the page shows counted.
  const recentSummaries: { t0: number; t: number; records: number }[] = [];
  let summariesEnd: ReturnType<typeof setTimeout> | undefined;
  // What noteSummaries last worked out (applyBatch sets its whole view at once, this included).
  let summarizedRate = 0;
  const noteSummaries = (entries: readonly Arrived[]): void => {
    for (const { t0, t, summarized } of entries) recentSummaries.push({ t0, t, records: summarized });
    const newest = recentSummaries[recentSummaries.length - 1]?.t ?? 0;
    while ((recentSummaries[0]?.t ?? newest) < newest - SUMMARIZED_SHOWN_MS) recentSummaries.shift();
    const oldest = recentSummaries[0]?.t0 ?? newest;
    const records = recentSummaries.reduce((n, s) => n + s.records, 0);
    const perSecond = Math.round((records * 1000) / Math.max(newest - oldest, SUMMARIZED_SHOWN_MS / 4));
    clearTimeout(summariesEnd);
    summariesEnd = setTimeout(() => {
      recentSummaries.length = 0;
      summarizedRate = 0;
      store.setState({ summarizedPerSecond: 0 });
    }, SUMMARIZED_SHOWN_MS);
    summarizedRate = perSecond;
    if (store.getState().summarizedPerSecond !== perSecond) store.setState({ summarizedPerSecond: perSecond });
  };

  /** Records and summaries applied together: one append (one redraw request) for all of them; a replay's seek starts the timeline again. */
  const appendRecords = (entries: readonly Arrived[]): void => {
    const last = entries[entries.length - 1];
    if (!last) return;
    const seek = entries.findLastIndex((entry) => entry.seek);
    if (seek >= 0) timeline.clear();
    timeline.sourcePosition = last.last;
    shownT = last.t;
    timeline.appendAll(entries.slice(seek + 1).flatMap((entry) => entry.timeline));
    const summaries = entries.filter((entry) => entry.summarized > 0);
    if (summaries.length > 0) noteSummaries(summaries);
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
      shownT = null;
      // The rate shown is the new session's: its clock starts again.
      recentSummaries.length = 0;
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
      const arrived: Arrived[] = [];
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
            arrived.push(recordArrived(item.n, item.record));
            break;
          case 'summary':
            arrived.push(summaryArrived(item.summary));
            break;
        }
      }
      // Records held back for a greeting, or after a gap, are not shown yet.
      let fresh: Arrived[] = [];
      let gap = false;
      let unshown = false;
      if (held) {
        held.push(...arrived.map((entry) => ({ sessionId: batch.sessionId, entry })));
        unshown = arrived.length > 0;
      } else if (position?.sessionId !== batch.sessionId) gap = unshown = arrived.length > 0;
      else {
        ({ taken: fresh, next: position.next, gap } = takeInOrder(arrived, position.next));
        unshown = gap;
      }
      appendRecords(fresh);
      set({ ...current, summarizedPerSecond: summarizedRate, behindMs: behindAfter(fresh.at(-1)?.t ?? (unshown ? shownT : null), arrival) });
      if (gap && get().connection === 'open') void get().greet();
    },
    async perform(request) {
      try {
        const result = await client.request(request);
        if (get().lastError) set({ lastError: null });
        if (opensSession(request.kind)) set(adopt(get(), result as SessionState));
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
      const greeting = ++greetings;
      const known = position;
      const hello = await get().perform({ kind: 'hello', ...(known && { from: known.next }), limit: HISTORY_PAGE_RECORDS, summaries: true });
      if (greeting !== greetings) return;
      if (hello) await restore(hello, known, greeting);
      else held = null;
    },
  }));

  /** Applies a page of history from `position.next` on; records the core no longer keeps count as lost. */
  const takePage = (page: JournalHistory, at: JournalPosition): void => {
    if (page.first > at.next) {
      at.next = page.first;
      store.setState({ lostBatches: store.getState().lostBatches + 1 });
    }
    const skip = at.next - page.first;
    appendRecords(page.records.slice(skip).map((record, i) => recordArrived(at.next + i, record)));
    at.next = Math.max(at.next, page.first + page.records.length);
  };

  /**
   * Takes in the history the greeting brings, and the pages after it, from
   * where this page was (the same session on the same core) or from the
   * start; then what was held back meanwhile.
   */
  const restore = async (hello: HelloResult, known: JournalPosition | null, greeting: number): Promise<void> => {
    const { state, snapshot } = hello;
    let page: JournalHistory | undefined = hello.history;
    const same = known !== null && known.sessionId === state.sessionId && coreOrigin === hello.clockOrigin;
    coreOrigin = hello.clockOrigin;
    const at: JournalPosition = same ? known : { sessionId: state.sessionId, next: 0 };
    // Still the newest greeting, and no push has brought another session meanwhile.
    const moved = (): boolean => position !== at && position !== known;
    const current = (): boolean => greeting === greetings && !moved();
    if (!same) {
      timeline.clear();
      // Asked from a position in another session: this one's history starts at its oldest record.
      if (known !== null) page = await pageAfter(state.sessionId, 0);
      if (!page || !current()) return giveUp(greeting, moved());
    }
    position = at;
    store.setState({ ...withSession(store.getState(), state), ...(snapshot && { snapshot }) });
    const startedAt = at.next;
    for (;;) {
      // The next page is asked for before this one is applied: the core encodes it while the page takes this one in.
      const after: number = page.first + page.records.length;
      const next: Promise<JournalHistory | undefined> | null = after < page.end ? pageAfter(at.sessionId, Math.max(after, at.next)) : null;
      takePage(page, at);
      store.setState({
        loadingHistory: next ? { loaded: at.next - startedAt, total: page.end - startedAt } : null,
        behindMs: behindAfter(page.records.at(-1)?.t ?? null, { receivedAt: performance.now(), waiting: next ? 1 : 0 }),
      });
      if (!next) break;
      page = await next;
      if (!page || !current()) return giveUp(greeting, moved());
    }
    await applyHeld(at, greeting);
  };

  const pageAfter = async (sessionId: number, from: number): Promise<JournalHistory | undefined> => {
    try {
      return await client.request({ kind: 'history', sessionId, from, limit: HISTORY_PAGE_RECORDS });
    } catch {
      // The session was replaced or the connection lost: its state push or the next greeting brings the rest.
      return undefined;
    }
  };

  /** Ends a greeting that could not finish; when a push brought another session meanwhile, greets that one. */
  const giveUp = (greeting: number, sessionReplaced: boolean): void => {
    if (greeting !== greetings) return;
    held = null;
    store.setState({ loadingHistory: null });
    if (sessionReplaced && store.getState().connection === 'open') void store.getState().greet();
  };

  /** Applies the pushed records held back during the greeting, a page at a time, until none is left. */
  const applyHeld = async (at: JournalPosition, greeting: number): Promise<void> => {
    for (;;) {
      const waiting = held ?? [];
      const page = waiting.splice(0, HISTORY_PAGE_RECORDS).flatMap(({ sessionId, entry }) => (sessionId === at.sessionId ? [entry] : []));
      // What the history already held is skipped; a gap among them shows in a later batch, which greets again.
      const { taken: next, next: after } = takeInOrder(page, at.next);
      at.next = after;
      appendRecords(next);
      const done = waiting.length === 0;
      if (done) held = null;
      store.setState({ behindMs: behindAfter(next.at(-1)?.t ?? null, { receivedAt: performance.now(), waiting: done ? 0 : 1 }) });
      if (done) return;
      await nextTask();
      if (greeting !== greetings || position !== at) return giveUp(greeting, position !== at);
    }
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
