import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm start` for real: the prestart check, electron-vite's dev build and
// dev server, and whatever Electron it finds. One file at a time, since
// each run rebuilds out/.
export default defineConfig({
  root: join(import.meta.dirname, '../..'),
  test: {
    include: ['test/electron-start/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
