import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// `npx vitest run` runs the unit suites; end-to-end suites have their own
// config (vitest.e2e.config.ts) because they need a build and a browser.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/renderer/**', 'test/renderer/**'],
          environment: 'node',
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}', 'test/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
    ],
  },
});
