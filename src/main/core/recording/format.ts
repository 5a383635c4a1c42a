// The .ummutrace recording format as the core holds it in memory: a header
// and the session journal's records (src/shared/journal.ts). The file form
// (JSON lines, u64 as hex strings) is described in docs/RECORDING-FORMAT.md
// and written and read with the shared codec (src/shared/codec/).

import type { BackendKind } from '../backend';
import type { JournalRecord } from '../../../shared/journal';
import type { ProcessIdentity } from '../../../shared/messages';

export const RECORDING_FORMAT = 'ummutrace';
/**
 * The newest version this build reads and writes. Version 2 added the
 * monitor backend: the header's `process`, and the `gap`, `readFault` and
 * `closed` notices. A recording without them is written as version 1, so
 * that older builds still open it.
 */
export const RECORDING_VERSION = 2;
export type RecordingVersion = 1 | 2;

/** The version a recording of `backend` is written with. */
export const recordingVersionFor = (backend: BackendKind): RecordingVersion => (backend === 'monitor' ? 2 : 1);

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: RecordingVersion;
  backend: BackendKind;
  /** monitor recordings (version 2): the watched process. */
  process?: ProcessIdentity;
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

