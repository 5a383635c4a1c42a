// `npm run serve`: the session core headless, behind a loopback HTTP +
// WebSocket server that serves the same renderer the app shows. Prints the
// URL (with its token) to open in a browser.

import { fileURLToPath } from 'node:url';
import { SessionHost } from '../core/session-host';
import { parseServeArgs } from './args';
import { forkLauncher } from './fork-launcher';
import { startServer } from './server';

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  const host = new SessionHost({
    launcher: forkLauncher,
    deviceSessionEntry: fileURLToPath(new URL('./device-session.js', import.meta.url)),
    initialBackend: args.backend,
  });
  const session = await host.current();
  const server = await startServer(host, {
    host: args.host,
    port: args.port,
    rendererRoot: fileURLToPath(new URL('../renderer/', import.meta.url)),
  });
  console.log(`ummunotify serve: ${session.state().selection}`);
  console.log(`ummunotify serve: listening on ${server.url}`);
  const stop = (): void => {
    void server
      .close()
      .then(() => host.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`ummunotify serve: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
