// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { LESSON_START, checkExpectation, performStep, runAction, type LessonCallbacks, type StepResult } from '../../src/renderer/lessons/lesson-runner';
import { LESSONS } from '../../src/renderer/lessons/lessons';
import { FEATURE_QUERY, type LabOp } from '../../src/shared/domain';
import { modelLessonSession } from './model-lesson-session';

/** Lesson `id` started on a fresh model session, its first `steps` steps done. */
async function startedLesson(id: string, steps: number) {
  const lesson = LESSONS.find((l) => l.id === id);
  if (!lesson) throw new Error(`no lesson ${id}`);
  const session = modelLessonSession();
  const started = await session.start(lesson.needs | FEATURE_QUERY);
  if (!started.ok) throw new Error(started.error);
  let progress = LESSON_START;
  for (let i = 0; i < steps; i++) progress = await performStep(lesson, progress, started.arena, session);
  return { lesson, session, started, progress };
}

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

  it('turn actions into callbacks with absolute page addresses', async () => {
    const calls: unknown[] = [];
    const ok = async (call: unknown[]): Promise<StepResult> => (calls.push(call), { ok: true });
    const callbacks: LessonCallbacks = {
      onRegister: (...a) => ok(['register', ...a]),
      onUnregister: (c) => ok(['unregister', c]),
      onRead: (n) => ok(['read', n]),
      onLab: (op: LabOp) => ok(['lab', op]),
    };
    const arena = { base: 0x10000n, pages: 16, pageSize: 4096 };
    await runAction({ do: 'register', page: 2, pages: 3, cookie: 7n, filter: 4 }, arena, callbacks);
    await runAction({ do: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } }, arena, callbacks);
    expect(calls).toEqual([
      ['register', 0x12000n, 0x15000n, 7n, 4, false],
      ['lab', { op: 'munmap', page: 1, pages: 1 }],
    ]);
  });

  it('do not advance past a step whose action failed, and say why', async () => {
    const { lesson, session, started, progress } = await startedLesson('partial-munmap-hint', 3);
    expect(lesson.steps[3]?.action).toMatchObject({ do: 'register', cookie: 0x101n });
    // The learner registered the lesson's cookie by hand: the lesson's own register fails with EINVAL.
    await session.backend().register(started.arena.base, started.arena.base + 4096n, 0x101n, 0);
    const failed = await performStep(lesson, progress, started.arena, session);
    expect(failed.done).toBe(3);
    expect(failed.verdicts).toEqual(progress.verdicts);
    expect(failed.error).toMatch(/cookie|already|EINVAL/i);
    await session.backend().unregister(0x101n);
    const retried = await performStep(lesson, failed, started.arena, session);
    expect([retried.done, retried.error, retried.verdicts[3]]).toEqual([4, null, []]);
  });

  it('keep the verdict each check observed right after its step', async () => {
    const { lesson, session, started, progress } = await startedLesson('partial-munmap-hint', 5);
    expect(progress.verdicts[4]).toEqual([]);
    // A later experiment drains the queue: the munmap step's check would fail now, and the next step runs on.
    await session.backend().read(128);
    expect(checkExpectation(lesson.steps[4]?.expect ?? {}, await session.observe())).not.toEqual([]);
    const next = await performStep(lesson, progress, started.arena, session);
    expect(next.done).toBe(6);
    expect(next.verdicts[4]).toEqual([]);
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

  // Every lesson, on the model backend, step by step, from its own start:
  // what each step says the learner will see is what the queue and counter show.
  for (const lesson of LESSONS) {
    it(`"${lesson.title}" shows what it promises on the model backend`, async () => {
      const session = modelLessonSession();
      const started = await session.start(lesson.needs | FEATURE_QUERY);
      if (!started.ok) throw new Error(started.error);
      let progress = LESSON_START;
      while (progress.done < lesson.steps.length) {
        const next = await performStep(lesson, progress, started.arena, session);
        expect([progress.done + 1, next.error]).toEqual([progress.done + 1, null]);
        progress = next;
      }
      for (const [i, step] of lesson.steps.entries()) expect([i + 1, step.explain, progress.verdicts[i]]).toEqual([i + 1, step.explain, step.expect ? [] : null]);
      expect((await session.backend().query()).registrations).toEqual([]);
      await session.backend().close();
    });
  }
});
