// Where the device-session entry is, seen from the module that starts it.
// In the built app that module is out/main/index.js or, after code
// splitting, a chunk in out/main/chunks/, while the entry is always
// out/main/device-session.js; in the source tree (run through a TypeScript
// loader) it is src/main/device-session/index.ts.

import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILT_ENTRY = 'device-session.js';
const CHUNKS_DIR = 'chunks';

/** The device-session entry for the kernel backend module at `moduleUrl` (its import.meta.url). */
export function deviceSessionEntryFor(moduleUrl: string): string {
  const modulePath = fileURLToPath(moduleUrl);
  let dir = dirname(modulePath);
  if (modulePath.endsWith('.ts')) return resolve(dir, '..', '..', '..', 'device-session', 'index.ts');
  if (basename(dir) === CHUNKS_DIR) dir = dirname(dir);
  return join(dir, BUILT_ENTRY);
}
