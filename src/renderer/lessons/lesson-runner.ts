// Runs lesson actions through the workbench callbacks, checks a step's
// expectation against what the views show once its outcome has arrived,
// and keeps that verdict: a step advances only when its action succeeded.

import type { ArenaInfo, LabOp, QueryRegistration } from '../../shared/domain';
import { queuedEvent, registrationState } from '../draw/registration-state';
import type { ExpectedReport, Lesson, LessonAction, LessonExpectation, ReportKind } from './lesson';

/** Whether a request succeeded, and if not, why (the error the session answered). */
export type StepResult = { ok: true } | { ok: false; error: string };

export interface LessonCallbacks {
  onRegister(start: bigint, end: bigint, cookie: bigint, flags: number, withSlot: boolean): Promise<StepResult>;
  onUnregister(cookie: bigint): Promise<StepResult>;
  onRead(maxEvents: number): Promise<StepResult>;
  onLab(op: LabOp): Promise<StepResult>;
}

/** The session as a lesson drives it: its actions, plus a known start and what the views show. */
export interface LessonSession extends LessonCallbacks {
  /** Replaces the session by a new one on the same backend with `features` negotiated; resolves with its arena. */
  start(features: number): Promise<{ ok: true; arena: ArenaInfo } | { ok: false; error: string }>;
  /** Resolves with what the views show once the state after the last completed action has arrived. */
  observe(): Promise<Observed>;
  /** Which session is in force now (a lesson started on another one is no longer running). */
  sessionId(): number | null;
}

export function pageAddress(arena: ArenaInfo, page: number): bigint {
  return arena.base + BigInt(page) * BigInt(arena.pageSize);
}

export function runAction(action: LessonAction, arena: ArenaInfo, callbacks: LessonCallbacks): Promise<StepResult> {
  switch (action.do) {
    case 'register':
      return callbacks.onRegister(
        pageAddress(arena, action.page),
        pageAddress(arena, action.page + action.pages),
        action.cookie,
        action.filter ?? 0,
        action.slot === true,
      );
    case 'unregister':
      return callbacks.onUnregister(action.cookie);
    case 'read':
      return callbacks.onRead(action.maxEvents);
    case 'lab':
      return callbacks.onLab(action.lab);
  }
}

export interface Observed {
  arena: ArenaInfo;
  registrations: readonly QueryRegistration[];
  queue: readonly bigint[];
  counter: bigint;
  lastLastCounter: bigint;
}

const REPORT_OF = { 'queued-hint': 'HINT', 'queued-union': 'HINT union', 'queued-whole': 'whole range' } as const;

function observedReport(reg: QueryRegistration, arena: ArenaInfo): ExpectedReport | null {
  const state = registrationState(reg);
  if (state === 'clean') return null;
  const event = queuedEvent(reg);
  const page = (a: bigint) => Number((a - arena.base) / BigInt(arena.pageSize));
  return { cookie: reg.cookie, report: REPORT_OF[state] as ReportKind, pages: [page(event.hintStart), page(event.hintEnd)] };
}

/** Differences between what a step expects and what is observed; empty when it matches. */
export function checkExpectation(expectation: LessonExpectation, observed: Observed): string[] {
  const problems: string[] = [];
  if (expectation.queue) {
    const byCookie = new Map(observed.registrations.map((r) => [r.cookie, r]));
    const actual = observed.queue.map((cookie) => {
      const reg = byCookie.get(cookie);
      return reg ? observedReport(reg, observed.arena) : null;
    });
    const show = (r: ExpectedReport | null) => (r ? `0x${r.cookie.toString(16)} ${r.report} pages ${r.pages[0]}-${r.pages[1]}` : '?');
    const want = expectation.queue.map(show).join('; ') || 'empty';
    const got = actual.map(show).join('; ') || 'empty';
    if (want !== got) problems.push(`queue: expected ${want}, observed ${got}`);
  }
  for (const { cookie, generation } of expectation.generations ?? []) {
    const slot = observed.registrations.find((r) => r.cookie === cookie)?.slot;
    const name = `0x${cookie.toString(16)}`;
    if (!slot) problems.push(`generation of ${name}: expected ${generation}, observed no slot`);
    else if (slot.generation !== generation) problems.push(`generation of ${name}: expected ${generation}, observed ${slot.generation}`);
  }
  if (expectation.pending !== undefined) {
    const pending = observed.counter !== observed.lastLastCounter;
    if (pending !== expectation.pending) problems.push(`counter: expected ${expectation.pending ? 'events pending' : 'no read() needed'}, observed the opposite`);
  }
  return problems;
}

/** How far a learner is in one lesson, and what each finished step's check observed then. */
export interface LessonProgress {
  /** Steps performed successfully. */
  done: number;
  /** Per finished step: the problems its check found when it ran (empty: matched), or null for a step without a check. */
  verdicts: readonly (readonly string[] | null)[];
  /** Why the last attempted step failed (it did not advance), or null. */
  error: string | null;
}

export const LESSON_START: LessonProgress = { done: 0, verdicts: [], error: null };

/**
 * Performs the next step: on failure the progress stays where it was and
 * says why; on success the step's check runs once against what the views
 * show after it, and its verdict is kept.
 */
export async function performStep(lesson: Lesson, progress: LessonProgress, arena: ArenaInfo, session: LessonSession): Promise<LessonProgress> {
  const step = lesson.steps[progress.done];
  if (!step) return progress;
  const result = await runAction(step.action, arena, session);
  if (!result.ok) return { ...progress, error: result.error };
  // Every step waits for its outcome to arrive, so the next step's check cannot see this one's late state.
  const observed = await session.observe();
  const verdict = step.expect ? checkExpectation(step.expect, observed) : null;
  return { done: progress.done + 1, verdicts: [...progress.verdicts, verdict], error: null };
}
