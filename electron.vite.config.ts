import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// The device-session process entry is written with the native addon; until
// it exists the app builds without it (the kernel backend then reports
// itself unavailable).
const deviceSessionEntry = resolve('src/main/device-session/index.ts');

const mainEntries: Record<string, string> = {
  index: resolve('src/main/index.ts'),
  serve: resolve('src/main/serve/index.ts'),
  ...(existsSync(deviceSessionEntry) ? { 'device-session': deviceSessionEntry } : {}),
};

export default defineConfig({
  main: {
    build: {
      rolldownOptions: { input: mainEntries },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads cannot load ES modules: emit one CommonJS file.
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
