// The kernel backend's default device-session entry: right from the source
// tree and from every place the built main bundle may put the backend.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { deviceSessionEntryFor } from '../../../src/main/core/backends/kernel/entry-script';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const built = resolve(repo, 'out', 'main', 'device-session.js');

test('from the source tree the entry is the device-session TypeScript entry, which exists', () => {
  const entry = deviceSessionEntryFor(pathToFileURL(resolve(repo, 'src/main/core/backends/kernel/index.ts')).href);
  assert.equal(entry, resolve(repo, 'src/main/device-session/index.ts'));
  assert.ok(existsSync(entry));
});

test('from the built app the entry is out/main/device-session.js, whether the backend is in a chunk or in the main bundle', () => {
  assert.equal(deviceSessionEntryFor(pathToFileURL(resolve(repo, 'out/main/chunks/kernel-DC_rgl-9.js')).href), built);
  assert.equal(deviceSessionEntryFor(pathToFileURL(resolve(repo, 'out/main/index.js')).href), built);
});
