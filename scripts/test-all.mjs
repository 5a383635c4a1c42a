// `npm test`: every suite, in order, with one summary. A suite whose tool
// is missing here (no Chromium, no QEMU...) is SKIPPED locally but FAILS
// when CI=true, so CI can never pass by not running something. The last
// line is exactly "N passed, N failed, N skipped" (counting suites), and
// the exit status is non-zero if any suite failed. `--skip WORD` (repeatable)
// skips the suites whose name contains WORD, e.g. `npm test -- --skip kernel`.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedElectron } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.env.CI === 'true';
const skipped = process.argv.flatMap((arg, i, argv) => (argv[i - 1] === '--skip' ? [arg] : []));

function onPath(tool) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, tool)));
}

const missing = (tools) => tools.filter((tool) => (tool.startsWith('/') ? !existsSync(tool) : !onPath(tool)));


/**
 * Each suite: `when` says whether it applies to this checkout at all (a
 * missing folder is not a failure); `needs` lists the tools it requires;
 * `run` is a list of commands run in order until one fails.
 */
const suites = [
  { name: 'typecheck', run: [['npx', 'tsc', '-b']] },
  { name: 'unit (vitest: core, model, recording, renderer)', run: [['npx', 'vitest', 'run']] },
  { name: 'build', run: [['npx', 'electron-vite', 'build']] },
  {
    name: 'e2e (serve mode in Chromium)',
    needs: ['/usr/bin/chromium'],
    run: [['npx', 'vitest', 'run', '--config', 'vitest.e2e.config.ts', 'test/e2e']],
  },
  {
    // Without an Electron binary: the built bundles against a recording
    // stand-in of Electron's API, then `npm start` itself (which leaves out/
    // rebuilt for production).
    name: 'Electron contract and npm start (no binary needed)',
    run: [
      ['npx', 'vitest', 'run', '--config', 'test/electron-contract/vitest.config.ts'],
      ['npx', 'vitest', 'run', '--config', 'test/electron-start/vitest.config.ts'],
    ],
  },
  {
    name: 'e2e (Electron app)',
    // No Electron binary can be downloaded here; this one is skipped, not failed, without one, even in CI.
    optional: installedElectron(root) === undefined,
    skipReason: 'no Electron binary: set ELECTRON_EXEC_PATH, or let npm start fetch one',
    run: [['npx', 'vitest', 'run', '--config', 'vitest.e2e.config.ts', 'test/electron/']],
  },
  {
    // Host suite (device absent), then the in-VM suites and the model-vs-kernel
    // conformance scripts on 6.1 and 6.12.
    name: 'native addon (host + QEMU VM, conformance)',
    needs: ['make', 'g++', 'python3', 'qemu-system-x86_64', 'busybox', 'cpio'],
    run: [['bash', 'test/native/run.sh']],
  },
  {
    name: 'kernel (QEMU VM tests)',
    when: existsSync(join(root, 'kernel/tests/vm/run-tests.sh')),
    needs: ['qemu-system-x86_64', 'busybox', 'cpio', 'make', 'gcc'],
    run: [['bash', 'kernel/tests/vm/run-tests.sh', 'all']],
  },
  {
    // A registration cache watched by a monitor: its records agree with the cache's log.
    name: 'regcache example vs monitor (QEMU VM)',
    needs: ['qemu-system-x86_64', 'busybox', 'cpio', 'make', 'gcc'],
    run: [['bash', 'examples/regcache/run-test.sh', 'all']],
  },
  {
    // Open MPI over soft-RoCE with libfabric's MR cache on the module: every
    // stale-registration scenario gives the right bytes (integrations/ci.sh).
    name: 'RDMA + MPI stack, libfabric ummunotify monitor (QEMU VM, 6.12)',
    needs: ['qemu-system-x86_64', 'busybox', 'cpio', 'mpicc', 'mpirun', 'rdma', 'ip', 'autoreconf', 'apt-get'],
    run: [['bash', 'integrations/ci.sh', '6.12']],
  },
];

const results = [];
for (const suite of suites) {
  if (suite.when === false) continue;
  const skipWord = skipped.find((word) => suite.name.includes(word));
  if (skipWord !== undefined) {
    results.push({ name: suite.name, outcome: 'SKIPPED', note: `--skip ${skipWord}` });
    continue;
  }
  if (suite.optional) {
    results.push({ name: suite.name, outcome: 'SKIPPED', note: suite.skipReason });
    continue;
  }
  const absent = missing(suite.needs ?? []);
  if (absent.length > 0) {
    results.push({ name: suite.name, outcome: ci ? 'FAILED' : 'SKIPPED', note: `missing ${absent.join(', ')}` });
    continue;
  }
  console.log(`\n=== ${suite.name}`);
  const started = Date.now();
  let status = 0;
  for (const [command, ...args] of suite.run) {
    status = spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
    if (status !== 0) break;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name: suite.name, outcome: status === 0 ? 'PASSED' : 'FAILED', note: `${seconds} s` });
}

console.log('\n=== summary');
for (const { name, outcome, note } of results) console.log(`${outcome.padEnd(8)} ${name}${note ? ` (${note})` : ''}`);
const count = (outcome) => results.filter((r) => r.outcome === outcome).length;
const failed = count('FAILED');
console.log(`${count('PASSED')} passed, ${failed} failed, ${count('SKIPPED')} skipped`);
process.exit(failed > 0 ? 1 : 0);
