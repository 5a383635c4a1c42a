import { defineConfig } from 'vitest/config';

// End-to-end suites: one file at a time, generous timeouts (a real browser,
// a real Electron, a server process).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts', 'test/electron/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
