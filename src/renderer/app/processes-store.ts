// The processes the page knows of: what listProcesses found (pid, command,
// rank, fdinfo counts) and every monitor session, live or replayed from a
// recording, each its own ProcessFeed (state, snapshot, timeline, counts).
// The store sends watchProcesses on every connection (which greets it with
// each monitor session and subscribes it to their batches) and again on a
// gap; each greeting brings a page of each session's history and the rest
// comes a page per request (HISTORY_PAGE_RECORDS); batches pushed while
// that is on its way are held and applied after it. Failures go to the app's error banner in words
// (readable-error.ts).

import { createStore, type StoreApi } from 'zustand/vanilla';
import { HISTORY_PAGE_RECORDS, type DiscoveredProcess, type HelloResult, type JournalHistory, type PushBatch, type WireError } from '../../shared/messages';
import { RequestError, type UmmuClient } from './client';
import { ProcessFeed, feedEntry, type ProcessView } from './process-feed';
import { attachError, type ShownError } from './readable-error';

export interface ProcessesView {
  /** The last listing; null before the first. */
  found: DiscoveredProcess[] | null;
  /** Monitor sessions (watched or replayed), oldest first. */
  watched: ProcessView[];
}

export interface ProcessesStore extends ProcessesView {
  /** Lists the processes with the device open and greets the monitor sessions again. */
  refresh(): Promise<void>;
  /** Watches `pid` (descriptor `fd`, or its only one); false when it could not (the banner says why). */
  attach(pid: number, fd?: number): Promise<boolean>;
  detach(sessionId: number): Promise<void>;
  /** Starts recording a watched process's session. */
  startRecording(sessionId: number): Promise<void>;
  /** Stops it; resolves with the recording (undefined when it failed: the banner says why). */
  stopRecording(sessionId: number): Promise<{ fileName: string; text: string } | undefined>;
  /** Opens monitor recordings as replayed processes, one session each. */
  openRecordings(files: readonly { name: string; text: string }[]): Promise<void>;
  /** Greets the monitor sessions (watchProcesses): every feed rebuilt from its history. */
  watch(): Promise<void>;
  applyBatch(batch: PushBatch): void;
}

export interface ProcessesStoreOptions {
  /** Shows an error in the app's banner. */
  showError(error: ShownError): void;
  /** Records of history per greeting and per request (HISTORY_PAGE_RECORDS; tests use fewer). */
  historyPageRecords?: number;
}

const wireError = (err: unknown): WireError =>
  err instanceof RequestError ? err.error : { code: 'Error', message: err instanceof Error ? err.message : String(err) };

export function createProcessesStore(client: UmmuClient, options: ProcessesStoreOptions): StoreApi<ProcessesStore> {
  const feeds = new Map<number, ProcessFeed>();
  // While watchProcesses is on its way, pushed batches wait here: the history it brings may or may not hold them.
  let held: PushBatch[] | null = null;
  // Each greeting's number: one that a newer greeting overtook stops taking in pages.
  let greetings = 0;
  const pageRecords = options.historyPageRecords ?? HISTORY_PAGE_RECORDS;

  const publish = (): void => store.setState({ watched: [...feeds.values()].sort((a, b) => a.sessionId - b.sessionId).map((f) => f.view()) });

  const request = async <T>(send: () => Promise<T>, shown: (error: WireError) => ShownError): Promise<T | undefined> => {
    try {
      return await send();
    } catch (err) {
      options.showError(shown(wireError(err)));
      return undefined;
    }
  };

  /** A batch to a feed; false when it reveals a gap. */
  const deliver = (batch: PushBatch): boolean => {
    let feed = feeds.get(batch.sessionId);
    if (!feed) {
      const state = batch.items.find((i) => i.kind === 'state');
      // Records of a session not yet known, without its state (that comes after them, in a later batch): greet for its history.
      if (state?.kind !== 'state') return !batch.items.some((i) => feedEntry(i) !== null);
      feed = ProcessFeed.fromState(state.state);
      feeds.set(batch.sessionId, feed);
    }
    return feed.applyItems(batch.items);
  };

  /** The rest of each feed's history after its greeting's page, a page per request; false when a newer greeting overtook this one. */
  const takeHistories = async (hellos: readonly HelloResult[], greeting: number): Promise<boolean> => {
    for (const hello of hellos) {
      const feed = feeds.get(hello.state.sessionId);
      let end = hello.history.end;
      while (feed && feed.nextRecord < end) {
        let page: JournalHistory;
        try {
          page = await client.request({ kind: 'history', sessionId: hello.state.sessionId, from: feed.nextRecord, limit: pageRecords });
        } catch {
          // The session ended meanwhile, or the connection went: what is shown stays; a new greeting brings the rest.
          break;
        }
        if (greeting !== greetings) return false;
        feed.applyHistory(page);
        publish();
        if (page.records.length === 0) break;
        end = page.end;
      }
    }
    return greeting === greetings;
  };

  /** Rebuilds every feed from the greeting and the pages after it, then applies what was held back meanwhile; false when that reveals a gap. */
  const restore = async (hellos: readonly HelloResult[], greeting: number): Promise<boolean> => {
    feeds.clear();
    for (const hello of hellos) feeds.set(hello.state.sessionId, new ProcessFeed(hello));
    publish();
    if (!(await takeHistories(hellos, greeting))) return true;
    const waiting = held ?? [];
    held = null;
    let complete = true;
    for (const batch of waiting) {
      const feed = feeds.get(batch.sessionId);
      if (!feed) {
        // A session that began after the greeting was answered: its batches as they come.
        complete = deliver(batch) && complete;
        continue;
      }
      feed.applyHeld(batch.items.flatMap((item) => feedEntry(item) ?? []));
    }
    publish();
    return complete;
  };

  const store = createStore<ProcessesStore>()((_set, get) => ({
    found: null,
    watched: [],
    async refresh() {
      const found = await request(
        () => client.request({ kind: 'listProcesses' }),
        (error) => ({ ...error, title: 'Cannot list the processes' }),
      );
      if (found) store.setState({ found });
      await get().watch();
    },
    async attach(pid, fd) {
      const target = fd === undefined ? `PID ${pid}` : `PID ${pid} fd ${fd}`;
      const state = await request(
        () => client.request(fd === undefined ? { kind: 'attach', pid } : { kind: 'attach', pid, fd }),
        (error) => attachError(error, target),
      );
      if (!state) return false;
      if (!feeds.has(state.sessionId)) {
        feeds.set(state.sessionId, ProcessFeed.fromState(state));
        publish();
      }
      return true;
    },
    async detach(sessionId) {
      const done = await request(
        () => client.request({ kind: 'detach', sessionId }),
        (error) => ({ ...error, title: `Cannot stop watching session ${sessionId}` }),
      );
      if (done === undefined) return;
      feeds.delete(sessionId);
      publish();
    },
    async startRecording(sessionId) {
      await request(
        () => client.request({ kind: 'startRecording', sessionId }),
        (error) => ({ ...error, title: `Cannot record session ${sessionId}` }),
      );
    },
    stopRecording: (sessionId) =>
      request(
        () => client.request({ kind: 'stopRecording', sessionId }),
        (error) => ({ ...error, title: `Cannot stop recording session ${sessionId}` }),
      ),
    async openRecordings(files) {
      for (const file of files) {
        const state = await request(
          () => client.request({ kind: 'openProcessRecording', name: file.name, text: file.text }),
          (error) => ({ ...error, title: `Cannot open ${file.name}` }),
        );
        if (state && !feeds.has(state.sessionId)) {
          feeds.set(state.sessionId, ProcessFeed.fromState(state));
          publish();
        }
      }
    },
    async watch() {
      held ??= [];
      const greeting = ++greetings;
      const hellos = await request(
        () => client.request({ kind: 'watchProcesses', limit: pageRecords }),
        (error) => ({ ...error, title: 'Cannot follow the watched processes' }),
      );
      if (greeting !== greetings) return;
      if (!hellos) held = null;
      else if (!(await restore(hellos, greeting))) void get().watch();
    },
    applyBatch(batch) {
      if (held) {
        held.push(batch);
        return;
      }
      const complete = deliver(batch);
      publish();
      if (!complete) void get().watch();
    },
  }));

  client.onMonitorPush((batch) => store.getState().applyBatch(batch));
  client.onStatus((connection) => {
    if (connection === 'open') void store.getState().refresh();
  });
  return store;
}
