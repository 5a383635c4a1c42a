import { afterEach, describe, expect, test } from 'vitest';
import { selectBackend } from '../../../src/main/core/backends/index';
import type { DeviceProcessLauncher } from '../../../src/main/core/backends/kernel/launcher';
import { SessionHost } from '../../../src/main/core/session-host';
import type { QuerySnapshot } from '../../../src/shared/domain';
import type { PushBatch, Request, Response, ResultOf } from '../../../src/shared/messages';

// No device session is ever started here: the device path does not exist.
const launcher: DeviceProcessLauncher = () => {
  throw new Error('no device-session process in unit tests');
};
const env = { launcher, deviceSessionEntry: '/nonexistent/device-session.js', devicePath: '/nonexistent/ummunotify' };

let host: SessionHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function current(): SessionHost {
  if (!host) throw new Error('no host in this test');
  return host;
}

async function ok(request: Request): Promise<unknown> {
  const response: Response = await current().handle(request);
  if (!response.ok) throw new Error(`${request.kind} failed: ${response.error.code} ${response.error.message}`);
  return response.result;
}

describe('backend selection', () => {
  test('without the device the model is chosen and the reason says the module is not loaded', async () => {
    const { backend, reason } = await selectBackend('auto', env);
    expect(backend.info().kind).toBe('model');
    expect(reason).toBe('model: /nonexistent/ummunotify not present (module not loaded)');
    await backend.close();
  });

  test('when the device exists but the kernel backend cannot start, the model is chosen and the reason says why', async () => {
    const { backend, reason } = await selectBackend('auto', { ...env, devicePath: '/dev/null' });
    expect(backend.info().kind).toBe('model');
    expect(reason).toBe('model: kernel backend unavailable: no device-session process in unit tests');
    await backend.close();
  });

  test('asking for the kernel explicitly fails with the reason instead of falling back', async () => {
    await expect(selectBackend('kernel', { ...env, devicePath: '/dev/null' })).rejects.toThrow(/no device-session process/);
  });

  test('the first session reports its backend and why', async () => {
    host = new SessionHost(env);
    const hello = (await ok({ kind: 'hello' })) as { state: { backend: { kind: string }; selection: string } };
    expect(hello.state.backend.kind).toBe('model');
    expect(hello.state.selection).toMatch(/not present \(module not loaded\)/);
  });
});

describe('requests', () => {
  test('a failed operation answers with its errno, not an exception', async () => {
    host = new SessionHost(env);
    await ok({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie: 1n, flags: 0 } });
    const duplicate = await current().handle({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie: 1n, flags: 0 } });
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'EINVAL' } });
  });

  test('pushes of the current session reach every listener', async () => {
    host = new SessionHost({ ...env, flushIntervalMs: 1 });
    const batches: PushBatch[] = [];
    current().onPush((batch) => batches.push(batch));
    await ok({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie: 1n, flags: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(batches.flatMap((b) => b.items).some((i) => i.kind === 'snapshot' && i.snapshot.registrations.length === 1)).toBe(true);
  });
});

describe('new sessions', () => {
  test('a request sent right after New session, before its answer, acts on the new session', async () => {
    host = new SessionHost(env);
    const before = ((await ok({ kind: 'hello' })) as ResultOf['hello']).state.sessionId;
    const opening = current().handle({ kind: 'newSession', backend: 'model' });
    const negotiated = current().handle({ kind: 'op', op: { op: 'negotiateFeatures', requested: 0 } });
    const opened = await opening;
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.result.sessionId).not.toBe(before);
    expect(await negotiated).toMatchObject({ ok: true });
    const hello = (await ok({ kind: 'hello' })) as ResultOf['hello'];
    expect(hello.state.sessionId).toBe(opened.result.sessionId);
    expect(hello.state.features).not.toBeNull();
  });

  test('when the new session cannot open, a request sent meanwhile acts on the session that stays', async () => {
    host = new SessionHost(env);
    const before = ((await ok({ kind: 'hello' })) as ResultOf['hello']).state.sessionId;
    // No device here: asking for the kernel fails.
    const opening = current().handle({ kind: 'newSession', backend: 'kernel' });
    const registered = current().handle({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie: 3n, flags: 0 } });
    expect(await opening).toMatchObject({ ok: false });
    expect(await registered).toMatchObject({ ok: true });
    expect(((await ok({ kind: 'hello' })) as ResultOf['hello']).state.sessionId).toBe(before);
  });
});

describe('history in pages', () => {
  test('hello and history hand the journal out from any record on, at most a page at a time, saying where it ends', async () => {
    host = new SessionHost(env);
    for (let cookie = 1n; cookie <= 5n; cookie++) await ok({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie, flags: 0 } });
    const whole = (await ok({ kind: 'hello' })) as ResultOf['hello'];
    const end = whole.history.end;
    expect(whole.history.first + whole.history.records.length).toBe(end);

    const first = (await ok({ kind: 'hello', limit: 2 })) as ResultOf['hello'];
    expect(first.history).toEqual({ first: 0, records: whole.history.records.slice(0, 2), end });
    const sessionId = first.state.sessionId;
    const rest = (await ok({ kind: 'history', sessionId, from: 2, limit: 1000 })) as ResultOf['history'];
    expect(rest).toEqual({ first: 2, records: whole.history.records.slice(2), end });
    // From where a viewer left off; past the end there is nothing yet.
    expect(((await ok({ kind: 'hello', from: end - 1 })) as ResultOf['hello']).history.records).toEqual(whole.history.records.slice(-1));
    expect(await ok({ kind: 'history', sessionId, from: end + 5, limit: 10 })).toEqual({ first: end, records: [], end });
    expect(await current().handle({ kind: 'history', sessionId: sessionId + 100, from: 0, limit: 10 })).toMatchObject({ ok: false, error: { code: 'EINVAL' } });
  });
});

describe('recording and replay', () => {
  test('a recorded session replays: the replay shows the recorded registrations and queue', async () => {
    host = new SessionHost(env);
    await ok({ kind: 'startRecording' });
    await ok({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000004000n, cookie: 5n, flags: 0 } });
    await ok({ kind: 'op', op: { op: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } } });
    const saved = (await ok({ kind: 'stopRecording' })) as { fileName: string; text: string };
    expect(saved.fileName).toMatch(/\.ummutrace$/);

    const state = (await ok({ kind: 'openRecording', name: saved.fileName, text: saved.text })) as {
      backend: { kind: string };
      replay: { position: number; total: number };
    };
    expect(state.backend.kind).toBe('replay');
    expect(state.replay.total).toBeGreaterThan(2);
    // It opens at its first event, the register, after the negotiation of QUERY and with the snapshot that shows it.
    expect(state.replay.position).toBe(3);
    const query = async () => (await ok({ kind: 'op', op: { op: 'query' } })) as QuerySnapshot;
    expect((await query()).registrations).toHaveLength(1);
    for (let i = 3; i < state.replay.total; i++) await ok({ kind: 'replayControl', action: 'step' });
    expect((await query()).registrations).toHaveLength(1);
    expect((await query()).queue).toEqual([5n]);
    // The scrubber: back to the start, and forward to the end again.
    await ok({ kind: 'replayControl', action: 'seek', position: 0 });
    expect(await query()).toMatchObject({ registrations: [], queue: [] });
    expect(((await ok({ kind: 'hello' })) as { state: { replay: { position: number } } }).state.replay.position).toBe(0);
    await ok({ kind: 'replayControl', action: 'seek', position: state.replay.total });
    expect((await query()).queue).toEqual([5n]);
  });

  test('a bad recording is refused with its line and problem, and the session stays', async () => {
    host = new SessionHost(env);
    const before = (await ok({ kind: 'hello' })) as { state: { sessionId: number } };
    const response = await current().handle({ kind: 'openRecording', name: 'bad.ummutrace', text: 'this is not a recording\n' });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error).toMatchObject({ code: 'RecordingError', line: 1 });
    expect(response.error.problem).toBeTruthy();
    const after = (await ok({ kind: 'hello' })) as { state: { sessionId: number } };
    expect(after.state.sessionId).toBe(before.state.sessionId);
  });

  test('a recording in progress is not thrown away by opening another session', async () => {
    host = new SessionHost(env);
    await ok({ kind: 'startRecording' });
    expect(await current().handle({ kind: 'newSession', backend: 'model' })).toMatchObject({ ok: false, error: { code: 'EINVAL' } });
    const saved = (await ok({ kind: 'stopRecording' })) as { text: string };
    expect(saved.text.split('\n')[0]).toContain('ummutrace');
  });

  test('a replay is read-only', async () => {
    host = new SessionHost(env);
    await ok({ kind: 'startRecording' });
    await ok({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie: 1n, flags: 0 } });
    const saved = (await ok({ kind: 'stopRecording' })) as { text: string };
    await ok({ kind: 'openRecording', name: 'r.ummutrace', text: saved.text });
    const write = await current().handle({ kind: 'op', op: { op: 'register', start: 0x7f0000000000n, end: 0x7f0000001000n, cookie: 2n, flags: 0 } });
    expect(write).toMatchObject({ ok: false, error: { code: 'EINVAL' } });
  });
});
