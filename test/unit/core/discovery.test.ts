// Discovery against the real /proc of processes this test starts: a child
// that holds a file open (standing for the device, which the host lacks)
// is found with its descriptor, command line and MPI rank. The fdinfo
// parser reads text the module printed in the VM (kernel/file.c).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { commandLine, discoverProcesses, mpiRank, parseFdinfo, processCommand } from '../../../src/main/core/discovery';

// /proc/PID/fdinfo/FD of regcache-demo's file before it worked, as the module printed it in the 6.12 VM
// (test/native/inside/monitor-core.test.ts prints it); FDINFO is the same with a file in use.
const FRESH = 'pos:\t0\nflags:\t02104000\nmnt_id:\t30\nino:\t101\nregistrations:\t0\nqueued:\t0\ncounter:\t0\nfeatures:\t0x0\nmonitors:\t0\nowner-alive:\t1\n';
const FDINFO = FRESH.replace('registrations:\t0', 'registrations:\t12')
  .replace('queued:\t0', 'queued:\t3')
  .replace('counter:\t0', 'counter:\t18446744073709551615')
  .replace('features:\t0x0', 'features:\t0x9')
  .replace('monitors:\t0', 'monitors:\t1');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

/** A child that opens `path` and says which descriptor it got. */
async function holder(path: string, env: Record<string, string>): Promise<{ pid: number; fd: number }> {
  const child = spawn(process.execPath, ['-e', `const fd = require('fs').openSync(${JSON.stringify(path)}, 'r'); console.log(fd); setInterval(() => {}, 1000);`, 'extra-arg'], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  children.push(child);
  const fd = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  return { pid: child.pid as number, fd };
}

test('the ummunotify lines of an fdinfo file', () => {
  expect(parseFdinfo(FRESH)).toEqual({ registrations: 0, queued: 0, counter: '0x0', features: 0, monitors: 0, ownerAlive: true });
  expect(parseFdinfo(FDINFO)).toEqual({ registrations: 12, queued: 3, counter: '0xffffffffffffffff', features: 9, monitors: 1, ownerAlive: true });
  expect(parseFdinfo(FDINFO.replace('owner-alive:\t1', 'owner-alive:\t0'))).toMatchObject({ ownerAlive: false });
  // Another file's fdinfo (or a module without monitors) has none of them.
  expect(parseFdinfo('pos:\t0\nflags:\t02\nmnt_id:\t22\nino:\t5\n')).toBeNull();
  expect(parseFdinfo(FDINFO.replace('queued:\t3\n', ''))).toBeNull();
});

test('the MPI rank: Open MPI first, then PMIx, PMI, Slurm', () => {
  expect(mpiRank('PATH=/bin\0SLURM_PROCID=7\0PMI_RANK=3\0')).toBe('3');
  expect(mpiRank('SLURM_PROCID=7\0')).toBe('7');
  expect(mpiRank('PMIX_RANK=2\0OMPI_COMM_WORLD_RANK=5\0')).toBe('5');
  expect(mpiRank('PMIX_RANK=\0HOME=/\0')).toBeNull();
  expect(commandLine('node\0-e\0x\0')).toBe('node -e x');
});

test('a process holding the device path open is found with its descriptor, command line and rank', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ummu-discovery-'));
  const device = join(dir, 'ummunotify');
  writeFileSync(device, '');
  const ranked = await holder(device, { PMIX_RANK: '4' });
  const plain = await holder(device, {});
  const found = await discoverProcesses({ devicePath: device });
  expect(found.map((p) => p.pid).sort()).toEqual([ranked.pid, plain.pid].sort());
  const entry = found.find((p) => p.pid === ranked.pid);
  expect(entry).toMatchObject({ fd: ranked.fd, rank: '4', host: hostname(), sessionId: null, file: null, attachable: false });
  expect(entry?.command).toMatch(/-e .*openSync.* extra-arg$/);
  // A plain file's fdinfo has no ummunotify lines: listed, not attachable, and why.
  expect(entry?.problem).toMatch(new RegExp(`/proc/${ranked.pid}/fdinfo/${ranked.fd} has no ummunotify lines`));
  expect(found.find((p) => p.pid === plain.pid)?.rank).toBeNull();
  // Looking at one process only.
  expect((await discoverProcesses({ devicePath: device, pids: [plain.pid] })).map((p) => p.pid)).toEqual([plain.pid]);
  // Nobody holds the real device on this machine's other paths.
  expect(await discoverProcesses({ devicePath: join(dir, 'nothing') })).toEqual([]);
});

test("another user's processes: skipped, or listed as not attachable with the reason", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ummu-discovery-'));
  const device = join(dir, 'ummunotify');
  writeFileSync(device, '');
  const mine = await holder(device, {});
  // As if we were uid 12345: our own processes are now another user's.
  const asOther = await discoverProcesses({ devicePath: device, uid: 12345, pids: [mine.pid] });
  expect(asOther).toEqual([]);
  const listed = await discoverProcesses({ devicePath: device, uid: 12345, pids: [mine.pid], otherUsers: true });
  // Root reads every descriptor, so the entry is complete; an unprivileged viewer gets fd null and the EACCES reason (VM test).
  expect(listed.map((p) => p.pid)).toEqual([mine.pid]);
});

test('the command of a process, or null when there is none', async () => {
  expect(await processCommand(process.pid)).toContain(process.execPath.split('/').at(-1));
  expect(await processCommand(4_194_303)).toBeNull();
});
