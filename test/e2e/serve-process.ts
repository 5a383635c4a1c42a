// Starts serve mode (the built out/main/serve.js) on a free loopback port
// and reads the URL it prints; asks a running one for its session state.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll } from 'vitest';

export const root = join(import.meta.dirname, '../..');

export interface ServeProcess {
  url: URL;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function ensureBuilt(): void {
  if (existsSync(join(root, 'out/main/serve.js')) && existsSync(join(root, 'out/renderer/index.html'))) return;
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

/** Serve mode with `args`; `nodeArgs` go to node itself (e.g. --cpu-prof). */
export function startServe(args: string[] = [], nodeArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'out/main/serve.js'), '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`serve mode printed no URL:\n${output}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`serve mode exited with ${code}:\n${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: new URL(match[1]), child, stop });
      }
    });
  });
}

/** The part of the session state the tests read (its wire form). */
export interface HelloStateData {
  arena: { base: string; pages: number; pageSize: number };
  features: { requested: number; granted: number } | null;
}

/** The session state as hello returns it, over a WebSocket of our own with the token. */
export function helloState(url: URL): Promise<HelloStateData> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${url.host}/ws${url.search}`);
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, request: { kind: 'hello' } })));
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; response?: { ok: boolean; result: { state: HelloStateData } } };
      if (frame.type !== 'response' || !frame.response?.ok) return;
      ws.close();
      resolve(frame.response.result.state);
    });
    ws.once('error', reject);
  });
}

/** Serve mode for one test file: started before its tests, stopped after them with the browser they opened. */
export interface ServeSuite {
  serve: ServeProcess;
  browser?: { close(): Promise<void> };
}

export function serveForSuite(args: string[]): ServeSuite {
  const suite = {} as ServeSuite;
  beforeAll(async () => {
    ensureBuilt();
    suite.serve = await startServe(args);
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.serve?.stop();
  });
  return suite;
}
