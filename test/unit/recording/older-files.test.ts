// Recordings written by earlier builds keep opening: this file was written
// by the kernel backend before the journal became the one record stream
// (its invalidation notice is one the backend made up from the lab op's
// range, reason -1, and its auto-read batch has no buffer size).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { hostWithoutDevice } from '../core/helpers';
import { parseRecording } from '../../../src/main/core/recording/index';
import type { QuerySnapshot } from '../../../src/shared/domain';

const text = readFileSync(join(import.meta.dirname, 'fixtures/kernel-v1.ummutrace'), 'utf8');

test('a version 1 kernel recording of an earlier build reads completely', () => {
  const recording = parseRecording(text);
  expect(recording.header).toMatchObject({ version: 1, backend: 'kernel', kernelRelease: '6.12.95+deb12-amd64' });
  expect(recording.records.map((r) => r.kind)).toEqual(['snapshot', 'op', 'notice', 'notice', 'op', 'snapshot', 'events', 'op']);
  expect(recording.records[2]).toMatchObject({ notice: { kind: 'invalidation', reason: -1, hits: [0xabcn] } });
  expect(recording.records[6]).not.toHaveProperty('maxEvents');
});

test('it replays to the state it recorded, and its history reaches a viewer', async () => {
  const host = hostWithoutDevice();
  try {
    const opened = await host.handle({ kind: 'openRecording', name: 'kernel-v1.ummutrace', text });
    expect(opened).toMatchObject({ ok: true, result: { backend: { kind: 'replay' }, replay: { total: 8 } } });
    // A replay opens at its first event; step to just before the last record.
    const opensAt = opened.ok ? (opened.result as { replay: { position: number } }).replay.position : 0;
    expect(opensAt).toBeGreaterThan(0);
    for (let i = opensAt; i < 7; i++) await host.handle({ kind: 'replayControl', action: 'step' });
    const query = await host.handle({ kind: 'op', op: { op: 'query' } });
    expect(query.ok && (query.result as QuerySnapshot).queue).toEqual([0xabcn]);
    const hello = await host.handle({ kind: 'hello' });
    if (!hello.ok) throw new Error(hello.error.message);
    const history = (hello.result as { history: { records: { kind: string }[] } }).history.records.map((r) => r.kind);
    expect(history).toEqual(['op', 'notice', 'notice', 'op', 'events']);
  } finally {
    await host.close();
  }
});
