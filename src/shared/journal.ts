// What happened in a session, as one list of records: each operation with
// its outcome, events delivered without an explicit read, backend notices,
// and QUERY snapshots. The session's journal holds them, the wire carries
// them to every viewer, recordings store them (docs/RECORDING-FORMAT.md),
// and the renderer's timeline is built from them.

import type { ErrnoCode, LabResult, QuerySnapshot, SessionOp, SessionOpResults, UmmuEvent } from './domain';

/** Something the backend observed besides read() results. */
export type Notice =
  /** One notifier call the backend saw (the model: exact; recordings of older builds may carry reason -1, unknown). */
  | { kind: 'invalidation'; start: bigint; end: bigint; reason: number; hits: bigint[] }
  | { kind: 'lab'; result: LabResult }
  /** The watched memory map went away (kernel: owner exited). */
  | { kind: 'dead' }
  /**
   * Monitor: records `firstSeq`..`lastSeq` of the watched file's stream are
   * not in this journal (the monitor's ring was full and dropped them, or a
   * fresh MONITOR_QUERY snapshot taken after the loss already includes
   * them); the snapshot after this notice is the file's state again.
   */
  | { kind: 'gap'; firstSeq: bigint; lastSeq: bigint }
  /** Monitor: the owner's read() failed to copy; the `events` reports it took went back to the head of the queue. */
  | { kind: 'readFault'; events: number }
  /** Monitor: the watched file was released (CLOSE); `ownerGone`: because its memory map went away (exit, exec). */
  | { kind: 'closed'; ownerGone: boolean }
  /**
   * Replay: the replay was moved to `position` records applied and its
   * state rebuilt there without announcing the records passed; what a
   * viewer drew before this notice is not the history of that state, so
   * every viewer starts its timeline again here.
   */
  | { kind: 'replaySeek'; position: number };

export type OpName = SessionOp['op'];
export type OpResultFor<O extends SessionOp> = SessionOpResults[O['op']];

export interface RecordedError {
  code: ErrnoCode;
  message: string;
}

export type OpOutcome<R> = { ok: true; result: R } | { ok: false; error: RecordedError };

type OpRecordOf<O extends SessionOp> = O extends SessionOp ? { kind: 'op'; t: number; op: O; outcome: OpOutcome<OpResultFor<O>> } : never;

/** A user operation and what it gave. */
export type OpRecord = OpRecordOf<SessionOp>;

// TypeScript cannot narrow `outcome` from `op.op` (a nested discriminant),
// so the pairing of an op with its result type is checked in these two
// functions, and everything else goes through them.

export const opRecord = <O extends SessionOp>(t: number, op: O, outcome: OpOutcome<OpResultFor<O>>): OpRecord =>
  ({ kind: 'op', t, op, outcome }) as OpRecord;

/** The result of `record` if it is a successful `name` op. */
export function opResult<K extends OpName>(record: JournalRecord, name: K): SessionOpResults[K] | undefined {
  if (record.kind !== 'op' || record.op.op !== name || !record.outcome.ok) return undefined;
  return record.outcome.result as SessionOpResults[K];
}

/** A batch of events delivered by auto-read (not by an explicit read op). */
export interface EventsRecord {
  kind: 'events';
  t: number;
  events: UmmuEvent[];
  /** The read() buffer, in events; absent in recordings of older builds. */
  maxEvents?: number;
}

export interface NoticeRecord {
  kind: 'notice';
  t: number;
  notice: Notice;
}

export interface SnapshotRecord {
  kind: 'snapshot';
  t: number;
  snapshot: QuerySnapshot;
}

/** `t`: milliseconds, never decreasing (the session's clock; in a recording, since it started). */
export type JournalRecord = OpRecord | EventsRecord | NoticeRecord | SnapshotRecord;

// A Record keyed by ErrnoCode so that the compiler flags a code added to
// domain.ts and missing here.
const ERRNO_CODE_SET: Record<ErrnoCode, true> = {
  EINVAL: true,
  EBADF: true,
  ENODEV: true,
  EFAULT: true,
  ENOMEM: true,
  ENOSPC: true,
  EAGAIN: true,
  ENOENT: true,
  EACCES: true,
};

export const ERRNO_CODES = Object.keys(ERRNO_CODE_SET) as ErrnoCode[];

export const isErrnoCode = (value: unknown): value is ErrnoCode => typeof value === 'string' && Object.hasOwn(ERRNO_CODE_SET, value);
