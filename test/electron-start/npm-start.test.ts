// `npm start` as a user runs it, without a real Electron: the start path
// hands the freshly built main entry to the Electron that electron-vite
// finds (a stand-in executable named by ELECTRON_EXEC_PATH), and without a
// binary and without a network it stops within seconds with one message
// that says what to do instead.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installedElectron } from '../../scripts/electron-binary.mjs';
import { root, runNpmStart } from './run-npm-start';

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ummunotify-start-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  // npm start leaves a development build in out/; leave out/ as `npm run build` makes it.
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('electron-vite build failed');
});

interface StandInRecord {
  args: string[];
  cwd: string;
  rendererUrl: string | undefined;
  page: string;
}

/** An executable that records how it was started and what the dev server serves, then exits 0. */
function writeStandInElectron(recordFile: string): string {
  const path = join(scratch, 'electron');
  writeFileSync(
    path,
    `#!${process.execPath}
const { writeFileSync } = require('node:fs');
(async () => {
  const rendererUrl = process.env.ELECTRON_RENDERER_URL;
  const page = rendererUrl ? await (await fetch(rendererUrl)).text() : '';
  writeFileSync(${JSON.stringify(recordFile)}, JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), rendererUrl, page }));
})();
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('npm start with ELECTRON_EXEC_PATH', () => {
  test('electron-vite builds the app and hands its main entry to that executable, with the dev server running', async () => {
    const recordFile = join(scratch, 'record.json');
    const started = Date.now();
    const run = await runNpmStart({ ELECTRON_EXEC_PATH: writeStandInElectron(recordFile) });
    expect(run.stderr).not.toMatch(/Electron uninstall|npm start:/);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/Fetching the Electron/);

    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as StandInRecord;
    expect(record.args).toEqual(['.']);
    expect(record.cwd).toBe(root);
    // Electron resolves '.' through package.json's main: the main bundle this run just built.
    const { main } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    const entry = resolve(record.cwd, main);
    expect(entry).toBe(join(root, 'out/main/index.js'));
    expect(statSync(entry).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
    expect(readFileSync(entry, 'utf8')).toContain('app.enableSandbox()');
    expect(record.rendererUrl).toMatch(/^http:\/\/localhost:\d+\/?$/);
    expect(record.page).toContain('<title>ummunotify</title>');
  });

  test('an ELECTRON_EXEC_PATH that names nothing stops before the build, saying so', async () => {
    const run = await runNpmStart({ ELECTRON_EXEC_PATH: join(scratch, 'no-such-electron') });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`ELECTRON_EXEC_PATH is ${join(scratch, 'no-such-electron')}, which does not exist.`);
    expect(run.stderr).toContain('npm run serve');
    expect(run.stdout).not.toMatch(/dev server running|build the electron/i);
  });
});

// Only where no binary is installed: with one, npm start never fetches.
describe.skipIf(installedElectron(root, {}) !== undefined)('npm start without an Electron binary and without a network', () => {
  const sockets = new Set<Socket>();
  let silent: Server;

  beforeAll(async () => {
    // A server that accepts connections and never answers: the network that would hold an installer for minutes.
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => silent.close(done));
  });

  const offlineEnv = (mirror: string): NodeJS.ProcessEnv => ({ ELECTRON_MIRROR: mirror, electron_config_cache: join(scratch, 'cache') });

  function expectTheOneMessage(stderr: string): void {
    expect(stderr).toMatch(/npm start: no Electron binary yet, and fetching Electron [\d.]+ failed: /);
    expect(stderr).toContain('ELECTRON_EXEC_PATH=/path/to/electron npm start');
    expect(stderr).toContain('Without Electron: npm run serve');
    expect(stderr).not.toMatch(/Electron uninstall|at async/);
  }

  test('a refused connection: Electron\'s installer fails, and npm start stops within seconds with the message', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as { port: number };
    await new Promise((done) => closed.close(done));

    const run = await runNpmStart(offlineEnv(`http://127.0.0.1:${port}/`));
    expect(run.status).toBe(1);
    expectTheOneMessage(run.stderr);
    expect(run.stderr).toContain('fetch failed');
    expect(run.seconds).toBeLessThan(30);
    expect(installedElectron(root, {})).toBeUndefined();
  });

  test('a connection that never answers: the installer is stopped when nothing arrives, with the message', async () => {
    const { port } = silent.address() as { port: number };
    const run = await runNpmStart({ ...offlineEnv(`http://127.0.0.1:${port}/`), UMMUNOTIFY_ELECTRON_STALL_SECONDS: '2' });
    expect(run.status).toBe(1);
    expectTheOneMessage(run.stderr);
    expect(run.stderr).toContain('nothing arrived for 2 s');
    expect(run.seconds).toBeLessThan(30);
  });
});
