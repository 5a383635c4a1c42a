// The replay backend: plays a .ummutrace recording back through the Backend
// interface. It is read-only: the recorded session already happened, so
// every call that would change a file fails with EINVAL; query() and
// counter() answer for the current position (see state.ts).

import { UmmuError, type ArenaInfo, type LabResult, type QuerySnapshot, type UmmuEvent } from '../../../../shared/domain';
import type { Backend, BackendInfo, BackendNotice } from '../../backend';
import type { Recording, RecordingHeader, RecordingRecord } from '../../recording/format';
import { ReplayPlayer, systemTimers, type ReplayPosition, type ReplayTimers } from './player';
import { ReplayState } from './state';
import { describeProcess } from '../monitor/describe';
import { subscribe } from '../listeners';

export { MAX_SPEED, MIN_SPEED } from './player';
export type { ReplayPosition, ReplayTimers } from './player';

export interface ReplayOptions {
  /** Where the recording came from (a file name), for the description. */
  source?: string;
  timers?: ReplayTimers;
  /** Initial speed, 0.25..16 (1 by default). */
  speed?: number;
}

export type RecordListener = (record: RecordingRecord, index: number) => void;
export type PlaybackListener = (position: ReplayPosition) => void;

export interface ReplayBackend extends Backend {
  recording(): Recording;
  /** Applies the records as they come due in recorded time, scaled by the speed. */
  play(): void;
  pause(): void;
  /** Pauses and applies the next record; returns it, or undefined at the end. */
  step(): RecordingRecord | undefined;
  /** 0.25x..16x of recorded time; RangeError outside. */
  setSpeed(speed: number): void;
  /** Goes to `index` records applied; the records passed are not announced to onRecord, the seek itself is a replaySeek notice (when records were announced before it). */
  seek(index: number): void;
  position(): ReplayPosition;
  /** Each record as it is applied by play() or step(). */
  onRecord(listener: RecordListener): () => void;
  /** Play, pause, end of recording, speed change, seek. */
  onPlayback(listener: PlaybackListener): () => void;
}

/** "replay of run.ummutrace: kernel 6.12.95 recording \"lab demo\"". */
export function describeRecording(header: RecordingHeader, source?: string): string {
  const release = header.kernelRelease;
  let origin: string;
  if (header.backend === 'kernel') origin = `kernel ${release ?? '(release not recorded)'}`;
  else if (header.backend === 'monitor' && header.process) origin = `monitor of ${describeProcess(header.process)}`;
  else origin = release ? `${header.backend} backend on kernel ${release}` : `${header.backend} backend`;
  return `${source ? `replay of ${source}` : 'replay'}: ${origin} recording ${JSON.stringify(header.description)}`;
}

export function createReplayBackend(recording: Recording, options: ReplayOptions = {}): ReplayBackend {
  const { header, records } = recording;
  const state = new ReplayState();
  const recordListeners = new Set<RecordListener>();
  const playbackListeners = new Set<PlaybackListener>();
  const noticeListeners = new Set<(notice: BackendNotice) => void>();
  // Whether a record was announced since the last seek: a seek before any (the one that opens a replay) leaves viewers nothing to start again.
  let announced = false;

  const player = new ReplayPlayer(
    records.map((record) => record.t),
    options.timers ?? systemTimers,
    {
      apply(index, announce) {
        const record = records[index];
        state.apply(record);
        if (!announce) return;
        announced = true;
        for (const listener of [...recordListeners]) listener(record, index);
        if (record.kind === 'notice') for (const listener of [...noticeListeners]) listener(record.notice);
      },
      reset: () => state.reset(),
      changed(position) {
        for (const listener of [...playbackListeners]) listener(position);
      },
    },
  );
  if (options.speed !== undefined) player.setSpeed(options.speed);

  const info: BackendInfo = {
    kind: 'replay',
    description: describeRecording(header, options.source),
    supportedFeatures: header.features,
    pageSize: header.pageSize,
  };
  if (header.kernelRelease !== undefined) info.kernelRelease = header.kernelRelease;
  if (header.process !== undefined) info.process = header.process;

  const readOnly = (what: string): Promise<never> =>
    Promise.reject(new UmmuError('EINVAL', `replay is read-only: ${what} cannot change a recorded session`));

  return {
    info: () => ({ ...info }),
    negotiateFeatures: () => readOnly('negotiateFeatures'),
    register: () => readOnly('register'),
    registerSlot: () => readOnly('registerSlot'),
    unregister: () => readOnly('unregister'),
    read: (): Promise<UmmuEvent[]> => readOnly('read'),
    counter: () => state.counter(),
    query: (): Promise<QuerySnapshot> => Promise.resolve(state.query()),
    arena: (): ArenaInfo => ({ base: header.arena.base, pages: header.arena.pages, pageSize: header.pageSize }),
    lab: (): Promise<LabResult> => readOnly('lab'),
    onNotice: (listener) => subscribe(noticeListeners, listener),
    async close() {
      player.stop();
      recordListeners.clear();
      playbackListeners.clear();
      noticeListeners.clear();
    },
    recording: () => recording,
    play: () => player.play(),
    pause: () => player.pause(),
    step() {
      const index = player.step();
      return index === undefined ? undefined : records[index];
    },
    setSpeed: (speed) => player.setSpeed(speed),
    seek(index) {
      player.seek(index);
      if (!announced) return;
      announced = false;
      for (const listener of [...noticeListeners]) listener({ kind: 'replaySeek', position: index });
    },
    position: () => player.position(),
    onRecord: (listener) => subscribe(recordListeners, listener),
    onPlayback: (listener) => subscribe(playbackListeners, listener),
  };
}
