// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { checkExpectation, runAction, type LessonCallbacks } from '../../src/renderer/lessons/lesson-runner';
import { LESSONS } from '../../src/renderer/lessons/lessons';
import { createModelBackend } from '../../src/main/core/backends/model';
import { EVENT_TYPE_LAST, FEATURE_QUERY, type LabOp } from '../../src/shared/domain';

describe('lessons', () => {
  it('are at least eight, each with a unique id and its own cookies', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    const owner = new Map<bigint, string>();
    for (const lesson of LESSONS)
      for (const step of lesson.steps)
        if (step.action.do === 'register') {
          expect(owner.get(step.action.cookie) ?? lesson.id).toBe(lesson.id);
          owner.set(step.action.cookie, lesson.id);
        }
  });

  it('unregister every cookie they register, so they run in any order', () => {
    for (const lesson of LESSONS) {
      const live = new Set<bigint>();
      for (const { action } of lesson.steps) {
        if (action.do === 'register') live.add(action.cookie);
        if (action.do === 'unregister') live.delete(action.cookie);
      }
      expect([lesson.id, [...live]]).toEqual([lesson.id, []]);
    }
  });

  it('turn actions into callbacks with absolute page addresses', () => {
    const calls: unknown[] = [];
    const callbacks: LessonCallbacks = {
      onRegister: (...a) => calls.push(['register', ...a]),
      onUnregister: (c) => calls.push(['unregister', c]),
      onRead: (n) => calls.push(['read', n]),
      onLab: (op: LabOp) => calls.push(['lab', op]),
    };
    const arena = { base: 0x10000n, pages: 16, pageSize: 4096 };
    runAction({ do: 'register', page: 2, pages: 3, cookie: 7n, filter: 4 }, arena, callbacks);
    runAction({ do: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } }, arena, callbacks);
    expect(calls).toEqual([
      ['register', 0x12000n, 0x15000n, 7n, 4],
      ['lab', { op: 'munmap', page: 1, pages: 1 }],
    ]);
  });

  it('report a queue or counter that differs from the expectation', () => {
    const arena = { base: 0x10000n, pages: 16, pageSize: 4096 };
    const registrations = [{ start: 0x10000n, end: 0x18000n, cookie: 5n, hintStart: 0x13000n, hintEnd: 0x14000n, state: 3, reasonFlags: 0, filter: 0 }];
    const observed = { arena, registrations, queue: [5n], counter: 2n, lastLastCounter: 1n };
    expect(checkExpectation({ queue: [{ cookie: 5n, report: 'HINT', pages: [3, 4] }], pending: true }, observed)).toEqual([]);
    expect(checkExpectation({ queue: [{ cookie: 5n, report: 'whole range', pages: [0, 8] }] }, observed)).toEqual([
      'queue: expected 0x5 whole range pages 0-8, observed 0x5 HINT pages 3-4',
    ]);
    expect(checkExpectation({ queue: [], pending: false }, observed)).toHaveLength(2);
  });

  // Every lesson, on the model backend, step by step: what each step says
  // the learner will see is what the queue and counter show.
  for (const lesson of LESSONS) {
    it(`"${lesson.title}" shows what it promises on the model backend`, async () => {
      const backend = createModelBackend({ pages: 16 });
      await backend.negotiateFeatures(lesson.needs | FEATURE_QUERY);
      let lastLastCounter = 0n;
      let pending: Promise<void> = Promise.resolve();
      const chain = (f: () => Promise<unknown>) => {
        pending = pending.then(async () => void (await f()));
      };
      const callbacks: LessonCallbacks = {
        onRegister: (s, e, c, f) => chain(() => backend.register(s, e, c, f)),
        onUnregister: (c) => chain(() => backend.unregister(c)),
        onRead: (n) =>
          chain(async () => {
            for (const event of await backend.read(n)) if (event.type === EVENT_TYPE_LAST) lastLastCounter = event.cookieOrCounter;
          }),
        onLab: (op) => chain(() => backend.lab(op)),
      };
      const arena = backend.arena();
      for (const [i, step] of lesson.steps.entries()) {
        runAction(step.action, arena, callbacks);
        await pending;
        if (!step.expect) continue;
        const snapshot = await backend.query();
        const problems = checkExpectation(step.expect, { arena, registrations: snapshot.registrations, queue: snapshot.queue, counter: backend.counter(), lastLastCounter });
        expect([i + 1, step.explain, problems]).toEqual([i + 1, step.explain, []]);
      }
      expect((await backend.query()).registrations).toEqual([]);
      await backend.close();
    });
  }
});
