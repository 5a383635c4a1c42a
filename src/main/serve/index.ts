// `npm run serve`: the session core headless, behind a loopback HTTP +
// WebSocket server that serves the same renderer the app shows. Prints the
// URL (with its token) to open in a browser. With --attach and
// --attach-all it also watches other processes through monitors.

import { fileURLToPath } from 'node:url';
import { SessionHost } from '../core/session-host';
import { describeProcess } from '../core/backends/monitor/describe';
import { parseServeArgs, type ServeArgs } from './args';
import { forkLauncher } from './fork-launcher';
import { startServer } from './server';

/** How often --attach-all looks for processes that opened the device. */
const RESCAN_MS = 1000;

const say = (line: string): void => console.log(`ummunotify serve: ${line}`);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** --attach: each named process, or an error that stops the server (the user asked for it by name). */
async function attachNamed(host: SessionHost, args: ServeArgs): Promise<void> {
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
  }
}

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  const deviceSessionEntry = fileURLToPath(new URL('./device-session.js', import.meta.url));
  const host = new SessionHost({
    launcher: forkLauncher,
    deviceSessionEntry,
    initialBackend: args.backend,
  });
  const session = await host.current();
  await attachNamed(host, args);
  const stopWatching = args.attachAll
    ? host.monitors.watchAll(RESCAN_MS, {
        attached: (watched, identity) => say(`watching ${describeProcess(identity)} (session ${watched.id})`),
        failed: (pid, fd, err) => say(`cannot attach to PID ${pid} fd ${fd}: ${message(err)}`),
        // serve itself and the device session of its kernel backend are the app, not processes to watch.
        skip: (entry) => entry.pid === process.pid || entry.command.includes(deviceSessionEntry),
      })
    : () => undefined;
  const server = await startServer(host, {
    host: args.host,
    port: args.port,
    rendererRoot: fileURLToPath(new URL('../renderer/', import.meta.url)),
  });
  say(session.state().selection);
  if (args.attachAll) say(`watching every process of this user that opens /dev/ummunotify (rescan every ${RESCAN_MS / 1000} s)`);
  say(`listening on ${server.url}`);
  const stop = (): void => {
    stopWatching();
    void server
      .close()
      .then(() => host.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`ummunotify serve: ${message(err)}`);
  process.exit(1);
});
