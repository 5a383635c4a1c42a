// The .ummutrace recording format as the core holds it in memory: a header
// and the session journal's records (src/shared/journal.ts). The file form
// (JSON lines, u64 as hex strings) is described in docs/RECORDING-FORMAT.md
// and written and read with the shared codec (src/shared/codec/).

import type { BackendKind } from '../backend';
import type { JournalRecord } from '../../../shared/journal';

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

export type {
  EventsRecord,
  NoticeRecord,
  OpName,
  OpOutcome,
  OpRecord,
  OpResultFor,
  RecordedError,
  SnapshotRecord,
} from '../../../shared/journal';
export { isErrnoCode, opRecord, opResult } from '../../../shared/journal';

/** A recording holds the journal's records, `t` counted from the start of the recording. */
export type RecordingRecord = JournalRecord;

export interface Recording {
  header: RecordingHeader;
  records: RecordingRecord[];
}

