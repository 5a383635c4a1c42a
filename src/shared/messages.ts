// Every message between the core (Electron main or the serve-mode server)
// and the renderer: requests, their results, and pushed batches, as the
// two ends hold them (domain values, bigints). Electron IPC and the
// serve-mode WebSocket carry their JSON form (message-codec.ts), decoded
// and checked on receipt; channel names live here and nowhere else.

import type { ArenaPage, PageState, QuerySnapshot, SessionOp, SessionOpResults } from './domain';
import type { StreamSummary } from './stream-summary';
import type { JournalRecord, OpResultFor } from './journal';

/** Electron IPC channels. */
export const IPC_REQUEST_CHANNEL = 'ummunotify:request';
export const IPC_PUSH_CHANNEL = 'ummunotify:push';
/** Pushed batches of monitor sessions (sent only to a viewer that asked with `watchProcesses`). */
export const IPC_MONITOR_PUSH_CHANNEL = 'ummunotify:monitor-push';
/** Serve mode: the WebSocket path and the query parameter carrying the token. */
export const WS_PATH = '/ws';
export const TOKEN_PARAM = 'token';

/** Largest read() buffer, in events: one page of 32-byte events. */
export const MAX_READ_EVENTS = 128;
/** Largest recording accepted through a message (characters). */
export const MAX_RECORDING_CHARS = 64 << 20;

export type Hex = string;

export const PAGE_STATES: readonly PageState[] = ['unmapped', 'none', 'zero', 'present'];

export type BackendKindName = 'model' | 'kernel' | 'replay' | 'monitor';
export const BACKEND_KINDS: readonly BackendKindName[] = ['model', 'kernel', 'replay', 'monitor'];
export type BackendChoice = 'auto' | 'model' | 'kernel';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'model', 'kernel'];

/** Which process a monitor session watches (or a replayed monitor recording watched). */
export interface ProcessIdentity {
  pid: number;
  /** The watched /dev/ummunotify descriptor in that process. */
  fd: number;
  /** Its command line, arguments separated by spaces. */
  command: string;
  /** MPI rank: the first of OMPI_COMM_WORLD_RANK, PMIX_RANK, PMI_RANK, SLURM_PROCID in its environment; null without one. */
  rank: string | null;
  host: string;
}

/** What /proc/PID/fdinfo/FD says of an ummunotify file. */
export interface DeviceFileInfo {
  registrations: number;
  queued: number;
  counter: Hex;
  features: number;
  monitors: number;
  ownerAlive: boolean;
}

/** One process found with /dev/ummunotify open (or one whose descriptors could not be read). */
export interface DiscoveredProcess {
  pid: number;
  /** null when the process's descriptors could not be read. */
  fd: number | null;
  command: string;
  rank: string | null;
  host: string;
  /** null when its fdinfo could not be read. */
  file: DeviceFileInfo | null;
  /** false with `problem` saying why (another user's process, unreadable /proc entries). */
  attachable: boolean;
  problem?: string;
  /** The live monitor session watching it, if any. */
  sessionId: number | null;
}

export interface WireBackendInfo {
  kind: BackendKindName;
  description: string;
  supportedFeatures: number;
  pageSize: number;
  kernelRelease?: string;
  /** monitor sessions and replays of their recordings: the watched process. */
  process?: ProcessIdentity;
}

export interface ReplayState {
  playing: boolean;
  speed: number;
  /** Entries applied so far, out of `total`. */
  position: number;
  total: number;
}

export interface SessionState {
  /** Changes whenever a new session (backend) replaces the previous one. */
  sessionId: number;
  backend: WireBackendInfo;
  /** Why this backend: "model: /dev/ummunotify not present (module not loaded)". */
  selection: string;
  arena: { base: Hex; pages: number; pageSize: number };
  /** Features the user asked for, and the mask granted (QUERY included); null before EXCHANGE_FEATURES. */
  features: { requested: number; granted: number } | null;
  autoRead: boolean;
  autoReadEvents: number;
  /** The generation counter as the mapped page shows it. */
  counter: Hex;
  /** user_cookie_counter of the last LAST event read; null until one was read. */
  lastLastCounter: Hex | null;
  recording: boolean;
  replay: ReplayState | null;
  dead: boolean;
  /** Per-page state and protection of the arena; absent when the backend cannot tell. */
  pages?: ArenaPage[];
}

export interface WireError {
  /** An errno name (EINVAL...), "RecordingError", "MessageError" or "Error". */
  code: string;
  message: string;
  /** RecordingError: the 1-based line of the recording and what is wrong with it. */
  line?: number;
  problem?: string;
}

/** Things a session pushes, in the order they happened. */
export type PushItem =
  | { kind: 'state'; state: SessionState }
  /** The latest QUERY snapshot (state, not history: a newer one replaces it). */
  | { kind: 'snapshot'; at: number; snapshot: QuerySnapshot }
  /** Record `n` of the session's journal (snapshots are not numbered records: see 'snapshot'). */
  | { kind: 'record'; n: number; record: JournalRecord }
  /**
   * Records summary.first..last counted instead of sent (stream-summary.ts):
   * only to a viewer that greeted with `summaries`, while the session's
   * records come faster than its `summarizeAbove`.
   */
  | { kind: 'summary'; summary: StreamSummary }
  | { kind: 'error'; at: number; op: string; error: WireError };

export interface PushBatch {
  sessionId: number;
  /** Increments by one per batch of a session; a gap means a lost batch. */
  seq: number;
  items: PushItem[];
}

export type ReplayAction = 'play' | 'pause' | 'step' | 'speed' | 'seek';

export type Request =
  /**
   * The current session's state, snapshot and history: the retained
   * records from number `from` on (default: the oldest retained), at most
   * `limit` of them (default: all); `history` requests fetch the rest.
   * `summaries`: this viewer takes dense stretches of the stream as
   * summaries (PushItem 'summary') from now on, of the monitor sessions'
   * streams too; a viewer that mirrors the journal (a remote agent's)
   * leaves it out and gets every record.
   */
  | { kind: 'hello'; from?: number; limit?: number; summaries?: boolean }
  /** Up to `limit` journal records of session `sessionId` (the current or a monitor session) from number `from` on. */
  | { kind: 'history'; sessionId: number; from: number; limit: number }
  | { kind: 'newSession'; backend: BackendChoice }
  /** One operation on the session's ummunotify file or its lab arena. */
  | { kind: 'op'; op: SessionOp }
  | { kind: 'setAutoRead'; enabled: boolean; maxEvents: number }
  /** sessionId: a monitor session's (default: the current session). */
  | { kind: 'startRecording'; sessionId?: number }
  | { kind: 'stopRecording'; sessionId?: number }
  | { kind: 'openRecording'; name: string; text: string }
  /** A monitor recording (format 2) opened beside the monitor sessions: a read-only replayed process, played to its end. */
  | { kind: 'openProcessRecording'; name: string; text: string }
  /** seek: to `position` records applied (0..total). */
  | { kind: 'replayControl'; action: ReplayAction; speed?: number; position?: number }
  /** Every process of this user with /dev/ummunotify open (section 4a of the design). */
  | { kind: 'listProcesses' }
  /** Starts a read-only monitor session on descriptor `fd` of `pid` (fd may be left out when it has one device descriptor). */
  | { kind: 'attach'; pid: number; fd?: number }
  /** Ends a monitor session and forgets it. */
  | { kind: 'detach'; sessionId: number }
  /**
   * This viewer receives monitor sessions' batches from now on; resolves
   * with each session's greeting, whose history holds at most `limit`
   * records from the oldest retained on (default: all of them); `history`
   * requests fetch the rest.
   */
  | { kind: 'watchProcesses'; limit?: number };

export type RequestKind = Request['kind'];

/** Journal records a session retains: record `first + i` is `records[i]`. */
export interface JournalHistory {
  first: number;
  records: JournalRecord[];
  /** The number the session's next record will get: records from `first + records.length` to `end` were left for later requests. */
  end: number;
}

/** Records per answer a viewer asks for while it catches up: one answer is decoded and taken in well within a long task's 50 ms. */
export const HISTORY_PAGE_RECORDS = 5000;
/** The most records one history answer may be asked for. */
export const MAX_HISTORY_PAGE_RECORDS = 100_000;

export interface HelloResult {
  state: SessionState;
  snapshot: QuerySnapshot | null;
  history: JournalHistory;
  /**
   * The answering core's clock, in a `hello` answer: epoch milliseconds of
   * its session time 0 (records' `t` plus this is wall-clock time). A core
   * joining several agents puts their records on its own clock with it.
   */
  clockOrigin?: number;
}

/** What each request resolves to ('op': see ResultFor). */
export interface ResultOf {
  hello: HelloResult;
  history: JournalHistory;
  newSession: SessionState;
  op: SessionOpResults[SessionOp['op']];
  setAutoRead: null;
  startRecording: null;
  stopRecording: { fileName: string; text: string };
  openRecording: SessionState;
  openProcessRecording: SessionState;
  replayControl: null;
  listProcesses: DiscoveredProcess[];
  attach: SessionState;
  detach: null;
  watchProcesses: HelloResult[];
}

/** What `request` resolves to: an op's own result type, else its kind's. */
export type ResultFor<R extends Request> = R extends { kind: 'op'; op: infer O extends SessionOp } ? OpResultFor<O> : ResultOf[R['kind']];

export type RequestOf<K extends RequestKind> = Extract<Request, { kind: K }>;

export type Response<R extends Request = Request> = { ok: true; result: ResultFor<R> } | { ok: false; error: WireError };

/**
 * A WebSocket frame from the client (Electron IPC carries the request bare).
 * The server answers with frames of message-codec.ts: a response to `id`, a
 * pushed batch, or a refusal of a frame too malformed to have an id.
 */
export interface ClientFrame {
  id: number;
  request: Request;
}
