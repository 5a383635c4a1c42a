// The .ummutrace recording format as the core holds it in memory. The wire
// form (JSON lines, u64 as hex strings) is described in
// docs/RECORDING-FORMAT.md and produced by encode.ts / checked by decode.ts.

import type { BackendKind, BackendNotice } from '../backend';
import type { ErrnoCode, QuerySnapshot, SessionOp, SessionOpResults as OpResults, UmmuEvent } from '../../../shared/domain';

export const RECORDING_FORMAT = 'ummutrace';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  backend: BackendKind;
  description: string;
  kernelRelease?: string;
  /** The feature mask granted when the recording started. */
  features: number;
  pageSize: number;
  arena: { base: bigint; pages: number };
  /** ISO 8601 wall-clock time of the start of the recording. */
  createdAt: string;
}

export type { OpResults };

export type OpName = SessionOp['op'];
export type OpResultFor<O extends SessionOp> = OpResults[O['op']];

export interface RecordedError {
  code: ErrnoCode;
  message: string;
}

export type OpOutcome<R> = { ok: true; result: R } | { ok: false; error: RecordedError };

type OpRecordOf<O extends SessionOp> = O extends SessionOp
  ? { kind: 'op'; t: number; op: O; outcome: OpOutcome<OpResultFor<O>> }
  : never;

/** A user operation and what it gave. */
export type OpRecord = OpRecordOf<SessionOp>;

// TypeScript cannot narrow `outcome` from `op.op` (a nested discriminant),
// so the pairing of an op with its result type is checked in these two
// functions, and everything else goes through them.

export const opRecord = <O extends SessionOp>(t: number, op: O, outcome: OpOutcome<OpResultFor<O>>): OpRecord =>
  ({ kind: 'op', t, op, outcome }) as OpRecord;

/** The result of `record` if it is a successful `name` op. */
export function opResult<K extends OpName>(record: RecordingRecord, name: K): OpResults[K] | undefined {
  if (record.kind !== 'op' || record.op.op !== name || !record.outcome.ok) return undefined;
  return record.outcome.result as OpResults[K];
}

/** A batch of events delivered by auto-read / watch (not by an explicit read op). */
export interface EventsRecord {
  kind: 'events';
  t: number;
  events: UmmuEvent[];
}

export interface NoticeRecord {
  kind: 'notice';
  t: number;
  notice: BackendNotice;
}

export interface SnapshotRecord {
  kind: 'snapshot';
  t: number;
  snapshot: QuerySnapshot;
}

/** `t`: milliseconds since the recording started, never decreasing. */
export type RecordingRecord = OpRecord | EventsRecord | NoticeRecord | SnapshotRecord;

export interface Recording {
  header: RecordingHeader;
  records: RecordingRecord[];
}

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

export const isErrnoCode = (value: unknown): value is ErrnoCode =>
  typeof value === 'string' && Object.hasOwn(ERRNO_CODE_SET, value);
