// A lesson's way into the app's session store: each action is one request
// whose failure comes back as the session's error text; what the views show
// after an action is read from the store once the snapshot taken after it
// has arrived (the session pushes it shortly after answering).

import type { StoreApi } from 'zustand/vanilla';
import type { ArenaInfo, SessionOp } from '../../shared/domain';
import type { BackendChoice } from '../../shared/messages';
import { hexToU64 } from '../../shared/u64';
import type { SessionStore } from '../app/store';
import type { LessonSession, Observed, StepResult } from './lesson-runner';

/** How long to wait for the snapshot after an action (a session without QUERY pushes none). */
const SNAPSHOT_WAIT_MS = 2000;

const errorText = (store: StoreApi<SessionStore>): string => {
  const error = store.getState().lastError;
  return error ? `${error.code}: ${error.message}` : 'the request failed';
};

function observedNow(store: StoreApi<SessionStore>): Observed {
  const { session, snapshot } = store.getState();
  const arena: ArenaInfo = session
    ? { base: hexToU64(session.arena.base), pages: session.arena.pages, pageSize: session.arena.pageSize }
    : { base: 0n, pages: 0, pageSize: 0 };
  return {
    arena,
    registrations: snapshot?.registrations ?? [],
    queue: snapshot?.queue ?? [],
    counter: session ? hexToU64(session.counter) : 0n,
    lastLastCounter: session?.lastLastCounter ? hexToU64(session.lastLastCounter) : 0n,
  };
}

/** Resolves when the store holds a snapshot newer than the one it holds now (or after a while without one). */
function nextSnapshot(store: StoreApi<SessionStore>): Promise<void> {
  const before = store.getState().snapshot;
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, SNAPSHOT_WAIT_MS);
    const unsubscribe = store.subscribe((s) => {
      if (s.snapshot !== before) done();
    });
  });
}

export function createLessonSession(store: StoreApi<SessionStore>): LessonSession {
  // Set when an action succeeded: the snapshot showing its outcome is on its way.
  let outcome: Promise<void> = Promise.resolve();
  const op = async (sessionOp: SessionOp): Promise<StepResult> => {
    const result = await store.getState().perform({ kind: 'op', op: sessionOp });
    if (result === undefined) return { ok: false, error: errorText(store) };
    // The session answers first and pushes the snapshot taken after the op later, so the next one is the one.
    outcome = nextSnapshot(store);
    return { ok: true };
  };
  return {
    onRegister: (start, end, cookie, flags, withSlot) =>
      op(withSlot ? { op: 'register', start, end, cookie, flags, withSlot } : { op: 'register', start, end, cookie, flags }),
    onUnregister: (cookie) => op({ op: 'unregister', cookie }),
    onRead: (maxEvents) => op({ op: 'read', maxEvents }),
    onLab: (lab) => op({ op: 'lab', lab }),
    sessionId: () => store.getState().session?.sessionId ?? null,
    async observe() {
      await outcome;
      return observedNow(store);
    },
    async start(features) {
      const kind = store.getState().session?.backend.kind;
      const backend: BackendChoice = kind === 'kernel' ? 'kernel' : 'model';
      const state = await store.getState().perform({ kind: 'newSession', backend });
      if (!state) return { ok: false, error: errorText(store) };
      const granted = await store.getState().perform({ kind: 'op', op: { op: 'negotiateFeatures', requested: features } });
      if (granted === undefined) return { ok: false, error: errorText(store) };
      if ((granted & features) !== features) return { ok: false, error: `the ${state.backend.kind} backend did not grant every feature the lesson needs` };
      return { ok: true, arena: { base: hexToU64(state.arena.base), pages: state.arena.pages, pageSize: state.arena.pageSize } };
    },
  };
}
