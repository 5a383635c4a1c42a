// Runs a TypeScript entry with plain node, through the TypeScript loader
// hooks the native tests use: `node scripts/run-ts.mjs FILE.ts [args...]`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
const hooks = fileURLToPath(new URL('../test/native/register-ts.mjs', import.meta.url));
const { status } = spawnSync(process.execPath, ['--import', hooks, entry, ...args], { stdio: 'inherit' });
process.exit(status ?? 1);
