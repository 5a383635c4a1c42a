// Reads a .ummutrace recording, all or nothing: either every line is valid
// and a complete Recording comes back, or a RecordingError names the first
// bad line and what is wrong with it.

import { createReadStream } from 'node:fs';
import { CodecError } from '../../../shared/codec/fields';
import { ForeignFile, NewerVersion, decodeHeader, decodeRecord } from './decode';
import { RECORDING_FORMAT, type Recording, type RecordingHeader, type RecordingRecord } from './format';

export class RecordingError extends Error {
  constructor(
    /** 1-based line number of the problem. */
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'RecordingError';
  }
}

const TRUNCATED = 'truncated: the last line is incomplete (the recording was cut off while being written)';

function problemOf(error: unknown): string {
  if (error instanceof CodecError || error instanceof ForeignFile || error instanceof NewerVersion) {
    return error.message;
  }
  return `unreadable: ${error instanceof Error ? error.message : String(error)}`;
}

const looksLikeOurHeader = (line: string): boolean => line.startsWith('{') && line.includes(`"${RECORDING_FORMAT}"`);

/**
 * Builds a Recording one line at a time, so that a file can be read in
 * chunks without holding its text. `terminated` says whether the line ended
 * with a newline: only the last line of a file may lack one.
 */
export class RecordingLineReader {
  private header: RecordingHeader | undefined;
  private readonly records: RecordingRecord[] = [];
  private lineNumber = 0;
  private lastT = 0;

  addLine(rawLine: string, terminated: boolean): void {
    this.lineNumber += 1;
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    // A byte order mark, as some Windows editors add when saving.
    if (this.lineNumber === 1 && line.startsWith('\uFEFF')) line = line.slice(1);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw this.unparseable(line, terminated, error);
    }
    try {
      if (this.header === undefined) {
        this.header = decodeHeader(value);
      } else {
        const record = decodeRecord(value);
        if (record.t < this.lastT) {
          throw new CodecError('t', `time goes backwards (${record.t} ms after ${this.lastT} ms)`);
        }
        this.lastT = record.t;
        this.records.push(record);
      }
    } catch (error) {
      throw new RecordingError(this.lineNumber, problemOf(error));
    }
  }

  finish(): Recording {
    if (this.header === undefined) throw new RecordingError(1, 'empty file: not a ummutrace recording');
    return { header: this.header, records: this.records };
  }

  private unparseable(line: string, terminated: boolean, error: unknown): RecordingError {
    const isFirst = this.header === undefined;
    if (!terminated && line !== '' && (!isFirst || looksLikeOurHeader(line))) {
      return new RecordingError(this.lineNumber, TRUNCATED);
    }
    if (isFirst) return new RecordingError(this.lineNumber, new ForeignFile().message);
    if (line.trim() === '') return new RecordingError(this.lineNumber, 'empty line');
    const reason = error instanceof Error ? error.message : String(error);
    return new RecordingError(this.lineNumber, `corrupt line: not valid JSON (${reason})`);
  }
}

export function parseRecording(text: string): Recording {
  const reader = new RecordingLineReader();
  const lines = text.split('\n');
  const last = lines.length - 1;
  lines.forEach((line, i) => {
    if (i === last && line === '') return;
    reader.addLine(line, i < last);
  });
  return reader.finish();
}

/** Reads a recording file in chunks; rejects with RecordingError like parseRecording. */
export async function readRecordingFile(path: string): Promise<Recording> {
  const reader = new RecordingLineReader();
  let pending = '';
  const stream = createReadStream(path, { encoding: 'utf8' });
  for await (const chunk of stream) {
    const lines = (pending + String(chunk)).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) reader.addLine(line, true);
  }
  if (pending !== '') reader.addLine(pending, false);
  return reader.finish();
}
