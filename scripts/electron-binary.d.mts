export interface ElectronExecutable {
  path: string;
  from: 'ELECTRON_EXEC_PATH' | 'node_modules/electron/path.txt';
}
export function electronPackageDir(root: string): string;
export function electronExecutable(root: string, env?: NodeJS.ProcessEnv): ElectronExecutable | undefined;
export function installedElectron(root: string, env?: NodeJS.ProcessEnv): ElectronExecutable | undefined;
