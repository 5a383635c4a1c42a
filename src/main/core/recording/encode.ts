// A recording's lines: the header here, the records with the shared
// journal codec (every u64 a hex string, src/shared/u64.ts).

import { encodeJournalRecord } from '../../../shared/codec/journal';
import type { JsonObject } from '../../../shared/codec/fields';
import { u64ToHex } from '../../../shared/u64';
import type { Recording, RecordingHeader } from './format';

export function encodeHeader(header: RecordingHeader): JsonObject {
  const json: JsonObject = {
    format: header.format,
    version: header.version,
    backend: header.backend,
    description: header.description,
  };
  if (header.kernelRelease !== undefined) json.kernelRelease = header.kernelRelease;
  if (header.process !== undefined) json.process = { ...header.process };
  json.features = header.features;
  json.pageSize = header.pageSize;
  json.arena = { base: u64ToHex(header.arena.base), pages: header.arena.pages };
  json.createdAt = header.createdAt;
  return json;
}

/** The lines of a whole recording, without newlines: for saving a parsed or edited recording again. */
export const recordingLines = (recording: Recording): string[] => [
  JSON.stringify(encodeHeader(recording.header)),
  ...recording.records.map((record) => JSON.stringify(encodeJournalRecord(record))),
];
