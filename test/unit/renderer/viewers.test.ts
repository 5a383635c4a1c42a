// Every viewer of one session shows the same history: a viewer that was
// there all along (fed by pushes), one that connects later (fed by the
// retained history on greeting), and one that greets again (a reload or a
// reconnect) end with the same timeline, and a new session opened by one
// reaches the others.

import { afterEach, expect, test } from 'vitest';
import { createSessionStore, type SessionStore } from '../../../src/renderer/app/store';
import type { StoreApi } from 'zustand/vanilla';
import type { SessionHost } from '../../../src/main/core/session-host';
import { HISTORY_PAGE_RECORDS, type Request } from '../../../src/shared/messages';
import { inProcessClient } from './in-process-client';

let host: SessionHost;
afterEach(async () => host.close());

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
const kinds = (store: StoreApi<SessionStore>): string[] => store.getState().timeline.toArray().map((r) => ('cookie' in r ? `${r.kind} ${r.cookie}` : r.kind));

async function viewer(): Promise<StoreApi<SessionStore>> {
  const store = createSessionStore(inProcessClient(host).client);
  await store.getState().greet();
  return store;
}

async function perform(store: StoreApi<SessionStore>, request: Request): Promise<void> {
  await store.getState().perform(request);
  expect(store.getState().lastError).toBeNull();
}

test('a viewer that connects later and one that was there all along show the same history, register and unregister included', async () => {
  ({ host } = inProcessClient());
  const early = await viewer();
  const base = BigInt(early.getState().session?.arena.base ?? '0');
  await perform(early, { kind: 'op', op: { op: 'register', start: base, end: base + 0x4000n, cookie: 1n, flags: 0 } });
  await perform(early, { kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie: 2n, flags: 0 } });
  // Unregistered before any snapshot could show it registered: still two records.
  await perform(early, { kind: 'op', op: { op: 'unregister', cookie: 2n } });
  await perform(early, { kind: 'op', op: { op: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } } });
  await perform(early, { kind: 'op', op: { op: 'read', maxEvents: 8 } });
  await settle();

  const late = await viewer();
  const expected = ['register 1', 'register 2', 'unregister 2', 'invalidation', 'lab', 'read'];
  expect(kinds(early)).toEqual(expected);
  expect(kinds(late)).toEqual(expected);
  expect(late.getState().timeline.toArray()).toEqual(early.getState().timeline.toArray());

  // Greeting again (a reload, a reconnect) rebuilds the same timeline, not a doubled one.
  await early.getState().greet();
  await settle();
  expect(kinds(early)).toEqual(expected);
  expect(early.getState().session?.counter).toBe(late.getState().session?.counter);
});

test('a viewer of a dense stream takes it in counted and ends where a viewer of every record does', async () => {
  ({ host } = inProcessClient(undefined, { summarizeAbove: 1 }));
  const live = await viewer();
  const base = BigInt(live.getState().session?.arena.base ?? '0');
  const cookies = [1n, 2n, 3n, 4n];
  for (const [i, cookie] of cookies.entries()) await perform(live, { kind: 'op', op: { op: 'register', start: base + BigInt(i) * 0x1000n, end: base + BigInt(i + 1) * 0x1000n, cookie, flags: 0 } });
  await perform(live, { kind: 'setAutoRead', enabled: true, maxEvents: 2 });
  for (let round = 0; round < 30; round++)
    for (let page = 0; page < 4; page++) {
      await perform(live, { kind: 'op', op: { op: 'lab', lab: { op: 'madvise', page, pages: 1, advice: 'DONTNEED' } } });
      await perform(live, { kind: 'op', op: { op: 'lab', lab: { op: 'touch', page, pages: 1 } } });
    }
  await settle();
  // A viewer that greets now takes the retained history: every record, one by one.
  const late = await viewer();
  const shown = (store: StoreApi<SessionStore>) => {
    const t = store.getState().timeline;
    return {
      through: t.sourcePosition,
      counter: t.counterAt(t.length - 1),
      queueDepth: t.queueDepthAt(t.length - 1),
      hits: cookies.map((c) => t.hitTimes(c).length),
      deliveries: cookies.map((c) => t.deliveryTimes(c).length),
      registered: t.lifetimes().map((l) => l.cookie),
    };
  };
  expect(live.getState().timeline.toArray().some((r) => r.kind === 'summary')).toBe(true);
  expect(live.getState().summarizedPerSecond).toBeGreaterThan(0);
  expect(late.getState().timeline.toArray().some((r) => r.kind === 'summary')).toBe(false);
  expect(shown(live)).toEqual(shown(late));
  expect(shown(late).hits.every((n) => n === 30)).toBe(true);
});

test('a new session opened by one viewer replaces the session of every viewer', async () => {
  ({ host } = inProcessClient());
  const a = await viewer();
  const b = await viewer();
  const base = BigInt(a.getState().session?.arena.base ?? '0');
  await perform(a, { kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie: 7n, flags: 0 } });
  await settle();
  expect(kinds(b)).toEqual(['register 7']);

  await perform(b, { kind: 'newSession', backend: 'model' });
  await settle();
  expect(a.getState().session?.sessionId).toBe(b.getState().session?.sessionId);
  expect(kinds(a)).toEqual([]);
  await perform(b, { kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie: 8n, flags: 0 } });
  await settle();
  expect(kinds(a)).toEqual(['register 8']);
  expect(kinds(b)).toEqual(['register 8']);
});

const until = async (condition: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A viewer whose requests (and the records each history answer held) are noted, and whose pushes can be dropped as a full socket drops them. */
function observedViewer(): { store: StoreApi<SessionStore>; sent: { request: Request; records?: number }[]; dropPushes: (drop: boolean) => void } {
  const { client } = inProcessClient(host);
  const sent: { request: Request; records?: number }[] = [];
  let dropping = false;
  const observed: typeof client = {
    ...client,
    async request(request) {
      const entry: { request: Request; records?: number } = { request };
      sent.push(entry);
      const result = await client.request(request);
      if (request.kind === 'hello') entry.records = (result as { history: { records: unknown[] } }).history.records.length;
      if (request.kind === 'history') entry.records = (result as { records: unknown[] }).records.length;
      return result;
    },
    onPush: (listener) => client.onPush((batch, arrival) => (dropping ? undefined : listener(batch, arrival))),
  };
  // The client says it is open at once: the store greets by itself.
  const store = createSessionStore(observed);
  return { store, sent, dropPushes: (drop) => (dropping = drop) };
}

/** The number the session's next journal record will get. */
async function journalEnd(): Promise<number> {
  const hello = await host.handle({ kind: 'hello', limit: 1 });
  if (!hello.ok) throw new Error(hello.error.message);
  return hello.result.history.end;
}

async function registerAndUnregister(base: bigint, cookies: number): Promise<void> {
  for (let cookie = 1n; cookie <= BigInt(cookies); cookie++) {
    await host.handle({ kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie, flags: 0 } });
    await host.handle({ kind: 'op', op: { op: 'unregister', cookie } });
  }
}

test('a viewer that connects to a long history takes it in pages, shows its progress, and ends with all of it', async () => {
  ({ host } = inProcessClient());
  const early = await viewer();
  const base = BigInt(early.getState().session?.arena.base ?? '0');
  // Two and a half pages of records.
  await registerAndUnregister(base, Math.round(HISTORY_PAGE_RECORDS * 1.25));
  await settle();

  const late = observedViewer();
  const progress: { loaded: number; total: number }[] = [];
  late.store.subscribe((s) => void (s.loadingHistory && progress.push(s.loadingHistory)));
  await until(() => late.store.getState().timeline.length === early.getState().timeline.length, 'the whole history');
  expect(late.store.getState().timeline.toArray()).toEqual(early.getState().timeline.toArray());
  expect(late.store.getState().loadingHistory).toBeNull();

  const history = late.sent.filter((s) => s.request.kind === 'hello' || s.request.kind === 'history');
  expect(history.map((s) => s.request.kind)).toEqual(['hello', 'history', 'history']);
  expect(history.every((s) => (s.records ?? Infinity) <= HISTORY_PAGE_RECORDS)).toBe(true);
  expect(progress.length).toBeGreaterThan(0);
  const end = await journalEnd();
  expect(progress[0]).toEqual({ loaded: HISTORY_PAGE_RECORDS, total: end });
});

test('a greeting after missed pushes asks only for the records missed and keeps the timeline it has', async () => {
  ({ host } = inProcessClient());
  const early = await viewer();
  const watched = observedViewer();
  const base = BigInt(early.getState().session?.arena.base ?? '0');
  await until(() => watched.store.getState().session !== null, 'the greeting');
  // A session the viewer learns of from a push, not from a greeting.
  await host.handle({ kind: 'newSession', backend: 'model' });
  await registerAndUnregister(base, 3);
  await settle();
  const epoch = watched.store.getState().timeline.epoch;
  const firstMissed = await journalEnd();

  watched.dropPushes(true);
  await registerAndUnregister(base, 2);
  await settle();
  watched.dropPushes(false);
  // The next push shows the gap; the viewer greets again from the first record it lacks.
  await host.handle({ kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie: 9n, flags: 0 } });
  await until(() => watched.store.getState().timeline.length === early.getState().timeline.length, 'the missed records');

  expect(watched.store.getState().timeline.toArray()).toEqual(early.getState().timeline.toArray());
  expect(watched.store.getState().timeline.epoch).toBe(epoch);
  const regreeting = watched.sent.filter((s) => s.request.kind === 'hello').at(-1);
  expect(regreeting?.request).toEqual({ kind: 'hello', summaries: true, from: firstMissed, limit: HISTORY_PAGE_RECORDS });
  // The four records missed and the one that showed the gap (pushed before the greeting was answered or in it).
  expect(regreeting?.records).toBeLessThanOrEqual(5);
});

test('while a greeting after a gap is on its way, the page does not say it follows live', async () => {
  ({ host } = inProcessClient());
  const { client } = inProcessClient(host);
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  let pushes: 'pass' | 'drop' | 'late' = 'pass';
  let helloDelayMs = 0;
  const slow: typeof client = {
    ...client,
    async request(request) {
      if (request.kind === 'hello') await sleep(helloDelayMs);
      return client.request(request);
    },
    // A late batch keeps its arrival time, as one that waited in a busy page's inbox does.
    onPush: (listener) =>
      client.onPush((batch, arrival) => {
        if (pushes === 'late') setTimeout(() => listener(batch, arrival), 700);
        else if (pushes === 'pass') listener(batch, arrival);
      }),
  };
  const store = createSessionStore(slow);
  await until(() => store.getState().session !== null, 'the greeting');
  const base = BigInt(store.getState().session?.arena.base ?? '0');
  const register = (cookie: bigint) => host.handle({ kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie, flags: 0 } });
  await register(1n);
  await settle();

  pushes = 'drop';
  await register(2n);
  await settle();
  pushes = 'late';
  helloDelayMs = 900;
  await register(3n);
  // The late batch shows the gap: the page is behind and greets again; the greeting takes 900 ms.
  await sleep(750);
  expect(store.getState().behindMs).toBeGreaterThan(0);
  // A quiet spell passes with nothing left in the inbox, but the greeting still brings records not shown.
  await sleep(400);
  expect(store.getState().behindMs).toBeGreaterThan(0);
  pushes = 'pass';
  await until(() => store.getState().behindMs === 0, 'following live again');
  expect(kinds(store).filter((k) => k.startsWith('register'))).toEqual(['register 1', 'register 2', 'register 3']);
});

test('a seek in a replay starts the timeline of every viewer again at the new position, of a viewer that connects later too', async () => {
  ({ host } = inProcessClient());
  const a = await viewer();
  const base = BigInt(a.getState().session?.arena.base ?? '0');
  await perform(a, { kind: 'startRecording' });
  for (let cookie = 1n; cookie <= 4n; cookie++) await perform(a, { kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie, flags: 0 } });
  const saved = await a.getState().perform({ kind: 'stopRecording' });
  if (!saved) throw new Error('no recording');
  await perform(a, { kind: 'openRecording', name: saved.fileName, text: saved.text });
  const b = await viewer();
  await perform(a, { kind: 'replayControl', action: 'play' });
  await until(() => a.getState().session?.replay?.playing === false && b.getState().session?.replay?.playing === false, 'the replay to end');
  await settle();
  expect(kinds(b)).toEqual(['register 1', 'register 2', 'register 3', 'register 4']);
  expect(kinds(a)).toEqual(kinds(b));

  // One viewer seeks back; the other, and one that connects after, start again there too.
  const total = a.getState().session?.replay?.total ?? 0;
  await perform(a, { kind: 'replayControl', action: 'seek', position: total - 2 });
  await perform(a, { kind: 'replayControl', action: 'step' });
  await settle();
  const late = await viewer();
  for (const store of [a, b, late]) expect(kinds(store)).toEqual([kinds(a)[0]]);
  expect(kinds(a)[0]).toMatch(/^register /);
});
