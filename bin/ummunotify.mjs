#!/usr/bin/env node
// ummunotify serve [options]   the app's core behind a browser page (`npm run serve`)
// ummunotify agent [options]   the same, as a node's watcher: attaches to
//                              every process of this user that opens the device
// Builds the app if it has not been built, then runs out/main/serve.js.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: ummunotify serve|agent [options]  (--help lists the options)';
const [command, ...options] = process.argv.slice(2);
if (command !== 'serve' && command !== 'agent') {
  console.error(USAGE);
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = ['out/main/serve.js', 'out/renderer/index.html'].every((file) => existsSync(join(root, file)));
if (!built) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const args = command === 'agent' ? ['agent', ...options] : options;
const server = spawn(process.execPath, [join(root, 'out/main/serve.js'), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 1));
