import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EVENT_TYPE_INVAL,
  EVENT_TYPE_LAST,
  FEATURES_ALL,
  PAGE_SIZE as PAGE,
  UmmuError,
  type QuerySnapshot,
  type SessionOp,
} from '../../../src/shared/domain';
import type { Backend } from '../../../src/main/core/backend';
import { createModelBackend } from '../../../src/main/core/backends/model';
import { createReplayBackend } from '../../../src/main/core/backends/replay';
import {
  Recorder,
  opResult,
  parseRecording,
  readRecordingFile,
  recordingLines,
  recordToFile,
  recordingHeaderFor,
  runSessionOp,
  type RecordingRecord,
} from '../../../src/main/core/recording';

/** A clock that moves 5 ms every time it is read. */
function steppingClock(): () => number {
  let now = 1000;
  return () => (now += 5);
}

/**
 * The scripted session every test here records: negotiate, register two
 * ranges (the second with a generation slot), munmap a page under the first, read, unregister an unknown cookie
 * (fails), unregister the second, query.
 */
async function scriptedSession(backend: Backend, recorder: Recorder): Promise<void> {
  const base = backend.arena().base;
  const run = (op: SessionOp) => recorder.perform(op, () => runSessionOp(backend, op)).catch((e: unknown) => e);
  const unsubscribe = backend.onNotice((notice) => recorder.notice(notice));
  await run({ op: 'negotiateFeatures', requested: FEATURES_ALL });
  await run({ op: 'register', start: base, end: base + 4n * PAGE, cookie: 1n, flags: 0 });
  await run({ op: 'register', start: base + 8n * PAGE, end: base + 12n * PAGE, cookie: 2n, flags: 0, withSlot: true });
  await run({ op: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } });
  await run({ op: 'read', maxEvents: 16 });
  await run({ op: 'unregister', cookie: 99n });
  await run({ op: 'unregister', cookie: 2n });
  await run({ op: 'query' });
  unsubscribe();
}

async function recordScriptedSession(): Promise<{ lines: string[]; finalState: QuerySnapshot; counter: bigint }> {
  const backend = createModelBackend({ pages: 16 });
  const lines: string[] = [];
  const recorder = new Recorder(recordingHeaderFor(backend, 0, 'round trip'), (line) => lines.push(line), {
    clock: steppingClock(),
    createdAt: new Date('2026-11-25T12:00:00Z'),
  });
  await scriptedSession(backend, recorder);
  return { lines, finalState: await backend.query(), counter: backend.counter() };
}

describe('recording round trip through the model backend', () => {
  it('parses back every record the recorder wrote, with the same values', async () => {
    const { lines, finalState } = await recordScriptedSession();
    const recording = parseRecording(`${lines.join('\n')}\n`);

    expect(recording.header).toMatchObject({
      format: 'ummutrace',
      version: 1,
      backend: 'model',
      description: 'round trip',
      features: 0,
      pageSize: 4096,
      arena: { base: 0x7f0000000000n, pages: 16 },
      createdAt: '2026-11-25T12:00:00.000Z',
    });

    const ops = recording.records.filter((r) => r.kind === 'op');
    expect(ops.map((r) => r.op.op)).toEqual([
      'negotiateFeatures',
      'register',
      'register',
      'lab',
      'read',
      'unregister',
      'unregister',
      'query',
    ]);
    expect(opResult(ops[0], 'negotiateFeatures')).toBe(FEATURES_ALL);
    expect(ops[5].outcome).toEqual({ ok: false, error: { code: 'EINVAL', message: expect.any(String) } });
    expect(ops[2].op).toMatchObject({ withSlot: true });
    expect(opResult(ops[2], 'register')).toEqual({ slot: 0, generation: 0n });
    expect(opResult(ops[1], 'register')).toBeNull();

    const events = opResult(ops[4], 'read');
    expect(events?.map((e) => e.type)).toEqual([EVENT_TYPE_INVAL, EVENT_TYPE_LAST]);
    expect(events?.[0].cookieOrCounter).toBe(1n);
    expect(events?.[0].hintStart).toBe(0x7f0000000000n + PAGE);
    expect(events?.[0].hintEnd).toBe(0x7f0000000000n + 2n * PAGE);
    expect(events?.[1].cookieOrCounter).toBe(1n);

    expect(opResult(ops[7], 'query')).toEqual(finalState);

    const notices = recording.records.filter((r) => r.kind === 'notice');
    expect(notices.map((r) => r.notice.kind)).toContain('invalidation');
    expect(notices.find((r) => r.notice.kind === 'invalidation')?.notice).toMatchObject({ hits: [1n] });

    const times = recording.records.map((r) => r.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThan(0);
  });

  it('writes the same text again from the parsed recording', async () => {
    const { lines } = await recordScriptedSession();
    expect(recordingLines(parseRecording(lines.join('\n')))).toEqual(lines);
  });

  it('replays the recording step by step: same records, same order, state at each position', async () => {
    const { lines, finalState, counter } = await recordScriptedSession();
    const recording = parseRecording(lines.join('\n'));
    const replay = createReplayBackend(recording, { source: 'session.ummutrace' });
    const seen: Array<[RecordingRecord, number]> = [];
    const notices: string[] = [];
    replay.onRecord((record, index) => seen.push([record, index]));
    replay.onNotice((notice) => notices.push(notice.kind));

    expect(replay.info()).toMatchObject({ kind: 'replay', pageSize: 4096 });
    expect(replay.info().description).toBe('replay of session.ummutrace: model backend recording "round trip"');
    expect(replay.counter()).toBe(0n);
    expect((await replay.query()).registrations).toEqual([]);

    const readIndex = recording.records.findIndex((r) => r.kind === 'op' && r.op.op === 'read');
    for (let i = 0; i <= readIndex; i++) expect(replay.step()).toBe(recording.records[i]);
    expect(replay.counter()).toBe(1n);

    while (replay.step() !== undefined);
    expect(seen.map(([record]) => record)).toEqual(recording.records);
    expect(seen.map(([, index]) => index)).toEqual(recording.records.map((_, i) => i));
    expect(notices).toEqual(recording.records.flatMap((r) => (r.kind === 'notice' ? [r.notice.kind] : [])));
    expect(await replay.query()).toEqual(finalState);
    expect(replay.counter()).toBe(counter);
    expect(replay.position()).toMatchObject({ index: recording.records.length, total: recording.records.length });
  });
});

describe('recording to a file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('keeps every line written before stop and reads back the same recording', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ummutrace-'));
    const path = join(dir, 'session.ummutrace');
    const backend = createModelBackend({ pages: 16 });
    const file = await recordToFile(path, recordingHeaderFor(backend, 0, 'to a file'), { clock: steppingClock() });
    await scriptedSession(backend, file.recorder);
    for (let i = 0; i < 2000; i++) file.recorder.snapshot(await backend.query());
    await file.stop();
    file.recorder.snapshot(await backend.query());

    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const fromText = parseRecording(text);
    expect(fromText.records.filter((r) => r.kind === 'snapshot')).toHaveLength(2000);
    expect(await readRecordingFile(path)).toEqual(fromText);
  });

  it('rejects at once when the file cannot be created', async () => {
    const backend = createModelBackend();
    await expect(recordToFile('/nonexistent-dir/x.ummutrace', recordingHeaderFor(backend, 0))).rejects.toThrow(
      /ENOENT/,
    );
  });

  it('reports a failed write when stopping (a full disk loses no lines silently)', async () => {
    const backend = createModelBackend();
    const file = await recordToFile('/dev/full', recordingHeaderFor(backend, 0));
    file.recorder.snapshot(await backend.query());
    await expect(file.stop()).rejects.toThrow(/ENOSPC/);
  });

  it('records a UmmuError as the op outcome and rethrows it', async () => {
    const lines: string[] = [];
    const backend = createModelBackend();
    const recorder = new Recorder(recordingHeaderFor(backend, 0), (line) => lines.push(line), { clock: () => 0 });
    const op: SessionOp = { op: 'unregister', cookie: 7n };
    await expect(recorder.perform(op, () => runSessionOp(backend, op))).rejects.toBeInstanceOf(UmmuError);
    expect(JSON.parse(lines[1])).toEqual({
      t: 0,
      kind: 'op',
      op: { op: 'unregister', cookie: '0x7' },
      ok: false,
      error: { code: 'EINVAL', message: expect.any(String) },
    });
  });
});
