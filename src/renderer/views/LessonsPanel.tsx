// Guided lessons: pick one, perform its steps one at a time through the
// workbench callbacks, and see whether the queue and the counter now show
// what the step says they should.

import { useState } from 'react';
import type { ArenaInfo, LabOp, QueryRegistration } from '../../shared/domain';
import { checkExpectation, runAction } from '../lessons/lesson-runner';
import { LESSONS } from '../lessons/lessons';

export interface LessonsPanelProps {
  arena: ArenaInfo;
  features: number;
  registrations: readonly QueryRegistration[];
  queue: readonly bigint[];
  counter: bigint;
  lastLastCounter: bigint;
  /** Why steps cannot run (a replay); "Do it" is disabled then. */
  readOnly: string | null;
  onRegister(start: bigint, end: bigint, cookie: bigint, flags: number): void;
  onUnregister(cookie: bigint): void;
  onRead(maxEvents: number): void;
  onLab(op: LabOp): void;
}

export function LessonsPanel(props: LessonsPanelProps) {
  const [lessonId, setLessonId] = useState(LESSONS[0]?.id ?? '');
  const [done, setDone] = useState(0);
  const lesson = LESSONS.find((l) => l.id === lessonId) ?? LESSONS[0];
  if (!lesson) return null;
  const missing = lesson.needs & ~props.features;
  const conflicting = (lesson.conflicts ?? 0) & props.features;
  const tooSmall = props.arena.pages < lesson.pages;
  const previous = done > 0 ? lesson.steps[done - 1] : undefined;
  const next = lesson.steps[done];
  const problems = previous?.expect ? checkExpectation(previous.expect, props) : [];

  return (
    <section className="um-panel um-lessons" data-testid="lessons">
      <div className="um-toolbar">
        <h2>Lessons</h2>
        <select
          value={lesson.id}
          aria-label="lesson"
          data-testid="lesson-select"
          onChange={(e) => {
            setLessonId(e.target.value);
            setDone(0);
          }}
        >
          {LESSONS.map((l) => (
            <option key={l.id} value={l.id}>
              {l.title}
            </option>
          ))}
        </select>
      </div>
      <p>{lesson.summary}</p>
      {missing !== 0 && (
        <p className="um-error" data-testid="lesson-missing">
          Needs features 0x{missing.toString(16)}, not negotiated on this session.
        </p>
      )}
      {conflicting !== 0 && <p className="um-muted">Written for features 0x{conflicting.toString(16)} off: results will differ.</p>}
      {tooSmall && <p className="um-error">Needs an arena of {lesson.pages} pages.</p>}
      {previous && (
        <div data-testid="lesson-previous">
          <p>
            <b>Step {done}:</b> {previous.see}
          </p>
          {previous.expect?.returns && <p>read() returns: {previous.expect.returns}</p>}
          {previous.expect &&
            (problems.length === 0 ? (
              <p className="um-verdict um-verdict-idle" data-testid="lesson-check">
                ✓ the views show this
              </p>
            ) : (
              <ul className="um-error" data-testid="lesson-check">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ))}
        </div>
      )}
      {next ? (
        <div className="um-row">
          <span data-testid="lesson-next">
            <b>
              Step {done + 1}/{lesson.steps.length}:
            </b>{' '}
            {next.explain}
          </span>
          <button
            type="button"
            data-testid="lesson-do"
            disabled={missing !== 0 || tooSmall || props.readOnly !== null}
            onClick={() => {
              runAction(next.action, props.arena, props);
              setDone(done + 1);
            }}
          >
            Do it
          </button>
        </div>
      ) : (
        <p data-testid="lesson-finished">Lesson finished.</p>
      )}
      <button type="button" data-testid="lesson-restart" onClick={() => setDone(0)}>
        Restart
      </button>
    </section>
  );
}
