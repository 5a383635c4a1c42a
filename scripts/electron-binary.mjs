// Where `npm start` finds Electron, decided as electron-vite decides it:
// ELECTRON_EXEC_PATH when set, else the binary that electron's installer
// named in node_modules/electron/path.txt. (ELECTRON_OVERRIDE_DIST_PATH is
// read by electron's own CLI, not by electron-vite, so it is not used.)

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const electronPackageDir = (root) => join(root, 'node_modules', 'electron');

/**
 * { path, from } for the binary `npm start` would run, or undefined when
 * there is none yet. `path` may still not exist (a wrong ELECTRON_EXEC_PATH,
 * a half-removed install): check it.
 */
export function electronExecutable(root, env = process.env) {
  if (env.ELECTRON_EXEC_PATH) return { path: env.ELECTRON_EXEC_PATH, from: 'ELECTRON_EXEC_PATH' };
  const pathFile = join(electronPackageDir(root), 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  return { path: join(electronPackageDir(root), 'dist', readFileSync(pathFile, 'utf8')), from: 'node_modules/electron/path.txt' };
}

/** The Electron binary that exists here, or undefined. */
export function installedElectron(root, env = process.env) {
  const found = electronExecutable(root, env);
  return found && existsSync(found.path) ? found : undefined;
}
