// Runs lesson actions through the workbench callbacks, and checks a step's
// expectation against what the views show.

import type { ArenaInfo, LabOp, QueryRegistration } from '../../shared/domain';
import { queuedEvent, registrationState } from '../draw/registration-state';
import type { ExpectedReport, LessonAction, LessonExpectation, ReportKind } from './lesson';

export interface LessonCallbacks {
  onRegister(start: bigint, end: bigint, cookie: bigint, flags: number): void;
  onUnregister(cookie: bigint): void;
  onRead(maxEvents: number): void;
  onLab(op: LabOp): void;
}

export function pageAddress(arena: ArenaInfo, page: number): bigint {
  return arena.base + BigInt(page) * BigInt(arena.pageSize);
}

export function runAction(action: LessonAction, arena: ArenaInfo, callbacks: LessonCallbacks): void {
  switch (action.do) {
    case 'register':
      callbacks.onRegister(pageAddress(arena, action.page), pageAddress(arena, action.page + action.pages), action.cookie, action.filter ?? 0);
      return;
    case 'unregister':
      callbacks.onUnregister(action.cookie);
      return;
    case 'read':
      callbacks.onRead(action.maxEvents);
      return;
    case 'lab':
      callbacks.onLab(action.lab);
      return;
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
  if (expectation.pending !== undefined) {
    const pending = observed.counter !== observed.lastLastCounter;
    if (pending !== expectation.pending) problems.push(`counter: expected ${expectation.pending ? 'events pending' : 'no read() needed'}, observed the opposite`);
  }
  return problems;
}
