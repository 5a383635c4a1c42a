// A lesson is data: steps that each perform one action on the session
// (through the workbench callbacks, so any backend runs it), say what it
// demonstrates, and state what the learner should see afterwards, in a
// form the panel can check against the live queue and counter.

import type { LabOp } from '../../shared/domain';

/** Pages are relative to the arena base, as in lab ops. */
export type LessonAction =
  /** slot: REGISTER_SLOT (the lesson needs FEATURE_GENERATIONS). */
  | { do: 'register'; page: number; pages: number; cookie: bigint; filter?: number; slot?: boolean }
  | { do: 'unregister'; cookie: bigint }
  | { do: 'read'; maxEvents: number }
  | { do: 'lab'; lab: LabOp };

export type ReportKind = 'HINT' | 'HINT union' | 'whole range';

export interface ExpectedReport {
  cookie: bigint;
  report: ReportKind;
  /** The reported pages [from, to), relative to the arena base. */
  pages: [number, number];
}

export interface LessonExpectation {
  /** The whole invalid queue, in order, after the step. */
  queue?: ExpectedReport[];
  /** The counter verdict after the step: does the fast path say a read is needed? */
  pending?: boolean;
  /** What the read returns, in words (read steps). */
  returns?: string;
  /** The generation word of each listed registration (made with a slot) after the step. */
  generations?: { cookie: bigint; generation: bigint }[];
}

export interface LessonStep {
  action: LessonAction;
  explain: string;
  see: string;
  expect?: LessonExpectation;
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  /** Feature bits the lesson needs negotiated (0: the 2010 ABI suffices). */
  needs: number;
  /** Feature bits that change what it shows (it is written for them being off). */
  conflicts?: number;
  /** Arena pages the lesson touches (it needs at least this many). */
  pages: number;
  steps: LessonStep[];
}
