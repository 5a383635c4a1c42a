// Runs keeping-up.ts with plain node, through the TypeScript loader hooks.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const { status } = spawnSync(process.execPath, [here('../../scripts/run-ts.mjs'), here('./keeping-up.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(status ?? 1);
