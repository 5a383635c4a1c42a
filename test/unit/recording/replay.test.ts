import { describe, expect, it } from 'vitest';
import { UmmuError, type QuerySnapshot, type UmmuEvent } from '../../../src/shared/domain';
import { createReplayBackend, type ReplayBackend, type ReplayPosition } from '../../../src/main/core/backends/replay';
import type { Recording, RecordingRecord } from '../../../src/main/core/recording';
import { FakeTimers } from './fake-timers';

const snapshot = (counter: bigint, cookies: bigint[]): QuerySnapshot => ({
  counter,
  flags: 0,
  registrations: cookies.map((cookie) => ({
    start: 0x1000n * cookie,
    end: 0x1000n * (cookie + 1n),
    cookie,
    hintStart: 0n,
    hintEnd: 0n,
    state: 0,
    reasonFlags: 0,
    filter: 0,
  })),
  queue: [],
});
const last = (counter: bigint): UmmuEvent => ({ type: 1, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: counter });

/** Records due at 0, 100, 100, 250 and 1000 ms of recorded time. */
function recording(): Recording {
  const records: RecordingRecord[] = [
    { kind: 'op', t: 0, op: { op: 'register', start: 0x1000n, end: 0x2000n, cookie: 1n, flags: 0 }, outcome: { ok: true, result: null } },
    { kind: 'snapshot', t: 100, snapshot: snapshot(0n, [1n]) },
    { kind: 'notice', t: 100, notice: { kind: 'invalidation', start: 0x1000n, end: 0x2000n, reason: 0, hits: [1n] } },
    { kind: 'events', t: 250, events: [{ type: 0, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 1n }, last(1n)] },
    { kind: 'op', t: 1000, op: { op: 'query' }, outcome: { ok: true, result: snapshot(3n, [1n, 2n]) } },
  ];
  return {
    header: {
      format: 'ummutrace',
      version: 1,
      backend: 'kernel',
      description: 'lab demo',
      kernelRelease: '6.12.95+deb12-amd64',
      features: 15,
      pageSize: 4096,
      arena: { base: 0x7f0000000000n, pages: 64 },
      createdAt: '2026-11-25T12:00:00.000Z',
    },
    records,
  };
}

function setup(speed?: number): { replay: ReplayBackend; timers: FakeTimers; applied: number[]; playback: ReplayPosition[] } {
  const timers = new FakeTimers();
  const replay = createReplayBackend(recording(), { timers, source: 'demo.ummutrace', ...(speed ? { speed } : {}) });
  const applied: number[] = [];
  const playback: ReplayPosition[] = [];
  replay.onRecord((_record, index) => applied.push(index));
  replay.onPlayback((position) => playback.push(position));
  return { replay, timers, applied, playback };
}

describe('replay backend: playback in recorded time', () => {
  it('applies records when they come due at 1x, records with the same time together', () => {
    const { replay, timers, applied, playback } = setup();
    replay.play();
    timers.advance(0);
    expect(applied).toEqual([0]);
    timers.advance(99);
    expect(applied).toEqual([0]);
    expect(replay.position()).toMatchObject({ index: 1, t: 99, playing: true });
    timers.advance(1);
    expect(applied).toEqual([0, 1, 2]);
    timers.advance(150);
    expect(applied).toEqual([0, 1, 2, 3]);
    timers.advance(749);
    expect(applied).toEqual([0, 1, 2, 3]);
    timers.advance(1);
    expect(applied).toEqual([0, 1, 2, 3, 4]);
    expect(replay.position()).toEqual({ index: 5, total: 5, t: 1000, duration: 1000, playing: false, speed: 1 });
    expect(playback.at(-1)).toMatchObject({ playing: false, index: 5 });
    expect(timers.scheduled).toBe(0);
  });

  it('plays 4x faster and 4x slower', () => {
    const fast = setup(4);
    fast.replay.play();
    fast.timers.advance(249);
    expect(fast.applied).toEqual([0, 1, 2, 3]);
    fast.timers.advance(1);
    expect(fast.applied).toEqual([0, 1, 2, 3, 4]);

    const slow = setup(0.25);
    slow.replay.play();
    slow.timers.advance(399);
    expect(slow.applied).toEqual([0]);
    slow.timers.advance(1);
    expect(slow.applied).toEqual([0, 1, 2]);
  });

  it('changes speed mid-play from the current position', () => {
    const { replay, timers, applied } = setup();
    replay.play();
    timers.advance(500);
    expect(applied).toEqual([0, 1, 2, 3]);
    replay.setSpeed(0.25);
    // 500 ms of recorded time remain to the last record: 2000 ms at 0.25x.
    timers.advance(1999);
    expect(applied).toHaveLength(4);
    expect(replay.position().t).toBeCloseTo(999.75);
    timers.advance(1);
    expect(applied).toHaveLength(5);
  });

  it('refuses speeds outside 0.25x..16x', () => {
    const { replay } = setup();
    for (const bad of [0.2, 17, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => replay.setSpeed(bad)).toThrow(RangeError);
    }
    replay.setSpeed(0.25);
    replay.setSpeed(16);
    expect(replay.position().speed).toBe(16);
  });

  it('pauses where it is and resumes from there', () => {
    const { replay, timers, applied } = setup();
    replay.play();
    timers.advance(150);
    replay.pause();
    expect(replay.position()).toMatchObject({ index: 3, t: 150, playing: false });
    expect(timers.scheduled).toBe(0);
    timers.advance(10_000);
    expect(applied).toEqual([0, 1, 2]);
    replay.play();
    timers.advance(99);
    expect(applied).toEqual([0, 1, 2]);
    timers.advance(1);
    expect(applied).toEqual([0, 1, 2, 3]);
  });

  it('stops at once when a listener pauses, even between records due together', () => {
    const { replay, timers, applied } = setup();
    replay.onRecord((record) => {
      if (record.kind === 'snapshot') replay.pause();
    });
    replay.play();
    timers.advance(5000);
    expect(applied).toEqual([0, 1]);
    expect(replay.position()).toMatchObject({ index: 2, t: 100, playing: false });
  });

  it('steps one record at a time, pausing playback first', () => {
    const { replay, timers, applied } = setup();
    replay.play();
    timers.advance(0);
    expect(replay.step()).toBe(replay.recording().records[1]);
    expect(replay.position()).toMatchObject({ index: 2, t: 100, playing: false });
    timers.advance(10_000);
    expect(applied).toEqual([0, 1]);
    replay.step();
    replay.step();
    replay.step();
    expect(replay.step()).toBeUndefined();
    expect(applied).toEqual([0, 1, 2, 3, 4]);
  });

  it('waits out a pause longer than one timer can', () => {
    const timers = new FakeTimers();
    const long = recording();
    const day = 24 * 3600 * 1000;
    long.records[4] = { ...long.records[4], t: 30 * day };
    const replay = createReplayBackend(long, { timers });
    const applied: number[] = [];
    replay.onRecord((_record, index) => applied.push(index));
    replay.seek(4);
    replay.play();
    timers.advance(30 * day - 251);
    expect(applied).toEqual([]);
    timers.advance(1);
    expect(applied).toEqual([4]);
  });

  it('plays to the end on the real clock', async () => {
    const replay = createReplayBackend(recording(), { speed: 16 });
    const applied: number[] = [];
    replay.onRecord((_record, index) => applied.push(index));
    const ended = new Promise<ReplayPosition>((resolve) =>
      replay.onPlayback((position) => {
        if (!position.playing && position.index === position.total) resolve(position);
      }),
    );
    replay.play();
    expect(await ended).toMatchObject({ index: 5, t: 1000 });
    expect(applied).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops playing on close', async () => {
    const { replay, timers, applied } = setup();
    replay.play();
    timers.advance(0);
    await replay.close();
    timers.advance(10_000);
    expect(applied).toEqual([0]);
  });
});

describe('replay backend: state at the current position', () => {
  it('answers query() and counter() from the latest snapshot and LAST event applied', async () => {
    const { replay } = setup();
    expect(await replay.query()).toEqual(snapshot(0n, []));
    replay.step();
    replay.step();
    expect(await replay.query()).toEqual(snapshot(0n, [1n]));
    replay.step();
    replay.step();
    expect(replay.counter()).toBe(1n);
    replay.step();
    expect(await replay.query()).toEqual(snapshot(3n, [1n, 2n]));
    expect(replay.counter()).toBe(3n);
  });

  it('seeks backwards and forwards, rebuilding the state without announcing skipped records', async () => {
    const { replay, applied } = setup();
    replay.seek(5);
    expect(replay.counter()).toBe(3n);
    expect(replay.position()).toMatchObject({ index: 5, t: 1000 });
    replay.seek(2);
    expect(await replay.query()).toEqual(snapshot(0n, [1n]));
    expect(replay.counter()).toBe(0n);
    expect(replay.position()).toMatchObject({ index: 2, t: 100 });
    replay.seek(0);
    expect(await replay.query()).toEqual(snapshot(0n, []));
    expect(applied).toEqual([]);
    expect(() => replay.seek(6)).toThrow(RangeError);
    expect(() => replay.seek(-1)).toThrow(RangeError);
  });

  it('keeps playing in time after a seek during playback', () => {
    const { replay, timers, applied } = setup();
    replay.play();
    timers.advance(0);
    replay.seek(4);
    timers.advance(749);
    expect(applied).toEqual([0]);
    timers.advance(1);
    expect(applied).toEqual([0, 4]);
  });

  it('hands out copies, so that a caller cannot change the recording', async () => {
    const { replay } = setup();
    replay.seek(2);
    (await replay.query()).registrations.pop();
    expect((await replay.query()).registrations).toHaveLength(1);
  });

  it('refuses every call that would change the recorded session', async () => {
    const { replay } = setup();
    const calls = [
      replay.negotiateFeatures(15),
      replay.register(0x1000n, 0x2000n, 9n),
      replay.unregister(1n),
      replay.read(16),
      replay.lab({ op: 'munmap', page: 0, pages: 1 }),
    ];
    for (const call of calls) {
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UmmuError);
      expect(error).toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/^replay is read-only: /) });
    }
  });

  it('describes itself by the recorded backend and kernel', () => {
    const { replay } = setup();
    expect(replay.info()).toEqual({
      kind: 'replay',
      description: 'replay of demo.ummutrace: kernel 6.12.95+deb12-amd64 recording "lab demo"',
      supportedFeatures: 15,
      pageSize: 4096,
      kernelRelease: '6.12.95+deb12-amd64',
    });
    expect(replay.arena()).toEqual({ base: 0x7f0000000000n, pages: 64, pageSize: 4096 });
  });
});
