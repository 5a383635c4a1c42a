// One session: one backend (one open ummunotify file plus its lab arena),
// the operations a user performs on it, and its journal of what happened,
// streamed in batches to every viewer. Every backend call goes through
// one queue, so operations, auto-reads and snapshots reach the backend
// and the journal in a single order; the views show only what the
// journal holds.
//
// QUERY is how the views draw the invalid queue without draining it, so
// the session always asks for FEATURE_QUERY along with what the user
// wants; QUERY changes no event behaviour. A session whose user asked for
// nothing (or never exchanged features) is a 2010-mode session.

import type { Backend, BackendInfo, BackendNotice } from './backend';
import { Batcher } from './batcher';
import { StreamSummarizer, SUMMARIZE_ABOVE } from './stream-summarizer';
import { Journal } from './journal';
import type { RecordingHeaderFields } from './recording/recorder';
import { recordingHeaderFor, runSessionOp } from './recording/session-op';
import { backendInfoToWire, errorToWire } from './wire';
import {
  EVENT_TYPE_LAST,
  FEATURE_QUERY,
  UmmuError,
  type LabOp,
  type LabResult,
  type QuerySnapshot,
  type SessionOp,
  type UmmuEvent,
} from '../../shared/domain';
import { opRecord, type JournalRecord, type OpResultFor } from '../../shared/journal';
import { MAX_READ_EVENTS, type JournalHistory, type PushBatch, type PushItem, type ReplayState, type SessionState } from '../../shared/messages';
import { u64ToHex } from '../../shared/u64';

export interface SessionOptions {
  /** Why this backend was chosen, for the UI. */
  selection: string;
  flushIntervalMs?: number;
  maxBatchItems?: number;
  /** Milliseconds, monotonic; journal and push timestamps. */
  now?: () => number;
  /** The replay position, when the backend is a replay. */
  replayState?: () => ReplayState;
  /** Features already in force (a replay: the recorded session negotiated them). */
  features?: { requested: number; granted: number };
  /** Journal records kept for viewers that connect later. */
  retainedRecords?: number;
  /** Records a second past which viewers that take summaries get dense stretches counted (SUMMARIZE_ABOVE; 0: never). */
  summarizeAbove?: number;
}

/** Events read per auto-read call until the user picks a size. */
export const DEFAULT_AUTO_READ_EVENTS = 16;
/** A drain stops after this many reads even if the backend stays readable. */
const MAX_DRAIN_READS = 4096;

let nextSessionId = 1;

export class Session {
  readonly id = nextSessionId++;
  private features: { requested: number; granted: number } | null = null;
  private autoRead = false;
  private autoReadEvents = DEFAULT_AUTO_READ_EVENTS;
  private lastLastCounter: bigint | null = null;
  private dead = false;
  private recording = false;
  private lastSnapshot: QuerySnapshot | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private snapshotScheduled = false;
  private drainScheduled = false;
  private seq = 0;
  private closed = false;
  private readonly subscribers = new Set<(batch: PushBatch) => void>();
  private readonly journal: Journal;
  private readonly batcher: Batcher<PushItem>;
  private readonly summarizer: StreamSummarizer;
  private readonly now: () => number;
  private readonly unsubscribeBackend: () => void;

  constructor(
    private readonly backend: Backend,
    private readonly options: SessionOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.summarizer = new StreamSummarizer(options.summarizeAbove ?? SUMMARIZE_ABOVE);
    this.batcher = new Batcher<PushItem>(
      {
        intervalMs: options.flushIntervalMs ?? 16,
        maxItems: options.maxBatchItems ?? 256,
      },
      (items) => {
        const batch: PushBatch = { sessionId: this.id, seq: this.seq++, items };
        this.summarizer.observe(batch, performance.now());
        for (const subscriber of this.subscribers) subscriber(batch);
      },
    );
    this.journal = new Journal(options.retainedRecords);
    this.journal.subscribe((record, n) => {
      if (n !== null) this.batcher.push({ kind: 'record', n, record });
      else if (record.kind === 'snapshot') this.batcher.setLatest('snapshot', () => ({ kind: 'snapshot', at: record.t, snapshot: record.snapshot }));
    });
    const unsubscribeNotices = backend.onNotice((notice) => this.onNotice(notice));
    const unsubscribeReadable = backend.onReadable?.(() => this.onReadable());
    this.unsubscribeBackend = () => {
      unsubscribeNotices();
      unsubscribeReadable?.();
    };
    if (options.features) {
      this.features = { ...options.features };
      this.afterChange();
    }
    // Viewers other than the one that asked for this session learn of it here.
    this.pushState();
  }

  info(): BackendInfo {
    return this.backend.info();
  }

  state(): SessionState {
    const arena = this.backend.arena();
    const pages = this.backend.arenaPages?.();
    const state: SessionState = {
      sessionId: this.id,
      backend: backendInfoToWire(this.backend.info()),
      selection: this.options.selection,
      arena: { base: u64ToHex(arena.base), pages: arena.pages, pageSize: arena.pageSize },
      features: this.features && { ...this.features },
      autoRead: this.autoRead,
      autoReadEvents: this.autoReadEvents,
      counter: u64ToHex(this.backend.counter()),
      lastLastCounter: this.lastLastCounter === null ? null : u64ToHex(this.lastLastCounter),
      recording: this.recording,
      replay: this.options.replayState?.() ?? null,
      dead: this.dead,
    };
    return pages === undefined ? state : { ...state, pages };
  }

  /** Header fields for a recording of this session from now on. */
  recordingHeader(): RecordingHeaderFields {
    return recordingHeaderFor(this.backend, this.features?.granted ?? 0);
  }

  /** The last QUERY snapshot taken, or null before QUERY was negotiated. */
  snapshot(): QuerySnapshot | null {
    return this.lastSnapshot;
  }

  /** The journal records retained, for a viewer that connects now. */
  history(from?: number, limit?: number): JournalHistory {
    // What is pending goes out first: every batch after the answer then starts at or after its end (a summary never straddles it).
    this.batcher.flush();
    return this.journal.history(from, limit);
  }

  /** Pushed batches: state changes, journal records, snapshots; returns an unsubscribe function. */
  subscribe(listener: (batch: PushBatch) => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  /** Every operation with its outcome, auto-read events, notices and snapshots, in backend order (what a recorder writes). */
  onJournal(listener: (record: JournalRecord) => void): () => void {
    return this.journal.subscribe((record) => listener(record));
  }

  setRecording(active: boolean): void {
    this.recording = active;
    this.pushState();
  }

  /** Delivers pending pushes now instead of at the next interval. */
  flush(): void {
    this.batcher.flush();
  }

  /** Any user operation: what a request carries and a recording replays. */
  perform<O extends SessionOp>(op: O): Promise<OpResultFor<O>> {
    const request: SessionOp = op;
    switch (request.op) {
      case 'negotiateFeatures':
        return this.negotiateFeatures(request.requested) as Promise<OpResultFor<O>>;
      case 'query':
        return this.query() as Promise<OpResultFor<O>>;
      case 'read':
        return this.read(request.maxEvents) as Promise<OpResultFor<O>>;
      default:
        return this.operate(op, () => runSessionOp(this.backend, op));
    }
  }

  negotiateFeatures(requested: number): Promise<number> {
    return this.serialize(async () => {
      if (this.features) {
        // The file allows one negotiation, before anything else; the kernel decides the errno.
        throw new UmmuError('EINVAL', 'NEGOTIATE_FEATURES is only allowed once, as the first operation on the file');
      }
      return this.negotiate(requested >>> 0);
    });
  }

  register(start: bigint, end: bigint, cookie: bigint, flags = 0): Promise<void> {
    return this.perform({ op: 'register', start, end, cookie, flags }).then(() => undefined);
  }

  unregister(cookie: bigint): Promise<void> {
    return this.perform({ op: 'unregister', cookie }).then(() => undefined);
  }

  read(maxEvents: number): Promise<UmmuEvent[]> {
    if (maxEvents > MAX_READ_EVENTS) {
      return Promise.reject(new UmmuError('EINVAL', `read buffer of ${maxEvents} events: the app reads at most one page (${MAX_READ_EVENTS} events)`));
    }
    return this.operate({ op: 'read', maxEvents }, async () => {
      const events = await this.backend.read(maxEvents);
      this.noteEvents(events);
      return events;
    });
  }

  lab(lab: LabOp): Promise<LabResult> {
    return this.perform({ op: 'lab', lab });
  }

  query(): Promise<QuerySnapshot> {
    return this.serialize(async () => {
      await this.ensureNegotiated();
      return this.takeSnapshot();
    });
  }

  /**
   * Auto-read: drain the queue whenever the backend's file becomes readable
   * (backends that say so), else whenever the backend reports an invalidation.
   */
  setAutoRead(enabled: boolean, maxEvents = this.autoReadEvents): void {
    this.autoRead = enabled;
    this.autoReadEvents = maxEvents;
    this.pushState();
    if (enabled) this.scheduleDrain();
  }

  /**
   * A record the backend observed rather than performed (a replayed record,
   * a monitored process's op or read): it joins this session's journal
   * (notices arrive through the backend; snapshots are what query() answers now).
   */
  observed(record: JournalRecord): void {
    if (record.kind === 'op' || record.kind === 'events') {
      const events = record.kind === 'events' ? record.events : record.op.op === 'read' && record.outcome.ok ? (record.outcome.result as UmmuEvent[]) : [];
      this.noteEvents(events);
      this.journal.append({ ...record, t: this.now() });
    }
    this.afterChange();
  }

  /** Something outside the session's operations changed what the views show (replay position). */
  refresh(): void {
    this.afterChange();
  }

  /** Resolves when every queued backend call has finished. */
  async idle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen.catch(() => undefined);
    } while (seen !== this.queue);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeBackend();
    await this.idle();
    this.batcher.dispose();
    this.subscribers.clear();
    this.journal.clearListeners();
    await this.backend.close();
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs one user operation: negotiates first if needed, journals its outcome, refreshes the views. */
  private operate<O extends SessionOp>(op: O, call: () => Promise<OpResultFor<O>>): Promise<OpResultFor<O>> {
    return this.serialize(async () => {
      await this.ensureNegotiated();
      const t = this.now();
      try {
        const result = await call();
        this.journalOp(op, t, { ok: true, result });
        return result;
      } catch (err) {
        this.journalOp(op, t, { ok: false, error: err });
        throw err;
      } finally {
        this.afterChange();
      }
    });
  }

  private journalOp<O extends SessionOp>(op: O, t: number, outcome: { ok: true; result: OpResultFor<O> } | { ok: false; error: unknown }): void {
    if (outcome.ok) {
      this.journal.append(opRecord(t, op, outcome));
      return;
    }
    // Only device outcomes are part of the session's history; any other error is a fault of ours and goes to the UI alone.
    const { error } = outcome;
    if (error instanceof UmmuError) this.journal.append(opRecord(t, op, { ok: false, error: { code: error.code, message: error.message } }));
  }

  private async ensureNegotiated(): Promise<void> {
    if (!this.features) await this.negotiate(0);
  }

  private async negotiate(requested: number): Promise<number> {
    const op = { op: 'negotiateFeatures' as const, requested: requested | FEATURE_QUERY };
    const t = this.now();
    try {
      const granted = await this.backend.negotiateFeatures(op.requested);
      this.features = { requested, granted };
      this.journalOp(op, t, { ok: true, result: granted });
      return granted;
    } catch (err) {
      this.journalOp(op, t, { ok: false, error: err });
      throw err;
    } finally {
      this.afterChange();
    }
  }

  private async takeSnapshot(): Promise<QuerySnapshot> {
    const snapshot = await this.backend.query();
    this.lastSnapshot = snapshot;
    this.journal.append({ kind: 'snapshot', t: this.now(), snapshot });
    return snapshot;
  }

  private noteEvents(events: readonly UmmuEvent[]): void {
    for (const event of events) {
      if (event.type === EVENT_TYPE_LAST) this.lastLastCounter = event.cookieOrCounter;
    }
  }

  private onNotice(notice: BackendNotice): void {
    if (this.closed) return;
    this.journal.append({ kind: 'notice', t: this.now(), notice });
    if (notice.kind === 'dead' || notice.kind === 'closed') this.dead = true;
    if (notice.kind === 'invalidation' && this.autoRead && !this.backend.onReadable) this.scheduleDrain();
    this.afterChange();
  }

  private onReadable(): void {
    if (this.autoRead && !this.closed) this.scheduleDrain();
  }

  private afterChange(): void {
    this.pushState();
    if (this.features && (this.features.granted & FEATURE_QUERY) !== 0) this.scheduleSnapshot();
  }

  private pushState(): void {
    if (!this.closed) this.batcher.setLatest('state', () => ({ kind: 'state', state: this.state() }));
  }

  private scheduleSnapshot(): void {
    if (this.snapshotScheduled || this.closed) return;
    this.snapshotScheduled = true;
    void this.serialize(async () => {
      this.snapshotScheduled = false;
      await this.takeSnapshot();
    }).catch((err: unknown) => this.pushError('query', err));
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.closed) return;
    this.drainScheduled = true;
    void this.serialize(async () => {
      this.drainScheduled = false;
      await this.ensureNegotiated();
      for (let reads = 0; reads < MAX_DRAIN_READS; reads++) {
        const events = await this.backend.read(this.autoReadEvents);
        if (events.length === 0) break;
        this.noteEvents(events);
        this.journal.append({ kind: 'events', t: this.now(), events, maxEvents: this.autoReadEvents });
      }
      this.afterChange();
    }).catch((err: unknown) => this.pushError('autoRead', err));
  }

  private pushError(op: string, err: unknown): void {
    if (!this.closed) this.batcher.push({ kind: 'error', at: this.now(), op, error: errorToWire(err) });
  }
}
