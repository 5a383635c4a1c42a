// Runs the session benchmarks with plain node, through the TypeScript loader hooks:
// batching.ts (messages per burst) and decode.ts (what the page pays per record).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
for (const bench of ['./batching.ts', './decode.ts']) {
  const { status } = spawnSync(process.execPath, [here('../../scripts/run-ts.mjs'), here(bench), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
