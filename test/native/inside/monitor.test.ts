// Inside the VM, against the real module: the Monitor binding. Attaching by
// pid and fd, query, read, watch() batches from the epoll thread, close, and
// the readable errors a user meets (ESRCH, EBADF, ENOTTY, EBUSY, ENODEV,
// EPERM with the Yama hint).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  addonCandidates,
  attachMonitor,
  createArena,
  MONITOR_CLOSE_MM_GONE,
  MONITOR_HIT_QUEUED,
  MONITOR_READ_LAST,
  MONITOR_RECORD,
  openDevice,
  type MonitorRecord,
  type NativeMonitor,
  type WatchEnd,
} from '../../../native/lib/index';
import { EVENT_FLAG_HINT, QUERY_REG_QUEUED } from '../../../src/shared/domain';
import { inVm, PAGE, within } from '../helpers';

const skip = !inVm && 'needs the module (runs in the VM)';

/** Collects watch() batches until the end call. */
function collect(monitor: NativeMonitor): { records: MonitorRecord[]; batches: number; ended: Promise<WatchEnd> } {
  const out = { records: [] as MonitorRecord[], batches: 0, ended: undefined as unknown as Promise<WatchEnd> };
  out.ended = new Promise<WatchEnd>((resolve) => {
    monitor.watch(
      (records, end) => {
        out.records.push(...records);
        out.batches++;
        if (end !== undefined) resolve(end);
      },
      { maxDelayMs: 5 },
    );
  });
  return out;
}

test('a monitor on this process\'s own file: query, records from watch(), CLOSE and end of file', { skip }, async () => {
  const device = openDevice();
  const arena = createArena(4);
  const start = arena.base;
  device.register(start, start + 4n * BigInt(PAGE), 7n);
  arena.run({ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' });
  const monitor = attachMonitor(process.pid, device.fd);
  try {
    assert.equal(monitor.pid, process.pid);
    assert.equal(monitor.targetFd, device.fd);
    const snapshot = monitor.query();
    assert.equal(snapshot.seq, 0n);
    assert.equal(snapshot.dropped, 0n);
    assert.equal(snapshot.counter, 1n);
    assert.deepEqual(snapshot.queue, [7n]);
    assert.equal(snapshot.registrations[0].state & QUERY_REG_QUEUED, QUERY_REG_QUEUED);
    assert.deepEqual(monitor.read(16), [], 'nothing recorded since attaching');

    const seen = collect(monitor);
    arena.run({ op: 'madvise', page: 3, pages: 1, advice: 'DONTNEED' });
    assert.ok(device.read(16)?.length);
    device.unregister(7n);
    device.close();
    assert.equal(await within(seen.ended, 10000, 'the end of the watch'), 'eof');
    assert.deepEqual(
      seen.records.map((r) => r.type),
      [MONITOR_RECORD.INVALIDATE, MONITOR_RECORD.HIT, MONITOR_RECORD.READ, MONITOR_RECORD.UNREGISTER, MONITOR_RECORD.CLOSE],
    );
    assert.deepEqual(
      seen.records.map((r) => r.seq),
      [1n, 2n, 3n, 4n, 5n],
    );
    const [inval, hit, read, , close] = seen.records;
    assert.equal(inval.start, start + 3n * BigInt(PAGE));
    assert.equal(inval.aux, 1n);
    assert.equal(hit.cookie, 7n);
    assert.notEqual(hit.flags & MONITOR_HIT_QUEUED, 0, 'the report was already queued');
    assert.equal(hit.flags & EVENT_FLAG_HINT, 0, 'a second hit clears HINT');
    assert.equal(read.aux, 1n);
    assert.equal(read.flags & MONITOR_READ_LAST, MONITOR_READ_LAST);
    assert.equal(read.counter, 2n);
    assert.equal(close.flags & MONITOR_CLOSE_MM_GONE, 0, 'closed, not exited');
    assert.ok(seen.batches <= seen.records.length);
    assert.equal(monitor.read(16), null, 'end of file after CLOSE');
    assert.throws(() => monitor.query(), { code: 'ENODEV', message: /was closed/ });
  } finally {
    monitor.close();
    monitor.close();
    arena.close();
  }
  assert.equal(monitor.closed, true);
  assert.throws(() => monitor.query(), { code: 'EBADF', message: /monitor is closed/ });
});

test('attaching to another process: records of its work, then CLOSE when it exits', { skip }, async () => {
  // A shell opens the device as fd 3 (its own memory map), says so, and waits.
  // (Polling /proc/PID/fd/3 is not enough: between fork and exec that fd can
  // be the spawner's own pipe.)
  const owner = spawn('/bin/sh', ['-c', 'exec 3</dev/ummunotify; echo open; read line; exit 0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    await within(
      new Promise<void>((resolve) => owner.stdout!.once('data', () => resolve())),
      10000,
      'the owner opening the device',
    );
    const monitor = attachMonitor(owner.pid!, 3, { ringRecords: 1024, misses: true });
    const seen = collect(monitor);
    owner.stdin!.end('go\n');
    assert.equal(await within(seen.ended, 10000, 'the end of the watch'), 'eof');
    const last = seen.records.at(-1)!;
    assert.equal(last.type, MONITOR_RECORD.CLOSE);
    assert.equal(last.flags & MONITOR_CLOSE_MM_GONE, MONITOR_CLOSE_MM_GONE, 'the owner exited');
    monitor.close();
  } finally {
    owner.kill();
  }
});

test('attach errors say what is wrong: ESRCH, EBADF, ENOTTY, EBUSY, ENODEV', { skip }, async () => {
  const gone = spawnSync('/bin/true');
  assert.throws(() => attachMonitor(gone.pid!, 0), { code: 'ESRCH', message: /no process/ });
  assert.throws(() => attachMonitor(process.pid, 987), { code: 'EBADF', message: /has no open fd 987/ });
  const nul = openSync('/dev/null', 'r');
  try {
    assert.throws(() => attachMonitor(process.pid, nul), { code: 'ENOTTY', message: /is not an open \/dev\/ummunotify file/ });
  } finally {
    closeSync(nul);
  }
  const device = openDevice();
  const monitors: NativeMonitor[] = [];
  try {
    for (let i = 0; i < 8; i++) monitors.push(attachMonitor(process.pid, device.fd, { ringRecords: 1 }));
    assert.throws(() => attachMonitor(process.pid, device.fd), { code: 'EBUSY', message: /already has 8 monitors/ });
    assert.throws(() => attachMonitor(process.pid, device.fd, { ringRecords: 3 }), { code: 'EINVAL', message: /power of two/ });
  } finally {
    for (const m of monitors) m.close();
    device.close();
  }
  // The shell's memory map goes at exec; fd 3 stays open in sleep.
  const execd = spawn('/bin/sh', ['-c', 'exec 3</dev/ummunotify; exec sleep 30'], { stdio: 'ignore' });
  try {
    await within(
      new Promise<void>((resolve) => {
        const poll = (): void => {
          const comm = existsSync(`/proc/${execd.pid}/comm`) ? readFileSync(`/proc/${execd.pid}/comm`, 'utf8').trim() : '';
          if (comm === 'sleep') resolve();
          else setTimeout(poll, 10);
        };
        poll();
      }),
      10000,
      'the owner exec-ing',
    );
    assert.throws(() => attachMonitor(execd.pid!, 3), { code: 'ENODEV', message: /memory map of process \d+ is gone/ });
  } finally {
    execd.kill();
  }
});

test('another user gets EPERM, with the Yama ptrace_scope hint when Yama restricts attaching', { skip }, () => {
  const device = openDevice();
  try {
    // The unprivileged child loads the addon from a world-readable folder.
    const dir = mkdtempSync(join(tmpdir(), 'ummu-eperm-'));
    chmodSync(dir, 0o755);
    const built = addonCandidates().find((path) => existsSync(path));
    assert.ok(built, 'the addon is built');
    const addon = join(dir, 'ummunotify.node');
    copyFileSync(built, addon);
    chmodSync(addon, 0o755);
    const script = `try { new (require(${JSON.stringify(addon)}).Monitor)(${process.pid}, ${device.fd}); console.log('{}'); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    assert.equal(run.status, 0, `the unprivileged child failed: ${run.stderr}`);
    const result = JSON.parse(run.stdout.trim()) as { code?: string; message?: string };
    assert.equal(result.code, 'EPERM');
    assert.match(result.message ?? '', /needs ptrace access/);
    const yama = '/proc/sys/kernel/yama/ptrace_scope';
    const scope = existsSync(yama) ? Number(readFileSync(yama, 'utf8')) : 0;
    if (scope >= 1) assert.match(result.message ?? '', new RegExp(`Yama ptrace_scope is ${scope}`));
  } finally {
    device.close();
  }
});
