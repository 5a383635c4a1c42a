// `npm run serve` (`ummunotify serve`): the session core headless, behind a
// loopback HTTP + WebSocket server that serves the same renderer the app
// shows. Prints the URL (with its token) to open in a browser. With
// --attach and --attach-all it also watches other processes through
// monitors; --record writes each one's session to a directory.
// `ummunotify agent` (first argument `agent`) is the same server as a
// node's watcher: --attach-all, and no device session of its own.

import { fileURLToPath } from 'node:url';
import { SessionHost } from '../core/session-host';
import { describeProcess } from '../core/backends/monitor/describe';
import { joinAgent, type JoinedAgent } from '../core/remote-agents';
import { agentRecordings, type AgentRecordings } from './agent-recordings';
import { AGENT_USAGE, SERVE_USAGE, parseAgentArgs, parseServeArgs, type ServeArgs } from './args';
import { forkLauncher } from './fork-launcher';
import { startServer } from './server';

/** How often --attach-all looks for processes that opened the device. */
const RESCAN_MS = 1000;

const agentMode = process.argv[2] === 'agent';
const say = (line: string): void => console.log(`ummunotify ${agentMode ? 'agent' : 'serve'}: ${line}`);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** --attach: each named process, or an error that stops the server (the user asked for it by name). */
async function attachNamed(host: SessionHost, args: ServeArgs, recordings: AgentRecordings | null): Promise<void> {
  for (const { pid, fd } of args.attach) {
    const target = fd === undefined ? `PID ${pid}` : `PID ${pid} fd ${fd}`;
    let session;
    try {
      session = await host.monitors.attach(pid, fd);
    } catch (err) {
      throw new Error(`cannot attach to ${target}: ${message(err)}`);
    }
    const process = session.info().process;
    if (process) say(`watching ${describeProcess(process)} (session ${session.id})`);
    await recordings?.watch(session);
  }
}

/**
 * --exit-when-idle: calls `stop` once something was watched and every
 * watched process has closed its file for `idleMs` (a new one resets it).
 */
function exitWhenIdle(idleMs: number, host: SessionHost, stop: () => void): () => void {
  let idleSince: number | null = null;
  const timer = setInterval(() => {
    const { monitors } = host;
    if (monitors.sessions().length === 0 || monitors.liveSessions().length > 0) idleSince = null;
    else if (idleSince === null) idleSince = Date.now();
    else if (Date.now() - idleSince >= idleMs) stop();
  }, 100);
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(agentMode ? 3 : 2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(agentMode ? AGENT_USAGE : SERVE_USAGE);
    process.exit(0);
  }
  const args = agentMode ? parseAgentArgs(argv) : parseServeArgs(argv);
  const deviceSessionEntry = fileURLToPath(new URL('./device-session.js', import.meta.url));
  const host = new SessionHost({
    launcher: forkLauncher,
    deviceSessionEntry,
    initialBackend: args.backend,
    ...(args.summarizeAbove !== null && { summarizeAbove: args.summarizeAbove }),
  });
  const session = await host.current();
  const joined: JoinedAgent[] = [];
  const recordings = args.recordDir === null ? null : agentRecordings(host, args.recordDir, say);
  await attachNamed(host, args, recordings);
  const stopWatching = args.attachAll
    ? host.monitors.watchAll(RESCAN_MS, {
        attached: (watched, identity) => {
          say(`watching ${describeProcess(identity)} (session ${watched.id})`);
          void recordings?.watch(watched);
        },
        failed: (pid, fd, err) => say(`cannot attach to PID ${pid} fd ${fd}: ${message(err)}`),
        // serve itself and the device session of its kernel backend are the app, not processes to watch.
        skip: (entry) => entry.pid === process.pid || entry.command.includes(deviceSessionEntry),
      })
    : () => undefined;
  for (const url of args.join) {
    const agent = await joinAgent(url, host.monitors, {
      joined: (backend, sessionId, address) => say(`showing ${describeProcess(backend.identity())} from the agent at ${address} (session ${sessionId})`),
      lost: (address, why) => say(`the agent at ${address}: ${why}`),
    }).catch((err: unknown) => {
      throw new Error(`--join: ${message(err)}`);
    });
    joined.push(agent);
  }
  const server = await startServer(host, {
    host: args.host,
    port: args.port,
    rendererRoot: fileURLToPath(new URL('../renderer/', import.meta.url)),
  });
  say(session.state().selection);
  if (args.attachAll) say(`watching every process of this user that opens /dev/ummunotify (rescan every ${RESCAN_MS / 1000} s)`);
  say(`listening on ${server.url}`);
  let stopping = false;
  let stopIdleWatch = (): void => undefined;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    stopWatching();
    stopIdleWatch();
    for (const agent of joined) agent.close();
    void (recordings?.finishAll() ?? Promise.resolve())
      .then(() => server.close())
      .then(() => host.close())
      .finally(() => process.exit(0));
  };
  if (args.exitWhenIdleMs !== null) {
    stopIdleWatch = exitWhenIdle(args.exitWhenIdleMs, host, () => {
      say(`every watched process has closed its file: exiting`);
      stop();
    });
  }
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`ummunotify ${agentMode ? 'agent' : 'serve'}: ${message(err)}`);
  process.exit(1);
});
