// `npm start`'s prestart: make sure electron-vite will find an Electron
// binary. Electron's npm package fetches its binary on first use, and
// electron-vite gives up before that happens ("Electron uninstall"), so the
// binary is fetched here, with Electron's own installer. Offline, that
// installer fails in about a second (no DNS) or after undici's 10 s connect
// timeout, but a network that accepts and never answers would hold it for
// minutes: it is stopped when nothing has arrived for STALL seconds. Every
// failure ends in one message that says what to do instead.

import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronExecutable, electronPackageDir, installedElectron } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stallSeconds = Number(process.env.UMMUNOTIFY_ELECTRON_STALL_SECONDS ?? 20);
const DESKTOP_NODE = [22, 12];

function fail(problem) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const oldNode = major < DESKTOP_NODE[0] || (major === DESKTOP_NODE[0] && minor < DESKTOP_NODE[1]);
  process.stderr.write(
    [
      '',
      `npm start: ${problem}`,
      ...(oldNode ? [`  (this is Node ${process.versions.node}; Electron's installer supports Node >= ${DESKTOP_NODE.join('.')})`] : []),
      '  With a network: run npm start again (behind a proxy or mirror, see ELECTRON_GET_USE_PROXY and ELECTRON_MIRROR).',
      '  With an Electron binary of your own: ELECTRON_EXEC_PATH=/path/to/electron npm start',
      '  Without Electron: npm run serve  (the same app in a browser)',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

function bytesUnder(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

/** Runs electron's install.js; resolves with null on success, else with why it failed. */
function runInstaller() {
  const downloads = mkdtempSync(join(tmpdir(), 'ummunotify-electron-'));
  const packageDir = electronPackageDir(root);
  // The installer downloads into os.tmpdir() and extracts into dist/: growth in either is progress.
  const child = spawn(process.execPath, [join(packageDir, 'install.js')], {
    env: { ...process.env, TMPDIR: downloads },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  let progress = -1;
  let lastProgressAt = Date.now();
  let stalled = false;
  const watchdog = setInterval(() => {
    const now = bytesUnder(downloads) + bytesUnder(join(packageDir, 'dist'));
    if (now !== progress) {
      progress = now;
      lastProgressAt = Date.now();
    } else if (Date.now() - lastProgressAt > stallSeconds * 1000) {
      stalled = true;
      child.kill();
    }
  }, 250);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearInterval(watchdog);
      rmSync(downloads, { recursive: true, force: true });
      if (stalled) return resolve(`nothing arrived for ${stallSeconds} s`);
      if (code === 0) return resolve(null);
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '');
      resolve(firstLine?.trim() ?? `the installer exited with status ${code}`);
    });
  });
}

const configured = electronExecutable(root);
if (configured?.from === 'ELECTRON_EXEC_PATH') {
  if (!installedElectron(root)) fail(`ELECTRON_EXEC_PATH is ${configured.path}, which does not exist.`);
  try {
    accessSync(configured.path, constants.X_OK);
  } catch {
    fail(`ELECTRON_EXEC_PATH is ${configured.path}, which is not executable.`);
  }
  process.exit(0);
}
if (installedElectron(root)) process.exit(0);

const { version } = JSON.parse(readFileSync(join(electronPackageDir(root), 'package.json'), 'utf8'));
process.stdout.write(`Fetching the Electron ${version} binary (first start only)...\n`);
const problem = await runInstaller();
if (problem !== null) fail(`no Electron binary yet, and fetching Electron ${version} failed: ${problem}.`);
if (!installedElectron(root)) fail(`Electron's installer finished but left no binary in ${join(electronPackageDir(root), 'dist')}.`);
