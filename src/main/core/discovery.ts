// Which processes have /dev/ummunotify open: every /proc/PID/fd/FD whose
// link is the device, with what the module prints in /proc/PID/fdinfo/FD
// (registrations, queued, counter, features, monitors, owner-alive), the
// command line, and the MPI rank from /proc/PID/environ. Reading these needs
// no privilege beyond /proc's own rules; attaching needs ptrace access,
// which the monitor checks (section 4a of the design).

import { readdir, readFile, readlink, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { u64ToHex } from '../../shared/u64';
import type { DeviceFileInfo, DiscoveredProcess } from '../../shared/messages';

export const DEVICE_PATH = '/dev/ummunotify';

/** The environment variables that name a process's MPI rank, in the order they are trusted. */
export const RANK_VARIABLES = ['OMPI_COMM_WORLD_RANK', 'PMIX_RANK', 'PMI_RANK', 'SLURM_PROCID'] as const;

export interface DiscoveryOptions {
  procRoot?: string;
  /** What the descriptors' links must name. */
  devicePath?: string;
  /** Whose processes are listed (default: this process's effective uid; root sees everyone's). */
  uid?: number;
  /** Also list other users' processes whose descriptors cannot be read, as not attachable. */
  otherUsers?: boolean;
  host?: string;
  /** Look at these processes only. */
  pids?: readonly number[];
}

/** The ummunotify lines of an fdinfo file; null when it has none (not our file, or an older module). */
export function parseFdinfo(text: string): DeviceFileInfo | null {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const number = (name: string): number | null => {
    const value = fields.get(name);
    return value !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : null;
  };
  const counter = fields.get('counter');
  const registrations = number('registrations');
  const queued = number('queued');
  const features = number('features');
  const monitors = number('monitors');
  const alive = number('owner-alive');
  if (counter === undefined || !/^\d+$/.test(counter) || registrations === null || queued === null || features === null || monitors === null || alive === null) {
    return null;
  }
  return { registrations, queued, counter: u64ToHex(BigInt(counter)), features, monitors, ownerAlive: alive !== 0 };
}

/** The MPI rank an /proc/PID/environ (NUL-separated) names, or null. */
export function mpiRank(environ: string): string | null {
  const env = new Map<string, string>();
  for (const entry of environ.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const name of RANK_VARIABLES) {
    const value = env.get(name);
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

/** /proc/PID/cmdline (NUL-separated arguments) as one line. */
export const commandLine = (cmdline: string): string => cmdline.replace(/\0+$/, '').split('\0').join(' ');

const errnoOf = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
}

async function commandOf(dir: string): Promise<string> {
  const line = commandLine(await readOr(join(dir, 'cmdline'), ''));
  if (line !== '') return line;
  // Kernel threads and zombies have no command line.
  return `[${(await readOr(join(dir, 'comm'), '?')).trim()}]`;
}

/** The command line of `pid`, or null when there is no such process. */
export async function processCommand(pid: number, procRoot = '/proc'): Promise<string | null> {
  const dir = join(procRoot, String(pid));
  try {
    await stat(dir);
  } catch {
    return null;
  }
  return commandOf(dir);
}

/** The device descriptors of one process; throws (EACCES, ENOENT) when its fd folder cannot be read. */
async function deviceFds(dir: string, devicePath: string): Promise<number[]> {
  const fds: number[] = [];
  for (const name of await readdir(join(dir, 'fd'))) {
    try {
      if ((await readlink(join(dir, 'fd', name))) === devicePath) fds.push(Number(name));
    } catch {
      // Closed while we looked.
    }
  }
  return fds.sort((a, b) => a - b);
}

async function describeProcess(pid: number, options: Required<Omit<DiscoveryOptions, 'pids'>>, ownerUid: number): Promise<DiscoveredProcess[]> {
  const dir = join(options.procRoot, String(pid));
  const identity = { pid, host: options.host, sessionId: null };
  let fds: number[];
  try {
    fds = await deviceFds(dir, options.devicePath);
  } catch (err) {
    const code = errnoOf(err);
    if (code === 'ENOENT' || code === 'ESRCH') return [];
    const owner = ownerUid === options.uid ? '' : `owned by uid ${ownerUid}: `;
    return [
      {
        ...identity,
        fd: null,
        command: await commandOf(dir),
        rank: null,
        file: null,
        attachable: false,
        problem: `${owner}cannot read ${join(dir, 'fd')} (${code}), so whether it has ${options.devicePath} open is unknown`,
      },
    ];
  }
  if (fds.length === 0) return [];
  const command = await commandOf(dir);
  let rank: string | null = null;
  let environProblem: string | undefined;
  try {
    rank = mpiRank(await readFile(join(dir, 'environ'), 'utf8'));
  } catch (err) {
    environProblem = `cannot read ${join(dir, 'environ')} (${errnoOf(err)}): its MPI rank is unknown`;
  }
  const found: DiscoveredProcess[] = [];
  for (const fd of fds) {
    const info = parseFdinfo(await readOr(join(dir, 'fdinfo', String(fd)), ''));
    const entry: DiscoveredProcess = { ...identity, fd, command, rank, file: info, attachable: info !== null };
    const problem = info === null ? `${join(dir, 'fdinfo', String(fd))} has no ummunotify lines (process gone, or a module without monitors)` : environProblem;
    found.push(problem === undefined ? entry : { ...entry, problem });
  }
  return found;
}

/** Every process (of `uid`, by default this one's) with the device open, by pid then fd. */
export async function discoverProcesses(options: DiscoveryOptions = {}): Promise<DiscoveredProcess[]> {
  const all: Required<Omit<DiscoveryOptions, 'pids'>> = {
    procRoot: options.procRoot ?? '/proc',
    devicePath: options.devicePath ?? DEVICE_PATH,
    uid: options.uid ?? process.geteuid?.() ?? 0,
    otherUsers: options.otherUsers ?? false,
    host: options.host ?? hostname(),
  };
  const pids = options.pids ? [...options.pids] : (await readdir(all.procRoot)).filter((name) => /^\d+$/.test(name)).map(Number);
  const found: DiscoveredProcess[][] = [];
  for (const pid of pids.sort((a, b) => a - b)) {
    let ownerUid: number;
    try {
      ownerUid = (await stat(join(all.procRoot, String(pid)))).uid;
    } catch {
      continue;
    }
    // Root reads everyone's descriptors; a user lists only their own unless asked.
    if (ownerUid !== all.uid && all.uid !== 0 && !all.otherUsers) continue;
    found.push(await describeProcess(pid, all, ownerUid));
  }
  return found.flat();
}
