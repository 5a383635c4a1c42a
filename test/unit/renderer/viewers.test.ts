// Every viewer of one session shows the same history: a viewer that was
// there all along (fed by pushes), one that connects later (fed by the
// retained history on greeting), and one that greets again (a reload or a
// reconnect) end with the same timeline, and a new session opened by one
// reaches the others.

import { afterEach, expect, test } from 'vitest';
import { createSessionStore, type SessionStore } from '../../../src/renderer/app/store';
import type { StoreApi } from 'zustand/vanilla';
import type { SessionHost } from '../../../src/main/core/session-host';
import type { Request } from '../../../src/shared/messages';
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
