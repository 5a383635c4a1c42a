import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const layers: { folder: string; forbidden: RegExp; why: string }[] = [
  { folder: 'src/main/core', forbidden: /^(electron|electron\/.*)$|\/(electron|renderer|preload)\//, why: 'the core runs headless' },
  { folder: 'src/shared', forbidden: /^(electron|node:.*)$|\/(main|renderer|preload)\//, why: 'shared code runs everywhere' },
  { folder: 'src/renderer', forbidden: /^(electron|node:.*)$|\/(main|preload)\//, why: 'the renderer is a sandboxed web page' },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

for (const { folder, forbidden, why } of layers) {
  test(`${folder} imports neither Electron nor a layer above it (${why})`, () => {
    const files = sources(join(root, folder));
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => forbidden.test(specifier))
        .map((specifier) => `${relative(root, file)}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
}

test('the import scanner sees the imports it must forbid', () => {
  const sample = join(root, 'src/main/electron/ipc.ts');
  expect(importsOf(sample)).toContain('electron');
});

test('src/main/core uses no bundler-only features, so it runs in plain Node (serve mode, the native tests)', () => {
  const offending = sources(join(root, 'src/main/core')).filter((file) => /import\.meta\.glob|vite\/client/.test(readFileSync(file, 'utf8')));
  expect(offending.map((file) => relative(root, file))).toEqual([]);
});
