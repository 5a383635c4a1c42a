// Writes a .ummutrace recording: the header line at construction, then one
// line per record, to a line sink (a file stream in the app, an array in
// tests).

import { createWriteStream } from 'node:fs';
import type { QuerySnapshot, SessionOp, UmmuEvent } from '../../../shared/domain';
import { UmmuError } from '../../../shared/domain';
import type { BackendNotice } from '../backend';
import { encodeJournalRecord } from '../../../shared/codec/journal';
import { encodeHeader } from './encode';
import {
  RECORDING_FORMAT,
  opRecord,
  recordingVersionFor,
  type OpOutcome,
  type OpResultFor,
  type RecordingHeader,
  type RecordingRecord,
} from './format';

export type RecordingHeaderFields = Omit<RecordingHeader, 'format' | 'version' | 'createdAt'>;

/** Receives one line of JSON, without its newline. */
export type LineSink = (line: string) => void;

export interface RecorderOptions {
  /** Monotonic milliseconds; performance.now() by default. */
  clock?: () => number;
  /** Wall-clock start for the header; now by default. */
  createdAt?: Date;
}

export class Recorder {
  readonly header: RecordingHeader;
  private readonly clock: () => number;
  private readonly startedAt: number;
  private lastT = 0;
  private stopped = false;

  constructor(
    fields: RecordingHeaderFields,
    private readonly sink: LineSink,
    options: RecorderOptions = {},
  ) {
    this.clock = options.clock ?? (() => performance.now());
    this.startedAt = this.clock();
    this.header = {
      format: RECORDING_FORMAT,
      version: recordingVersionFor(fields.backend),
      ...fields,
      createdAt: (options.createdAt ?? new Date()).toISOString(),
    };
    this.sink(JSON.stringify(encodeHeader(this.header)));
  }

  /** Milliseconds since the recording started, as the next record would carry. */
  elapsed(): number {
    // Rounded to microseconds to keep lines short; never below the previous
    // record so that the file stays valid even if the clock steps back.
    const t = Math.round((this.clock() - this.startedAt) * 1000) / 1000;
    return Math.max(t, this.lastT);
  }

  op<O extends SessionOp>(op: O, outcome: OpOutcome<OpResultFor<O>>): void {
    this.write((t) => opRecord(t, op, outcome));
  }

  /**
   * Runs `run` (the backend call for `op`) and records its outcome. A
   * UmmuError is recorded as the op's error and rethrown; any other error is
   * a bug rather than a device outcome and propagates unrecorded.
   */
  async perform<O extends SessionOp>(op: O, run: () => Promise<OpResultFor<O>>): Promise<OpResultFor<O>> {
    let result: OpResultFor<O>;
    try {
      result = await run();
    } catch (error) {
      if (error instanceof UmmuError) this.op(op, { ok: false, error: { code: error.code, message: error.message } });
      throw error;
    }
    this.op(op, { ok: true, result });
    return result;
  }

  /** A journal record, stamped with the recording's own time. */
  record(record: RecordingRecord): void {
    this.write((t) => ({ ...record, t }));
  }

  events(events: UmmuEvent[]): void {
    this.write((t) => ({ kind: 'events', t, events }));
  }

  notice(notice: BackendNotice): void {
    this.write((t) => ({ kind: 'notice', t, notice }));
  }

  snapshot(snapshot: QuerySnapshot): void {
    this.write((t) => ({ kind: 'snapshot', t, snapshot }));
  }

  /** Records offered after stop() are not part of the recording and are dropped. */
  stop(): void {
    this.stopped = true;
  }

  private write(build: (t: number) => RecordingRecord): void {
    if (this.stopped) return;
    const t = this.elapsed();
    this.lastT = t;
    this.sink(JSON.stringify(encodeJournalRecord(build(t))));
  }
}

export interface FileRecording {
  readonly recorder: Recorder;
  readonly path: string;
  /** Stops recording, flushes every line and closes the file; rejects if any write failed. */
  stop(): Promise<void>;
}

/** Starts a recording into `path` (created or truncated); rejects if the file cannot be opened. */
export async function recordToFile(
  path: string,
  fields: RecordingHeaderFields,
  options: RecorderOptions = {},
): Promise<FileRecording> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  let writeError: Error | undefined;
  stream.on('error', (error) => {
    writeError ??= error;
  });
  await new Promise<void>((resolve, reject) => {
    stream.once('ready', () => resolve());
    stream.once('error', reject);
  });
  const recorder = new Recorder(
    fields,
    (line) => {
      if (!stream.destroyed) stream.write(`${line}\n`);
    },
    options,
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve, reject) => {
      recorder.stop();
      const settle = (): void => (writeError ? reject(writeError) : resolve());
      if (stream.closed) {
        settle();
        return;
      }
      stream.once('close', settle);
      stream.end();
    });
    return stopping;
  };
  return { recorder, path, stop };
}
