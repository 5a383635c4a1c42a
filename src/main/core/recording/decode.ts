// A recording's lines back to domain values: the header here, the records
// with the shared journal codec. A problem throws CodecError naming the
// field; reader.ts adds the line number.

import { CodecError, Fields, string } from '../../../shared/codec/fields';
import { decodeJournalRecord } from '../../../shared/codec/journal';
import { decodeProcessIdentity } from '../../../shared/message-codec';
import type { BackendKind } from '../backend';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader, type RecordingRecord } from './format';

const BACKEND_KINDS: readonly BackendKind[] = ['model', 'kernel', 'replay', 'monitor'];

/** Thrown for a first line that is a ummutrace header of a later format version. */
export class NewerVersion extends Error {
  constructor(readonly version: number) {
    super(`written by a newer ummunotify (format version ${version}); this build reads version ${RECORDING_VERSION}`);
    this.name = 'NewerVersion';
  }
}

/** Thrown for a first line that is not a ummutrace header at all. */
export class ForeignFile extends Error {
  constructor() {
    super('not a ummutrace recording (the first line is not a ummutrace header)');
    this.name = 'ForeignFile';
  }
}

/** One record line (already JSON-parsed); its fields are named bare ("events[2].type"). */
export function decodeRecord(value: unknown): RecordingRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CodecError('record', 'expected an object');
  return decodeJournalRecord(value, '');
}

/** The first line (already JSON-parsed). */
export function decodeHeader(value: unknown): RecordingHeader {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ForeignFile();
  if ((value as { format?: unknown }).format !== RECORDING_FORMAT) throw new ForeignFile();
  const f = Fields.of(value, '');
  const version = f.count('version');
  if (version > RECORDING_VERSION) throw new NewerVersion(version);
  if (version !== 1 && version !== 2) throw new CodecError('version', `expected 1 or ${RECORDING_VERSION}`);
  const arena = f.object('arena');
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version,
    backend: f.oneOf('backend', BACKEND_KINDS),
    description: f.string('description'),
    features: f.u32('features'),
    pageSize: f.count('pageSize'),
    arena: { base: arena.u64('base'), pages: arena.count('pages') },
    createdAt: f.string('createdAt'),
  };
  const kernelRelease = f.optional('kernelRelease', string);
  if (kernelRelease !== undefined) header.kernelRelease = kernelRelease;
  const process = version >= 2 ? f.optional('process', decodeProcessIdentity) : undefined;
  if (process !== undefined) header.process = process;
  if (Number.isNaN(Date.parse(header.createdAt))) throw new CodecError('createdAt', 'expected an ISO 8601 date and time');
  return header;
}
