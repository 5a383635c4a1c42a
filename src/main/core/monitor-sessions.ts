// The monitor sessions of a core: one read-only Session per watched file
// (section 4a of the design), several at once, beside the core's current
// session. Attaching finds the process through discovery (which names a
// missing process, a descriptor that is not the device, or the choice
// between several); the monitor itself decides ptrace access and says why
// it refuses. A session whose file closed stays, dead, for inspection
// until it is detached. watchAll() attaches to every process that opens
// the device, rescanning /proc. A monitor recording can join them as a
// replayed process (read-only, played to its end), so a recorded job is
// looked at as the live one was.

import { access } from 'node:fs/promises';
import { DEVICE_PATH, discoverProcesses, processCommand, type DiscoveryOptions } from './discovery';
import { createMonitorBackend, type MonitorBackendOptions } from './backends/monitor/index';
import type { RemoteBackend } from './backends/remote/index';
import { describeProcess } from './backends/monitor/describe';
import { createReplayBackend } from './backends/replay/index';
import type { Recording } from './recording/index';
import type { Backend } from './backend';
import { Session } from './session';
import { FEATURE_QUERY } from '../../shared/domain';
import type { DiscoveredProcess, HelloResult, ProcessIdentity, PushBatch } from '../../shared/messages';

export interface MonitorSessionsOptions extends MonitorBackendOptions {
  discovery?: DiscoveryOptions;
  flushIntervalMs?: number;
  /** Closed sessions kept for inspection; the oldest goes first (64 by default). */
  keepClosed?: number;
}

/** An attach that could not be made; `code` as the kernel or the discovery names it. */
export class AttachError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AttachError';
  }
}

interface Watched {
  session: Session;
  identity: ProcessIdentity;
  /** CLOSE was applied (a replayed recording has ended by the time it is shown). */
  ended: () => boolean;
  stopPush: () => void;
}

export interface WatchAllHooks {
  attached?(session: Session, identity: ProcessIdentity): void;
  /** Once per process and descriptor that could not be attached. */
  failed?(pid: number, fd: number, error: Error): void;
  /** Processes not to attach to (serve: itself and its own device session). */
  skip?(entry: DiscoveredProcess): boolean;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const keyOf = (pid: number, fd: number): string => `${pid}:${fd}`;

export class MonitorSessions {
  private readonly watched = new Map<number, Watched>();
  private readonly listeners = new Set<(batch: PushBatch) => void>();
  private readonly attaching = new Map<string, Promise<Session>>();

  constructor(private readonly options: MonitorSessionsOptions = {}) {}

  /** Pushed batches of every monitor session; returns an unsubscribe function. */
  onPush(listener: (batch: PushBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every process with the device open, and which session watches it. */
  async list(): Promise<DiscoveredProcess[]> {
    const found = await discoverProcesses(this.options.discovery);
    return found.map((entry) => ({ ...entry, sessionId: entry.fd === null ? null : (this.liveSession(entry.pid, entry.fd)?.session.id ?? null) }));
  }

  get(sessionId: number): Session | undefined {
    return this.watched.get(sessionId)?.session;
  }

  sessions(): Session[] {
    return [...this.watched.values()].map((w) => w.session);
  }

  /** Sessions whose process still has its file open. */
  liveSessions(): Session[] {
    return [...this.watched.values()].filter((w) => !w.ended()).map((w) => w.session);
  }

  /** Each session's greeting for a viewer that starts watching now. */
  hellos(limit?: number): HelloResult[] {
    return this.sessions().map((session) => ({ state: session.state(), snapshot: session.snapshot(), history: session.history(undefined, limit) }));
  }

  /** Watches descriptor `fd` of `pid` (or its only device descriptor); the live session if one already does. */
  attach(pid: number, fd?: number): Promise<Session> {
    const key = fd === undefined ? `${pid}` : keyOf(pid, fd);
    let pending = this.attaching.get(key);
    if (!pending) {
      pending = this.open(pid, fd).finally(() => this.attaching.delete(key));
      this.attaching.set(key, pending);
    }
    return pending;
  }

  /** A session of another core's agent (remote-agents.ts): read-only, its records on this core's clock. */
  joinRemote(backend: RemoteBackend, features: number): Session {
    const session = this.readOnlySession(backend, `monitor: ${backend.info().description}`, features, () => backend.time());
    backend.onRecord((record) => session.observed(record));
    this.add(session, backend.identity(), () => backend.ended());
    return session;
  }

  /**
   * A monitor recording (format 2) as a read-only replayed process beside
   * the live ones, played to its end at once; its journal keeps the
   * recorded times.
   */
  replay(name: string, recording: Recording): Session {
    const { header } = recording;
    const identity = header.process;
    if (header.backend !== 'monitor' || !identity) {
      throw new AttachError('EINVAL', `${name} is not a recording of a watched process (it recorded the ${header.backend} backend): open it with Open recording… instead`);
    }
    const replay = createReplayBackend(recording, { source: name });
    const session = this.readOnlySession(replay, `replay: opened ${name}`, header.features, () => replay.position().t);
    replay.onRecord((record) => session.observed(record));
    this.add(session, identity, () => true);
    while (replay.step() !== undefined);
    return session;
  }

  async detach(sessionId: number): Promise<void> {
    const watched = this.watched.get(sessionId);
    if (!watched) throw new AttachError('EINVAL', `no monitor session ${sessionId}`);
    this.watched.delete(sessionId);
    watched.stopPush();
    await watched.session.close();
  }

  /**
   * Attaches to every process that has the device open now, then rescans
   * every `intervalMs` for new ones. Returns the function that stops it.
   */
  watchAll(intervalMs: number, hooks: WatchAllHooks = {}): () => void {
    const failed = new Set<string>();
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const scan = async (): Promise<void> => {
      const found = await discoverProcesses(this.options.discovery).catch(() => []);
      const present = new Set<string>();
      for (const entry of found) {
        if (stopped || entry.fd === null || !entry.attachable) continue;
        if (hooks.skip?.(entry)) continue;
        const key = keyOf(entry.pid, entry.fd);
        present.add(key);
        if (failed.has(key) || this.liveSession(entry.pid, entry.fd)) continue;
        try {
          const session = await this.attach(entry.pid, entry.fd);
          hooks.attached?.(session, { pid: entry.pid, fd: entry.fd, command: entry.command, rank: entry.rank, host: entry.host });
        } catch (err) {
          failed.add(key);
          hooks.failed?.(entry.pid, entry.fd, err instanceof Error ? err : new Error(String(err)));
        }
      }
      // A descriptor that went away may come back (a new process, a reopen): try it again then.
      for (const key of failed) if (!present.has(key)) failed.delete(key);
    };
    const loop = (): void => {
      void scan().finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
    };
    loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  async close(): Promise<void> {
    const all = [...this.watched.keys()];
    await Promise.all(all.map((id) => this.detach(id)));
    this.listeners.clear();
  }

  private liveSession(pid: number, fd: number): Watched | undefined {
    for (const watched of this.watched.values()) {
      if (watched.identity.pid === pid && watched.identity.fd === fd && !watched.ended()) return watched;
    }
    return undefined;
  }

  private async open(pid: number, fd: number | undefined): Promise<Session> {
    const target = await this.find(pid, fd);
    const existing = this.liveSession(target.identity.pid, target.identity.fd);
    if (existing) return existing.session;
    const backend = await createMonitorBackend(target.identity, target.features, this.options);
    const session = this.readOnlySession(backend, `monitor: attached to ${describeProcess(target.identity)}`, target.features);
    backend.onRecord((record) => session.observed(record));
    this.add(session, target.identity, () => backend.ended());
    backend.start();
    return session;
  }

  /** A session over a watched (or once watched) file: the features it negotiated, QUERY always answered. */
  private readOnlySession(backend: Backend, selection: string, features: number, now?: () => number): Session {
    return new Session(backend, {
      selection,
      flushIntervalMs: this.options.flushIntervalMs ?? 16,
      features: { requested: features & ~FEATURE_QUERY, granted: features | FEATURE_QUERY },
      ...(now && { now }),
    });
  }

  private add(session: Session, identity: ProcessIdentity, ended: () => boolean): void {
    const stopPush = session.subscribe((batch) => {
      for (const listener of this.listeners) listener(batch);
    });
    this.watched.set(session.id, { session, identity, ended, stopPush });
    this.forgetOldClosed();
  }

  /** Who `pid` is and which descriptor to watch; the reasons it cannot be watched that /proc tells. */
  private async find(pid: number, fd: number | undefined): Promise<{ identity: ProcessIdentity; features: number }> {
    const device = this.options.discovery?.devicePath ?? DEVICE_PATH;
    const entries = await discoverProcesses({ ...this.options.discovery, pids: [pid], otherUsers: true });
    if (entries.length === 0) {
      const command = await processCommand(pid, this.options.discovery?.procRoot);
      if (command === null) throw new AttachError('ESRCH', `no process with PID ${pid}`);
      if (!(await exists(device))) throw new AttachError('ENODEV', `${device} does not exist (the ummunotify module is not loaded), so PID ${pid} (${command}) cannot have it open`);
      throw new AttachError('ENOENT', `PID ${pid} (${command}) has no ${device} open`);
    }
    const readable = entries.filter((entry) => entry.fd !== null);
    const first = entries[0];
    const base = { pid, command: first.command, rank: first.rank, host: first.host };
    if (readable.length === 0) {
      // Its descriptors cannot be read (another user): the monitor says whether it may attach.
      if (fd === undefined) throw new AttachError('EACCES', `PID ${pid}: ${first.problem ?? 'its descriptors cannot be read'}; name the descriptor as ${pid}:FD to try attaching`);
      return { identity: { ...base, fd }, features: 0 };
    }
    if (fd === undefined) {
      if (readable.length > 1) {
        throw new AttachError('EINVAL', `PID ${pid} (${first.command}) has ${device} open on descriptors ${readable.map((e) => e.fd).join(', ')}: name one as ${pid}:FD`);
      }
      const only = readable[0];
      return { identity: { ...base, fd: only.fd as number }, features: only.file?.features ?? 0 };
    }
    const chosen = readable.find((entry) => entry.fd === fd);
    if (!chosen) throw new AttachError('EBADF', `descriptor ${fd} of PID ${pid} (${first.command}) is not ${device} (it has: ${readable.map((e) => e.fd).join(', ')})`);
    return { identity: { ...base, fd }, features: chosen.file?.features ?? 0 };
  }

  private forgetOldClosed(): void {
    const keep = this.options.keepClosed ?? 64;
    const closed = [...this.watched.entries()].filter(([, w]) => w.ended());
    for (const [id, watched] of closed.slice(0, Math.max(0, closed.length - keep))) {
      this.watched.delete(id);
      watched.stopPush();
      void watched.session.close();
    }
  }
}
