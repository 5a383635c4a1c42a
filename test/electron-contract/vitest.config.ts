import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = join(import.meta.dirname, '../..');

// The built bundles are imported by Node itself, not transformed by vite,
// so that they run exactly as built and their 'electron' import goes
// through the module hooks (electron-resolve-hooks.mjs).
export default defineConfig({
  root,
  test: {
    include: ['test/electron-contract/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/electron-contract/build-once.ts'],
    server: { deps: { external: [/[\\/]out[\\/](main|preload)[\\/]/] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
