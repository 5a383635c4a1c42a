// Builds the addon with node-gyp. Uses the headers that ship with the
// running Node when they are installed (Debian's nodejs, official tarballs),
// so a machine without access to nodejs.org can build it; Node-API 8 makes
// the result load in Electron unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
const nodeGyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
const args = [nodeGyp, 'rebuild', `--directory=${nativeDir}`];
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include', 'node', 'common.gypi'))) args.push(`--nodedir=${prefix}`);
const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(status ?? 1);
