// Guided lessons: pick one, start it (a new session with the features it
// needs, the map zoomed to its pages), perform its steps one at a time, and
// see whether the queue and the counter showed what each step said they
// would. A step whose action failed does not advance and says why; each
// finished step keeps the verdict of its check as observed right after it.

import { useState } from 'react';
import { FEATURE_QUERY, type ArenaInfo } from '../../shared/domain';
import { featureList } from '../draw/format';
import { LESSON_START, pageAddress, performStep, type LessonProgress, type LessonSession } from '../lessons/lesson-runner';
import type { Lesson } from '../lessons/lesson';
import { LESSONS } from '../lessons/lessons';
import { useViewStoreApi } from '../view-state/use-view-store';

export interface LessonsPanelProps {
  arena: ArenaInfo;
  features: number;
  /** Why steps cannot run (a replay); starting and "Do it" are disabled then. */
  readOnly: string | null;
  /** The session lessons drive; null where there is none (the views shown on their own). */
  session: LessonSession | null;
}

/** Progress of the chosen lesson on the session it started; null until it was started. */
type Run = (LessonProgress & { sessionId: number | null }) | null;

export function LessonsPanel(props: LessonsPanelProps) {
  const views = useViewStoreApi();
  const [lessonId, setLessonId] = useState(LESSONS[0]?.id ?? '');
  const [started, setRun] = useState<Run>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lesson = LESSONS.find((l) => l.id === lessonId) ?? LESSONS[0];
  if (!lesson) return null;
  const { session } = props;
  // A new session opened by hand (or a replay) ends the lesson: it has to be started again.
  const run = started && session && started.sessionId === session.sessionId() ? started : null;
  const missing = lesson.needs & ~props.features;
  const conflicting = (lesson.conflicts ?? 0) & props.features;
  const tooSmall = props.arena.pages < lesson.pages;
  const blocked = busy || session === null || props.readOnly !== null;

  const start = async (): Promise<void> => {
    if (!session) return;
    setBusy(true);
    const result = await session.start(lesson.needs | FEATURE_QUERY);
    setBusy(false);
    setStartError(result.ok ? null : result.error);
    if (!result.ok) return;
    views.getState().setAddressDomain({ start: result.arena.base, end: pageAddress(result.arena, Math.min(lesson.pages, result.arena.pages)) });
    setRun({ ...LESSON_START, sessionId: session.sessionId() });
  };
  const doStep = async (progress: NonNullable<Run>): Promise<void> => {
    if (!session) return;
    setBusy(true);
    setRun({ ...(await performStep(lesson, progress, props.arena, session)), sessionId: progress.sessionId });
    setBusy(false);
  };

  return (
    <section className="um-panel um-lessons" data-testid="lessons">
      <div className="um-toolbar">
        <h2>Lessons</h2>
        <select
          value={lesson.id}
          aria-label="lesson"
          data-testid="lesson-select"
          disabled={busy}
          onChange={(e) => {
            setLessonId(e.target.value);
            setRun(null);
            setStartError(null);
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
      {lesson.needs !== 0 && (
        <p className="um-muted" data-testid="lesson-features">
          Needs {featureList(lesson.needs)}: starting the lesson negotiates it on a new session.
        </p>
      )}
      {run && missing !== 0 && (
        <p className="um-error" data-testid="lesson-missing">
          This session lacks {featureList(missing)}: restart the lesson to get a session with it.
        </p>
      )}
      {conflicting !== 0 && <p className="um-muted">Written for {featureList(conflicting)} off: results will differ.</p>}
      {tooSmall && <p className="um-error">Needs an arena of {lesson.pages} pages.</p>}
      {startError !== null && (
        <p className="um-error" role="alert" data-testid="lesson-error">
          Could not start the lesson: {startError}
        </p>
      )}
      {run ? (
        <LessonSteps lesson={lesson} run={run} disabled={blocked || missing !== 0 || tooSmall} onDo={() => void doStep(run)} />
      ) : (
        <div className="um-row">
          <span data-testid="lesson-next">
            Start: a new session with {featureList(lesson.needs | FEATURE_QUERY)} negotiated, the map on pages 0-{lesson.pages - 1}.
          </span>
          <button type="button" data-testid="lesson-start" disabled={blocked} onClick={() => void start()}>
            Start lesson
          </button>
        </div>
      )}
      {run && (
        <button type="button" data-testid="lesson-restart" disabled={blocked} onClick={() => void start()}>
          Restart
        </button>
      )}
    </section>
  );
}

interface LessonStepsProps {
  lesson: Lesson;
  run: LessonProgress;
  disabled: boolean;
  onDo(): void;
}

/** The last finished step with its kept verdict, why the next one failed if it did, and the next step. */
function LessonSteps({ lesson, run, disabled, onDo }: LessonStepsProps) {
  const { done } = run;
  const previous = done > 0 ? lesson.steps[done - 1] : undefined;
  const verdict = run.verdicts[done - 1] ?? null;
  const next = lesson.steps[done];
  return (
    <>
      {previous && (
        <div data-testid="lesson-previous">
          <p>
            <b>Step {done}:</b> {previous.see}
          </p>
          {previous.expect?.returns && <p>read() returns: {previous.expect.returns}</p>}
          {verdict &&
            (verdict.length === 0 ? (
              <p className="um-verdict um-verdict-idle" data-testid="lesson-check">
                ✓ the views show this
              </p>
            ) : (
              <ul className="um-error" data-testid="lesson-check">
                {verdict.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            ))}
        </div>
      )}
      {run.error !== null && (
        <p className="um-error" role="alert" data-testid="lesson-error">
          Step {done + 1} failed: {run.error}. The lesson stays at this step.
        </p>
      )}
      {next ? (
        <div className="um-row">
          <span data-testid="lesson-next">
            <b>
              Step {done + 1}/{lesson.steps.length}:
            </b>{' '}
            {next.explain}
          </span>
          <button type="button" data-testid="lesson-do" disabled={disabled} onClick={onDo}>
            {run.error === null ? 'Do it' : 'Try again'}
          </button>
        </div>
      ) : (
        <p data-testid="lesson-finished">Lesson finished.</p>
      )}
    </>
  );
}
