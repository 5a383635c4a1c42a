// Builds the addon with node-gyp. Uses the headers that ship with the
// running Node when they are installed (Debian's nodejs, official tarballs),
// so a machine without access to nodejs.org can build it; Node-API 8 makes
// the result load in Electron unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `--install` (npm's postinstall): off Linux there is no device to drive,
// so the app runs on the model backend and the addon is not built.
if (process.argv.includes('--install') && process.platform !== 'linux') {
  console.log(`native addon: not built on ${process.platform} (it drives the Linux ummunotify device)`);
  process.exit(0);
}

const nativeDir = dirname(dirname(fileURLToPath(import.meta.url)));

// `--if-stale`: the test and bench scripts rebuild only when a source is
// newer than the built addon, so a pull never leaves them testing an old one.
if (process.argv.includes('--if-stale') && !addonIsStale()) process.exit(0);

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

function addonIsStale() {
  const built = join(nativeDir, 'build', 'Release', 'ummunotify.node');
  if (!existsSync(built)) return true;
  const sources = Math.max(newestSource(join(nativeDir, 'src')), newestSource(join(nativeDir, 'binding.gyp')));
  return sources > statSync(built).mtimeMs;
}
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, 'rebuild', `--directory=${nativeDir}`];
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include', 'node', 'common.gypi'))) args.push(`--nodedir=${prefix}`);
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(status ?? 1);
