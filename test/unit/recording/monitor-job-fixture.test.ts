// The committed monitor-job fixture (three ranks of a registration cache,
// test/fixtures/monitor-job/) is what its generator writes from the model
// and the monitor stream, and opens as three replayed processes beside the
// live monitor sessions, each with its whole history. The Chromium test
// (test/e2e/processes.test.ts) shows the same files in the Processes view.
// UPDATE_FIXTURES=1 rewrites the files.

import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { monitorJobFixture } from '../../fixtures/monitor-job/generate';
import { parseRecording } from '../../../src/main/core/recording/index';
import type { SessionHost } from '../../../src/main/core/session-host';
import type { PushBatch } from '../../../src/shared/messages';
import { hostWithoutDevice } from '../core/helpers';

const dir = new URL('../../fixtures/monitor-job/', import.meta.url);
const files = monitorJobFixture();
const hosts: SessionHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

test('the committed files are what the generator writes', () => {
  if (process.env.UPDATE_FIXTURES) for (const file of files) writeFileSync(new URL(file.name, dir), file.text);
  for (const file of files) expect(readFileSync(new URL(file.name, dir), 'utf8'), file.name).toBe(file.text);
  const recordings = files.map((f) => parseRecording(f.text));
  expect(recordings.map((r) => [r.header.version, r.header.backend, r.header.process?.rank])).toEqual([
    [2, 'monitor', '0'],
    [2, 'monitor', '1'],
    [2, 'monitor', '2'],
  ]);
  const notices = recordings.map((r) => r.records.flatMap((x) => (x.kind === 'notice' ? [x.notice.kind] : [])));
  expect(notices.map((n) => n.includes('closed'))).toEqual([true, true, false]);
  expect(notices.map((n) => n.includes('gap'))).toEqual([false, false, true]);
});

test('each opens as a replayed process, played to its end, pushed to viewers that watch processes', async () => {
  const host = hostWithoutDevice();
  hosts.push(host);
  const pushed: PushBatch[] = [];
  host.onMonitorPush((batch) => pushed.push(batch));
  const states = [];
  for (const file of files) {
    const opened = await host.handle({ kind: 'openProcessRecording', name: file.name, text: file.text });
    if (!opened.ok) throw new Error(opened.error.message);
    states.push(opened.result as { sessionId: number; backend: { kind: string; process?: { pid: number } } });
  }
  expect(states.map((s) => [s.backend.kind, s.backend.process?.pid])).toEqual([
    ['replay', 31001],
    ['replay', 31002],
    ['replay', 31003],
  ]);
  const watched = await host.handle({ kind: 'watchProcesses' });
  if (!watched.ok) throw new Error(watched.error.message);
  const hellos = watched.result as import('../../../src/shared/messages').HelloResult[];
  for (const [i, file] of files.entries()) {
    const recording = parseRecording(file.text);
    const journaled = recording.records.filter((r) => r.kind === 'op' || r.kind === 'events' || r.kind === 'notice');
    const hello = hellos[i];
    expect(hello.state.sessionId).toBe(states[i].sessionId);
    expect(hello.history.records.filter((r) => r.kind !== 'snapshot')).toEqual(journaled);
    expect(hello.state.dead).toBe(recording.header.process?.rank !== '2');
  }
  // The current session is untouched by them.
  const hello = await host.handle({ kind: 'hello' });
  expect(hello.ok && (hello.result as { state: { backend: { kind: string } } }).state.backend.kind).toBe('model');
  await expect.poll(() => pushed.length).toBeGreaterThan(0);
});

test('a recording of another backend is refused with what to do instead', async () => {
  const host = hostWithoutDevice();
  hosts.push(host);
  const text = readFileSync(new URL('fixtures/kernel-v1.ummutrace', import.meta.url), 'utf8');
  expect(await host.handle({ kind: 'openProcessRecording', name: 'kernel-v1.ummutrace', text })).toEqual({
    ok: false,
    error: { code: 'EINVAL', message: 'kernel-v1.ummutrace is not a recording of a watched process (it recorded the kernel backend): open it with Open recording… instead' },
  });
});
