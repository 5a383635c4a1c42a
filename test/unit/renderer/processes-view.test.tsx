// The Processes view's list in jsdom over a real core whose discovery looks
// for a file a child holds open (standing for /dev/ummunotify, which this
// host lacks): the row names the process's PID, descriptor, command and MPI
// rank, and says why it cannot be attached (its fdinfo has no ummunotify
// lines); Refresh finds a process started later. Opened recordings show as
// lane groups (the counts: processes-store.test.ts; Chromium:
// test/e2e/processes.test.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, expect, test, vi } from 'vitest';
import { SessionHost } from '../../../src/main/core/session-host';
import { createProcessesStore } from '../../../src/renderer/app/processes-store';
import { ProcessesView } from '../../../src/renderer/processes/ProcessesView';
import { monitorJobFixture } from '../../fixtures/monitor-job/generate';
import { inProcessClient } from './in-process-client';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const children: ChildProcess[] = [];
let root: Root | undefined;
let host: SessionHost | undefined;
afterEach(async () => {
  act(() => root?.unmount());
  for (const child of children.splice(0)) child.kill();
  await host?.close();
});

async function holder(path: string, rank: string): Promise<{ pid: number; fd: number }> {
  const child = spawn(process.execPath, ['-e', `console.log(require('fs').openSync(${JSON.stringify(path)}, 'r')); setInterval(() => {}, 1000);`], {
    env: { PATH: process.env.PATH ?? '', OMPI_COMM_WORLD_RANK: rank },
  });
  children.push(child);
  const fd = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { pid: child.pid as number, fd };
}

const rows = (container: HTMLElement): string[][] =>
  [...container.querySelectorAll('[data-testid="process-row"]')].map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? ''));

test('the list names each process with the device open; Refresh finds one that opened it later; recordings open as lane groups', async () => {
  const device = join(mkdtempSync(join(tmpdir(), 'ummu-view-')), 'ummunotify');
  writeFileSync(device, '');
  host = new SessionHost({
    launcher: () => {
      throw new Error('no device session here');
    },
    deviceSessionEntry: '/nonexistent/device-session.js',
    devicePath: '/nonexistent/ummunotify',
    flushIntervalMs: 1,
    monitors: { discovery: { devicePath: device } },
  });
  const first = await holder(device, '3');
  const store = createProcessesStore(inProcessClient(host).client, { showError: (e) => console.error(e) });
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  act(() => root?.render(<ProcessesView store={store} />));
  const problem = `/proc/${first.pid}/fdinfo/${first.fd} has no ummunotify lines`;
  await act(() =>
    vi.waitFor(() => expect(rows(container)).toEqual([[String(first.pid), String(first.fd), expect.stringContaining('node -e'), '3', '', '', '', expect.stringContaining(problem)]]), { timeout: 10_000 }),
  );
  const second = await holder(device, '4');
  await act(async () => container.querySelector<HTMLButtonElement>('[data-testid="processes-refresh"]')?.click());
  await act(() => vi.waitFor(() => expect(rows(container).map((r) => [r[0], r[3]])).toEqual([[String(first.pid), '3'], [String(second.pid), '4']].sort()), { timeout: 10_000 }));

  await act(async () => store.getState().openRecordings(monitorJobFixture().slice(0, 2)));
  await act(() =>
    vi.waitFor(() =>
      expect([...container.querySelectorAll('[data-testid="process-heading"]')].map((h) => h.textContent)).toEqual([
        'PID 31001 · rank 0 · node7 (replayed, ended)',
        'PID 31002 · rank 1 · node7 (replayed, ended)',
      ]),
    ),
  );
  expect(container.querySelectorAll('[data-testid="job-chart-registrations"] path')).toHaveLength(2);
});
