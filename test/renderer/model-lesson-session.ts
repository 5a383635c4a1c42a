// A lesson session straight over the model backend (no app, no wire): each
// action's failure comes back as the backend's error, and observing asks the
// backend itself, so the runner and panel are tested against real semantics.

import { createModelBackend } from '../../src/main/core/backends/model';
import { EVENT_TYPE_LAST } from '../../src/shared/domain';
import type { LessonSession, StepResult } from '../../src/renderer/lessons/lesson-runner';

export interface ModelLessonSession extends LessonSession {
  /** The backend now in use (start replaces it). */
  backend(): ReturnType<typeof createModelBackend>;
  /** The features the last start negotiated (0 before one). */
  granted(): number;
}

export function modelLessonSession(pages = 16): ModelLessonSession {
  let backend = createModelBackend({ pages });
  let lastLastCounter = 0n;
  let granted = 0;
  let starts = 0;
  const attempt = async (f: () => Promise<unknown>): Promise<StepResult> => {
    try {
      await f();
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  };
  return {
    backend: () => backend,
    granted: () => granted,
    sessionId: () => starts,
    onRegister: (s, e, c, f, withSlot) => attempt(() => (withSlot ? backend.registerSlot(s, e, c, f) : backend.register(s, e, c, f))),
    onUnregister: (c) => attempt(() => backend.unregister(c)),
    onRead: (n) =>
      attempt(async () => {
        for (const event of await backend.read(n)) if (event.type === EVENT_TYPE_LAST) lastLastCounter = event.cookieOrCounter;
      }),
    onLab: (op) => attempt(() => backend.lab(op)),
    async observe() {
      const snapshot = await backend.query();
      return { arena: backend.arena(), registrations: snapshot.registrations, queue: snapshot.queue, counter: backend.counter(), lastLastCounter };
    },
    async start(features) {
      await backend.close();
      backend = createModelBackend({ pages });
      lastLastCounter = 0n;
      starts++;
      granted = await backend.negotiateFeatures(features);
      if ((granted & features) !== features) return { ok: false, error: 'not granted' };
      return { ok: true, arena: backend.arena() };
    },
  };
}
