// The core behind every front end (Electron IPC, serve-mode WebSocket):
// holds the current session and the monitor sessions, answers validated
// requests with responses, fans pushed batches out to every listener, and
// starts and stops recordings and replays. It knows nothing of how
// messages travel.

import { selectBackend, type BackendEnvironment } from './backends/index';
import { createReplayBackend, type ReplayBackend } from './backends/replay/index';
import { parseRecording } from './recording/reader';
import { Recorder } from './recording/recorder';
import { MonitorSessions, type MonitorSessionsOptions } from './monitor-sessions';
import { Session } from './session';
import { errorToWire } from './wire';
import { FEATURE_QUERY, UmmuError } from '../../shared/domain';
import type { BackendChoice, PushBatch, Request, RequestKind, Response, ResultFor, ResultOf, SessionState } from '../../shared/messages';

export interface SessionHostOptions extends BackendEnvironment {
  /** Backend of the first session. */
  initialBackend?: BackendChoice;
  flushIntervalMs?: number;
  /** Records a second past which viewers that take summaries get dense stretches counted (SessionOptions.summarizeAbove). */
  summarizeAbove?: number;
  monitors?: MonitorSessionsOptions;
}

interface ActiveRecording {
  recorder: Recorder;
  lines: string[];
  stopJournal: () => void;
  startedAt: Date;
}

type Handlers = { [K in RequestKind]: (request: Extract<Request, { kind: K }>) => Promise<ResultOf[K]> };

export class SessionHost {
  /** Read-only sessions on other processes' files, beside the current session. */
  readonly monitors: MonitorSessions;
  private session: Session | undefined;
  private replay: ReplayBackend | undefined;
  /** By session id: the current session's and monitor sessions'. */
  private readonly recordings = new Map<number, ActiveRecording>();
  private opening: Promise<Session> | undefined;
  /** A session being opened in place of the current one (New session, a recording opened). */
  private replacing: Promise<Session> | undefined;
  private unsubscribeSession: () => void = () => undefined;
  private readonly listeners = new Set<(batch: PushBatch) => void>();

  constructor(private readonly options: SessionHostOptions) {
    this.monitors = new MonitorSessions({ flushIntervalMs: options.flushIntervalMs, ...options.monitors });
  }

  /** Pushed batches of the monitor sessions; returns an unsubscribe function. */
  onMonitorPush(listener: (batch: PushBatch) => void): () => void {
    return this.monitors.onPush(listener);
  }

  /** Pushed batches of the current session; returns an unsubscribe function. */
  onPush(listener: (batch: PushBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current session, opened on first use; while another replaces it, the one replacing it. */
  async current(): Promise<Session> {
    // A request made after New session acts on the new session, not on the one it replaces; if opening fails, on the old one.
    while (this.replacing) await this.replacing.catch(() => undefined);
    if (this.session) return this.session;
    this.opening ??= this.openSession(this.options.initialBackend ?? 'auto').finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  async handle<R extends Request>(request: R): Promise<Response<R>> {
    try {
      const handler = this.handlers[request.kind] as (r: Request) => Promise<ResultFor<R>>;
      return { ok: true, result: await handler(request) };
    } catch (err) {
      return { ok: false, error: errorToWire(err) };
    }
  }

  async close(): Promise<void> {
    for (const id of [...this.recordings.keys()]) this.stopRecorder(id);
    await this.replaceSession(undefined);
    await this.monitors.close();
    this.listeners.clear();
  }

  private readonly handlers: Handlers = {
    hello: async ({ from, limit }) => {
      const session = await this.current();
      return { state: session.state(), snapshot: session.snapshot(), history: session.history(from, limit), clockOrigin: performance.timeOrigin };
    },
    history: async ({ sessionId, from, limit }) => (await this.sessionFor(sessionId)).history(from, limit),
    newSession: async ({ backend }) => (await this.replaceWith(() => this.openSession(backend))).state(),
    op: async ({ op }) => (await this.current()).perform(op),
    setAutoRead: async ({ enabled, maxEvents }) => {
      (await this.current()).setAutoRead(enabled, maxEvents);
      return null;
    },
    startRecording: async ({ sessionId }) => {
      await this.startRecorder(await this.sessionFor(sessionId));
      return null;
    },
    stopRecording: async ({ sessionId }) => {
      const session = await this.sessionFor(sessionId);
      const recording = this.recordings.get(session.id);
      if (!recording) throw new UmmuError('EINVAL', 'no recording in progress');
      this.stopRecorder(session.id);
      const stamp = recording.startedAt.toISOString().replace(/[:.]/g, '-');
      const pid = session.info().process?.pid;
      return { fileName: `${pid === undefined ? 'session' : `monitor-${pid}`}-${stamp}.ummutrace`, text: `${recording.lines.join('\n')}\n` };
    },
    openRecording: async ({ name, text }) => (await this.replaceWith(() => this.openReplay(name, text))).state(),
    openProcessRecording: ({ name, text }) => Promise.resolve(this.monitors.replay(name, parseRecording(text)).state()),
    replayControl: async ({ action, speed, position }) => {
      const replay = this.replay;
      if (!replay) throw new UmmuError('EINVAL', 'the current session is not a replay');
      if (action === 'play') replay.play();
      else if (action === 'pause') replay.pause();
      else if (action === 'step') replay.step();
      else if (action === 'seek' && position !== undefined) replay.seek(position);
      else if (speed !== undefined) replay.setSpeed(speed);
      return null;
    },
    listProcesses: () => this.monitors.list(),
    attach: async ({ pid, fd }) => (await this.monitors.attach(pid, fd)).state(),
    detach: async ({ sessionId }) => {
      this.stopRecorder(sessionId);
      await this.monitors.detach(sessionId);
      return null;
    },
    watchProcesses: ({ limit }) => Promise.resolve(this.monitors.hellos(limit)),
  };

  /** The current session, or the monitor session `sessionId`. */
  private async sessionFor(sessionId: number | undefined): Promise<Session> {
    if (sessionId === undefined) return this.current();
    const session = this.monitors.get(sessionId) ?? (this.session?.id === sessionId ? this.session : undefined);
    if (!session) throw new UmmuError('EINVAL', `no session ${sessionId}`);
    return session;
  }

  private refuseWhileRecording(): void {
    if (this.session && this.recordings.has(this.session.id)) throw new UmmuError('EINVAL', 'a recording is in progress: stop and save it first');
  }

  private replaceWith(open: () => Promise<Session>): Promise<Session> {
    const opening = open().finally(() => {
      if (this.replacing === opening) this.replacing = undefined;
    });
    this.replacing = opening;
    return opening;
  }

  private async openSession(choice: BackendChoice): Promise<Session> {
    this.refuseWhileRecording();
    const { backend, reason } = await selectBackend(choice, this.options);
    const session = new Session(backend, { selection: reason, flushIntervalMs: this.options.flushIntervalMs ?? 16, summarizeAbove: this.options.summarizeAbove });
    await this.replaceSession(session);
    return session;
  }

  private async openReplay(name: string, text: string): Promise<Session> {
    this.refuseWhileRecording();
    // A bad file throws RecordingError (line, problem) before anything changes.
    const recording = parseRecording(text);
    const replay = createReplayBackend(recording, { source: name });
    const granted = recording.header.features;
    const session = new Session(replay, {
      selection: `replay: opened ${name}`,
      flushIntervalMs: this.options.flushIntervalMs ?? 16,
      summarizeAbove: this.options.summarizeAbove,
      features: { requested: granted & ~FEATURE_QUERY, granted: granted | FEATURE_QUERY },
      replayState: () => {
        const p = replay.position();
        return { playing: p.playing, speed: p.speed, position: p.index, total: p.total };
      },
    });
    replay.onRecord((record) => session.observed(record));
    replay.onPlayback(() => session.refresh());
    await this.replaceSession(session, replay);
    // It opens showing its first event, not an empty view at 0/N: the
    // negotiation before it applied silently, the snapshots after it (what
    // the views show of it) applied too.
    const { records } = recording;
    const first = records.findIndex((r) => r.kind !== 'snapshot' && !(r.kind === 'op' && (r.op.op === 'negotiateFeatures' || r.op.op === 'query')));
    if (first >= 0) {
      replay.seek(first);
      do replay.step();
      while (records[replay.position().index]?.kind === 'snapshot');
    }
    return session;
  }

  private async replaceSession(next: Session | undefined, replay?: ReplayBackend): Promise<void> {
    const previous = this.session;
    if (previous) this.stopRecorder(previous.id);
    this.unsubscribeSession();
    this.session = next;
    this.replay = replay;
    this.unsubscribeSession = next
      ? next.subscribe((batch) => {
          for (const listener of this.listeners) listener(batch);
        })
      : () => undefined;
    await previous?.close();
  }

  private async startRecorder(session: Session): Promise<void> {
    if (this.recordings.has(session.id)) throw new UmmuError('EINVAL', 'a recording is already in progress');
    if (session.info().kind === 'replay') throw new UmmuError('EINVAL', 'a replay cannot be recorded again');
    const state: SessionState = session.state();
    const lines: string[] = [];
    const startedAt = new Date();
    const recorder = new Recorder(
      session.recordingHeader(),
      (line) => lines.push(line),
      { createdAt: startedAt },
    );
    const stopJournal = session.onJournal((record) => recorder.record(record));
    this.recordings.set(session.id, { recorder, lines, stopJournal, startedAt });
    session.setRecording(true);
    // The recording opens with the registrations and queue as they are now.
    if (state.features && (state.features.granted & FEATURE_QUERY) !== 0) await session.query();
  }

  private stopRecorder(sessionId: number): void {
    const recording = this.recordings.get(sessionId);
    if (!recording) return;
    this.recordings.delete(sessionId);
    recording.stopJournal();
    recording.recorder.stop();
    (this.session?.id === sessionId ? this.session : this.monitors.get(sessionId))?.setRecording(false);
  }
}
