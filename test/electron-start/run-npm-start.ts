// Runs `npm start` in the project with a controlled environment and
// collects what it printed, its status and how long it took.

import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '../..');

export interface StartRun {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** The caller's environment without what would change electron-vite's mode or where Electron is fetched from. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(NODE_ENV|VITEST.*|ELECTRON_.*|npm_config_electron_.*|NPM_CONFIG_ELECTRON_.*|electron_config_cache)$/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

export function runNpmStart(env: NodeJS.ProcessEnv, timeoutMs = 150_000): Promise<StartRun> {
  const started = Date.now();
  const child = spawn('npm', ['start'], { cwd: root, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}
