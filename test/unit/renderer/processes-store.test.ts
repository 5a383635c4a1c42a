// The Processes view's store against a real core: monitor recordings opened
// as replayed processes show each process with its counts and timeline; a
// viewer that connects later, and one that missed records (a gap), end with
// the same; detach forgets one; a failed attach is a readable error in the
// banner and the store keeps working. The job overview's numbers come from
// the same timelines.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { StoreApi } from 'zustand/vanilla';
import { monitorJobFixture } from '../../fixtures/monitor-job/generate';
import { parseRecording } from '../../../src/main/core/recording/index';
import type { SessionHost } from '../../../src/main/core/session-host';
import { createProcessesStore, type ProcessesStore } from '../../../src/renderer/app/processes-store';
import { ProcessFeed, type ProcessCounts } from '../../../src/renderer/app/process-feed';
import type { ShownError } from '../../../src/renderer/app/readable-error';
import { jobSpan, processSeries } from '../../../src/renderer/view-state/job-series';
import { processArena } from '../../../src/renderer/view-state/process-arena';
import { EVENT_TYPE_INVAL } from '../../../src/shared/domain';
import { inProcessClient } from './in-process-client';

let host: SessionHost;
afterEach(async () => host.close());

const files = monitorJobFixture();
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 30));

/** What each recording's journal holds, counted from the file itself. */
function expectedCounts(text: string): Partial<ProcessCounts> & { registrationsNow: number } {
  const { records } = parseRecording(text);
  const ops = records.flatMap((r) => (r.kind === 'op' && r.outcome.ok ? [r.op.op] : []));
  const reads = records.flatMap((r) => (r.kind === 'events' ? [r.events] : []));
  const last = records.findLast((r) => r.kind === 'snapshot');
  return {
    registers: ops.filter((o) => o === 'register').length,
    unregisters: ops.filter((o) => o === 'unregister').length,
    invalidations: records.filter((r) => r.kind === 'notice' && r.notice.kind === 'invalidation').length,
    reads: reads.length,
    events: reads.flat().filter((e) => e.type === EVENT_TYPE_INVAL).length,
    registrationsNow: last?.kind === 'snapshot' ? last.snapshot.registrations.length : -1,
  };
}

function viewer(errors: ShownError[] = []): StoreApi<ProcessesStore> {
  return createProcessesStore(inProcessClient(host).client, { showError: (e) => errors.push(e) });
}

/** A viewer of a new core that opened `opened` as processes, once their batches came. */
async function viewerOf(opened: typeof files, errors: ShownError[] = []): Promise<StoreApi<ProcessesStore>> {
  ({ host } = inProcessClient());
  const store = viewer(errors);
  await settle();
  await store.getState().openRecordings(opened);
  await settle();
  return store;
}

const summary = (store: StoreApi<ProcessesStore>) =>
  store.getState().watched.map((p) => ({
    pid: p.state.backend.process?.pid,
    registrations: p.snapshot?.registrations.length,
    counts: p.counts,
    timeline: p.timeline.length,
  }));

test('recordings opened as processes: each shows with the counts its file holds, and a later viewer sees the same', async () => {
  const early = await viewerOf(files);
  const watched = early.getState().watched;
  expect(watched.map((p) => p.state.backend.process?.pid)).toEqual([31001, 31002, 31003]);
  for (const [i, file] of files.entries()) {
    const { registrationsNow, ...counts } = expectedCounts(file.text);
    expect(watched[i]?.counts).toMatchObject(counts);
    expect(watched[i]?.snapshot?.registrations.length).toBe(registrationsNow);
    expect(watched[i]?.timeline.length).toBeGreaterThan(counts.registers ?? 0);
  }
  // Rank 2's monitor lost records once: counted, not hidden.
  expect(watched[2]?.counts.gaps).toBe(1);
  expect(watched[2]?.counts.lostRecords).toBeGreaterThan(0);
  const late = viewer();
  await expect.poll(() => summary(late)).toEqual(summary(early));
});

test("a later viewer takes in each process's history a page at a time and ends with the same", async () => {
  const early = await viewerOf(files);
  const asked: string[] = [];
  const { client } = inProcessClient(host);
  const paged = createProcessesStore(
    {
      ...client,
      request: (request) => {
        asked.push(request.kind === 'watchProcesses' ? `watchProcesses ${request.limit}` : request.kind === 'history' ? `history ${request.sessionId} from ${request.from}` : request.kind);
        return client.request(request);
      },
    },
    { showError: (e) => expect.fail(e.message), historyPageRecords: 7 },
  );
  await expect.poll(() => summary(paged)).toEqual(summary(early));
  expect(asked).toContain('watchProcesses 7');
  const firstSession = early.getState().watched[0]?.sessionId;
  expect(asked.filter((a) => a.startsWith(`history ${firstSession} from `))).toEqual(
    // The greeting brought records 0..6; each request asks for the next 7.
    Array.from({ length: Math.ceil(((early.getState().watched[0]?.timeline.sourcePosition ?? 0) + 1) / 7) - 1 }, (_, i) => `history ${firstSession} from ${7 * (i + 1)}`),
  );
});

test('a record missing from a batch makes the store greet again, ending with the whole history', async () => {
  const store = await viewerOf(files.slice(0, 1));
  const whole = summary(store);
  const [process] = store.getState().watched;
  if (!process) throw new Error('no process');
  // A batch numbered far ahead: something was missed.
  store.getState().applyBatch({ sessionId: process.sessionId, seq: 999, items: [{ kind: 'record', n: 10_000, record: { kind: 'notice', t: 1, notice: { kind: 'dead' } } }] });
  await settle();
  expect(summary(store)).toEqual(whole);
  // The feed itself says so.
  const feed = ProcessFeed.fromState(process.state);
  expect(feed.applyItems([{ kind: 'record', n: 1, record: { kind: 'notice', t: 1, notice: { kind: 'dead' } } }])).toBe(false);
});

test('detach forgets a process; a failed attach is a readable error and the store keeps working', async () => {
  const errors: ShownError[] = [];
  const store = await viewerOf(files.slice(0, 2), errors);
  const [first] = store.getState().watched;
  await store.getState().detach(first?.sessionId ?? -1);
  expect(store.getState().watched.map((p) => p.state.backend.process?.pid)).toEqual([31002]);
  // This host has no /dev/ummunotify (the module cannot be loaded here).
  expect(await store.getState().attach(process.pid)).toBe(false);
  expect(errors).toEqual([
    expect.objectContaining({
      code: 'ENODEV',
      title: 'The ummunotify module is not loaded on this host',
      message: expect.stringMatching(/^\/dev\/ummunotify does not exist \(the ummunotify module is not loaded\), so PID \d+ .* cannot have it open\. Load it/),
    }),
  ]);
  expect(await store.getState().attach(4_194_303)).toBe(false);
  expect(errors[1]).toMatchObject({ code: 'ESRCH', title: 'Cannot watch PID 4194303: no such process' });
  // A replayed process is not recorded again; said under a headline.
  await store.getState().startRecording(store.getState().watched[0]?.sessionId ?? -1);
  expect(errors[2]).toMatchObject({ code: 'EINVAL', title: expect.stringMatching(/^Cannot record session \d+$/), message: 'a replay cannot be recorded again' });
  await store.getState().refresh();
  expect(store.getState().found).toEqual([]);
  expect(store.getState().watched).toHaveLength(1);
});

test('the job overview: registrations alive, invalidations per second and queue depth per bin, from the timeline', async () => {
  const store = await viewerOf(files);
  const watched = store.getState().watched;
  const span = jobSpan(watched.map((p) => p.timeline));
  if (!span) throw new Error('no span');
  for (const p of watched) {
    const series = processSeries(p.timeline, p.snapshot?.registrations ?? [], span, 10);
    const seconds = (span.end - span.start) / 10 / 1000;
    // Every invalidation falls in one bin.
    expect(Math.round(series.invalidationsPerSecond.reduce((a, b) => a + b, 0) * seconds)).toBe(p.counts.invalidations);
    // What is alive at the end is what is registered now, unless the monitor lost the unregister of one (rank 2's gap).
    if (p.counts.gaps === 0) expect(series.registrations.at(-1)).toBe(p.snapshot?.registrations.length);
    else expect(series.registrations.at(-1)).toBeGreaterThanOrEqual(p.snapshot?.registrations.length ?? 0);
    expect(series.queueDepth.at(-1)).toBe(p.snapshot?.queue.length);
  }
});

test("a process's address map spans what it registered, in whole pages", () => {
  const reg = (start: bigint, end: bigint) => ({ start, end, cookie: start, hintStart: 0n, hintEnd: 0n, state: 0, reasonFlags: 0, filter: 0 });
  expect(processArena([reg(0x5010n, 0x6000n)], [{ cookie: 1n, start: 0x9000n, end: 0x9001n, flags: 0, registeredAt: 0 }], 0x1000)).toEqual({ base: 0x5000n, pages: 5, pageSize: 0x1000 });
  expect(processArena([], [], 4096)).toEqual({ base: 0n, pages: 1, pageSize: 4096 });
});

test('a process another viewer opens reaches a watching viewer through pushes alone', async () => {
  const other = await viewerOf([]);
  const watching = viewer();
  await expect.poll(() => watching.getState().found).toEqual([]);
  await other.getState().openRecordings(files.slice(1, 2));
  await expect.poll(() => other.getState().watched[0]?.counts.registers).toBe(expectedCounts(files[1]?.text ?? '').registers);
  await expect.poll(() => summary(watching)).toEqual(summary(other));
  expect(summary(watching)).toHaveLength(1);
});

test('the 4-rank MPI job recorded in the VM (docs/samples/mpi-4-ranks) opens as four processes with the counts its files hold', async () => {
  // jsdom's import.meta.url is no file URL: the suite runs from the checkout's root.
  const dir = join(process.cwd(), 'docs/samples/mpi-4-ranks');
  const sample = readdirSync(dir)
    .filter((name) => name.endsWith('.ummutrace'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
  const store = await viewerOf(sample);
  await expect.poll(() => store.getState().watched.map((p) => p.state.backend.process?.rank)).toEqual(['0', '1', '2', '3']);
  for (const [i, file] of sample.entries()) {
    const { registrationsNow, ...counts } = expectedCounts(file.text);
    await expect.poll(() => store.getState().watched[i]?.counts).toMatchObject(counts);
    expect(store.getState().watched[i]?.snapshot?.registrations.length).toBe(registrationsNow);
    expect(store.getState().watched[i]?.state.dead).toBe(true);
  }
});
