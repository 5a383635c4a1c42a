// Attaching through the core on a machine without the module: every reason
// an attach cannot be made is named, from discovery (no such process, no
// device open, which descriptor) or from the kernel through the addon (a
// descriptor that is not an ummunotify file: ENOTTY). A file held open by a
// child stands for the device. The attaches that work run in the VM
// (test/native/inside/monitor-core.test.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { addonCandidates } from '../../../native/lib/index';
import type { SessionHost } from '../../../src/main/core/session-host';
import { hostWithoutDevice } from './helpers';

const children: ChildProcess[] = [];
const hosts: SessionHost[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  for (const host of hosts.splice(0)) await host.close();
});

/** A child holding `paths` open; resolves with its pid and descriptors. */
async function holder(paths: string[]): Promise<{ pid: number; fds: number[] }> {
  const child = spawn(process.execPath, ['-e', `console.log(JSON.stringify(${JSON.stringify(paths)}.map((p) => require('fs').openSync(p, 'r')))); setInterval(() => {}, 1000);`]);
  children.push(child);
  const fds = await new Promise<number[]>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as number[])));
  return { pid: child.pid as number, fds };
}

function hostFor(devicePath: string): SessionHost {
  const host = hostWithoutDevice({ monitors: { discovery: { devicePath } } });
  hosts.push(host);
  return host;
}

test('attach names what is wrong: no such process, no device open, several descriptors, a descriptor that is not the device', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ummu-attach-'));
  const device = join(dir, 'ummunotify');
  const other = join(dir, 'other');
  writeFileSync(device, '');
  writeFileSync(other, '');
  const host = hostFor(device);
  const two = await holder([device, device, other]);
  const none = await holder([other]);
  expect(await host.handle({ kind: 'attach', pid: 4_194_303 })).toEqual({ ok: false, error: { code: 'ESRCH', message: 'no process with PID 4194303' } });
  expect(await host.handle({ kind: 'attach', pid: none.pid })).toMatchObject({ ok: false, error: { code: 'ENOENT', message: expect.stringMatching(new RegExp(`^PID ${none.pid} \\(.*node.*\\) has no ${device} open$`)) } });
  expect(await host.handle({ kind: 'attach', pid: two.pid })).toMatchObject({
    ok: false,
    error: { code: 'EINVAL', message: expect.stringContaining(`has ${device} open on descriptors ${two.fds[0]}, ${two.fds[1]}: name one as ${two.pid}:FD`) },
  });
  expect(await host.handle({ kind: 'attach', pid: two.pid, fd: two.fds[2] })).toMatchObject({
    ok: false,
    error: { code: 'EBADF', message: expect.stringContaining(`descriptor ${two.fds[2]} of PID ${two.pid}`) },
  });
  const listed = await host.handle({ kind: 'listProcesses' });
  expect(listed.ok && listed.result).toEqual([
    expect.objectContaining({ pid: two.pid, fd: two.fds[0], sessionId: null }),
    expect.objectContaining({ pid: two.pid, fd: two.fds[1], sessionId: null }),
  ]);
});

test.skipIf(!addonCandidates().some((path) => existsSync(path)))('a descriptor that is not an ummunotify file: the kernel says ENOTTY, through the addon and the core', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ummu-attach-'));
  const device = join(dir, 'ummunotify');
  writeFileSync(device, '');
  const host = hostFor(device);
  const one = await holder([device]);
  const answer = await host.handle({ kind: 'attach', pid: one.pid });
  expect(answer).toMatchObject({ ok: false, error: { code: 'ENOTTY', message: expect.stringContaining('is not an open /dev/ummunotify file') } });
  expect(await host.handle({ kind: 'watchProcesses' })).toEqual({ ok: true, result: [] });
});

test('where the device does not exist, attaching to a live process says the module is not loaded', async () => {
  const device = join(mkdtempSync(join(tmpdir(), 'ummu-attach-')), 'ummunotify');
  const host = hostFor(device);
  const answer = await host.handle({ kind: 'attach', pid: process.pid });
  expect(answer).toMatchObject({
    ok: false,
    error: { code: 'ENODEV', message: expect.stringMatching(new RegExp(`^${device} does not exist \\(the ummunotify module is not loaded\\), so PID ${process.pid} \\(.*\\) cannot have it open$`)) },
  });
});
