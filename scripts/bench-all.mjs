// `npm run bench`: runs every benchmark folder's entry (bench/<name>/run.sh,
// else its *.mjs scripts) one after another. Benchmarks print ratios from
// one run; nothing here asserts timings. `npm run bench -- kernel` runs the
// named folders only.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const wanted = process.argv.slice(2);

function entries(folder) {
  const dir = join(benchDir, folder);
  if (existsSync(join(dir, 'run.sh'))) return [['bash', join(dir, 'run.sh')]];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => [process.execPath, join(dir, file)]);
}

const folders = existsSync(benchDir)
  ? readdirSync(benchDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && (wanted.length === 0 || wanted.includes(entry.name)))
      .map((entry) => entry.name)
  : [];

let failed = 0;
for (const folder of folders) {
  for (const [command, ...args] of entries(folder)) {
    console.log(`\n=== bench/${folder}: ${[command, ...args].map((a) => a.replace(`${root}/`, '')).join(' ')}`);
    const { status } = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (status !== 0) failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
