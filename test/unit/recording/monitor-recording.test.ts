// A recording of a monitor session (format version 2): the header names the
// watched process, the monitor's notices (gap, readFault, closed) survive the
// file, and the replay shows which process it was. Version 1 files keep
// opening (older-files.test.ts); recordings of the other backends are still
// written as version 1.

import { expect, test } from 'vitest';
import { hostWithoutDevice } from '../core/helpers';
import { Recorder, parseRecording, recordingLines, type RecordingRecord } from '../../../src/main/core/recording/index';
import type { RecordingHeaderFields } from '../../../src/main/core/recording/recorder';
import type { SessionState } from '../../../src/shared/messages';

const process = { pid: 4242, fd: 5, command: 'regcache-demo --wait', rank: '3', host: 'node7' };
const header: RecordingHeaderFields = {
  backend: 'monitor',
  description: 'monitor of PID 4242 fd 5: regcache-demo --wait (rank 3 on node7)',
  kernelRelease: '6.12.95+deb12-amd64',
  features: 8,
  pageSize: 4096,
  arena: { base: 0n, pages: 0 },
  process,
};
const records: RecordingRecord[] = [
  { kind: 'snapshot', t: 0, snapshot: { counter: 0n, flags: 0, registrations: [], queue: [] } },
  { kind: 'op', t: 1, op: { op: 'register', start: 0x1000n, end: 0x5000n, cookie: 7n, flags: 0 }, outcome: { ok: true, result: null } },
  { kind: 'notice', t: 2, notice: { kind: 'invalidation', start: 0x2000n, end: 0x3000n, reason: 0, hits: [7n] } },
  { kind: 'notice', t: 3, notice: { kind: 'gap', firstSeq: 3n, lastSeq: 9n } },
  { kind: 'notice', t: 3, notice: { kind: 'readFault', events: 1 } },
  { kind: 'snapshot', t: 3, snapshot: { counter: 2n, flags: 0, registrations: [], queue: [] } },
  { kind: 'notice', t: 4, notice: { kind: 'closed', ownerGone: true } },
];

function write(fields: RecordingHeaderFields, body: RecordingRecord[]): string {
  const lines: string[] = [];
  const recorder = new Recorder(fields, (line) => lines.push(line), { clock: () => 0, createdAt: new Date('2026-12-06T03:00:00Z') });
  for (const record of body) recorder.record(record);
  return `${lines.join('\n')}\n`;
}

test('a monitor recording is version 2 and keeps the process and the monitor notices', () => {
  const text = write(header, records);
  expect(JSON.parse(text.split('\n')[0])).toMatchObject({ version: 2, backend: 'monitor', process });
  const recording = parseRecording(text);
  expect(recording.header).toMatchObject({ version: 2, backend: 'monitor', process });
  expect(recording.records.map((r) => (r.kind === 'notice' ? r.notice : r.kind))).toEqual(['snapshot', 'op', records[2].kind === 'notice' && records[2].notice, { kind: 'gap', firstSeq: 3n, lastSeq: 9n }, { kind: 'readFault', events: 1 }, 'snapshot', { kind: 'closed', ownerGone: true }]);
  expect(recordingLines(recording).join('\n')).toBe(text.trimEnd());
});

test('recordings of the other backends are still written as version 1, which older builds read', () => {
  const text = write({ ...header, backend: 'model', process: undefined } as RecordingHeaderFields, records.slice(0, 3));
  expect(JSON.parse(text.split('\n')[0]).version).toBe(1);
  expect(parseRecording(text).header.version).toBe(1);
});

test('its replay says which process it watched, and ends dead', async () => {
  const host = hostWithoutDevice();
  try {
    const opened = await host.handle({ kind: 'openRecording', name: 'rank3.ummutrace', text: write(header, records) });
    expect(opened.ok).toBe(true);
    const state = opened.ok ? (opened.result as SessionState) : undefined;
    expect(state?.backend).toMatchObject({ kind: 'replay', process, description: 'replay of rank3.ummutrace: monitor of PID 4242 fd 5: regcache-demo --wait (rank 3 on node7) recording "monitor of PID 4242 fd 5: regcache-demo --wait (rank 3 on node7)"' });
    for (let i = 0; i < records.length; i++) await host.handle({ kind: 'replayControl', action: 'step' });
    const hello = await host.handle({ kind: 'hello' });
    expect(hello.ok && hello.result).toMatchObject({ state: { dead: true } });
  } finally {
    await host.close();
  }
});
