// A recording stand-in for exactly the part of Electron's API that the
// built main and preload bundles use, each piece typed against
// electron.d.ts (a renamed or re-typed API fails to compile here), and
// behaving as Electron documents where the bundles could get it wrong:
// enableSandbox only before ready, windows and utility processes only
// after it, one handler per invoke channel, structured-clone copies across
// IPC, a contextBridge that copies what it exposes, a sandboxed preload
// that can require nothing but 'electron', utility processes that are real
// Node children with a process.parentPort, and an 'error' event that
// throws when nobody listens.

import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  ContextBridge,
  Dialog,
  ForkOptions,
  HandlerDetails,
  IpcMain,
  IpcMainInvokeEvent,
  IpcRenderer,
  IpcRendererEvent,
  Shell,
  UtilityProcess,
  WebContents,
  WebFrameMain,
  WindowOpenHandlerResponse,
} from 'electron';

/** Where the ESM shim (electron-main-module.mjs) finds the current stand-in. */
export const STAND_IN_KEY = Symbol.for('ummunotify.electron-stand-in');

/** Members the bundles use through Node's EventEmitter (on, once), checked by name. */
export type UsedThroughEmitter = [Pick<App, 'on'>, Pick<BrowserWindow, 'on' | 'once'>, Pick<WebContents, 'on'>, Pick<UtilityProcess, 'on' | 'once'>];

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
type RendererListener = Parameters<IpcRenderer['on']>[1];
type ElectronModule = typeof import('electron');
/** Compiles only when every name of T is an export of 'electron'. */
type ElectronExports<T> = keyof T extends keyof ElectronModule ? T : never;

export type MainElectron = ElectronExports<{
  app: AppStandIn;
  BrowserWindow: new (options?: BrowserWindowConstructorOptions) => BrowserWindowStandIn;
  dialog: Pick<Dialog, 'showErrorBox'>;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  shell: Pick<Shell, 'openExternal'>;
  utilityProcess: Pick<ElectronModule['utilityProcess'], 'fork'>;
}>;

export type RendererElectron = ElectronExports<{
  contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>;
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
}>;

/** The one place where a stand-in object is handed over as the Electron type it stands for. */
function asElectron<T>(value: object): T {
  return value as T;
}

export class FrameStandIn implements Pick<WebFrameMain, 'url'> {
  constructor(public url: string) {}
}

export class AppStandIn extends EventEmitter implements Pick<App, 'enableSandbox' | 'whenReady' | 'isReady' | 'isPackaged' | 'quit' | 'exit'> {
  isPackaged = false;
  private ready = false;
  private readonly readyPromise: Promise<void>;
  private resolveReady: () => void = () => undefined;

  constructor(private readonly world: ElectronStandIn) {
    super();
    this.readyPromise = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  enableSandbox(): void {
    if (this.ready) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.world.record('app.enableSandbox');
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  isReady(): boolean {
    return this.ready;
  }

  quit(): void {
    this.world.record('app.quit');
  }

  exit(exitCode = 0): void {
    this.world.record(`app.exit ${exitCode}`);
  }

  /** What Chromium's start-up does: 'ready', then whenReady() resolves. */
  becomeReady(): void {
    this.ready = true;
    this.world.record('app ready');
    this.emit('ready');
    this.resolveReady();
  }
}

export class WebContentsStandIn extends EventEmitter implements Pick<WebContents, 'send' | 'setWindowOpenHandler' | 'isDestroyed'> {
  readonly mainFrame = new FrameStandIn('about:blank');
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | undefined;
  /** What the page's ipcRenderer listens to, per channel. */
  readonly rendererListeners = new Map<string, Set<RendererListener>>();
  destroyed = false;

  constructor(private readonly world: ElectronStandIn) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const copies = structuredClone(args);
    const event = asElectron<IpcRendererEvent>({ sender: this.world.renderer.ipcRenderer });
    for (const listener of this.rendererListeners.get(channel) ?? []) listener(event, ...copies);
  }

  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Chromium asking main whether the page may navigate to `url`; true when main prevented it. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { url, preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class BrowserWindowStandIn extends EventEmitter implements Pick<BrowserWindow, 'loadURL' | 'loadFile' | 'show' | 'isDestroyed'> {
  readonly webContents: WebContentsStandIn;
  shown = false;

  constructor(
    private readonly world: ElectronStandIn,
    readonly options: BrowserWindowConstructorOptions,
  ) {
    super();
    if (!world.app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    this.webContents = new WebContentsStandIn(world);
    world.windows.push(this);
    world.record('new BrowserWindow');
  }

  async loadFile(filePath: string): Promise<void> {
    this.world.record(`window.loadFile ${filePath}`);
    const url = pathToFileURL(filePath).href;
    await Promise.resolve();
    if (this.world.loadFailure) throw new Error(`${this.world.loadFailure} loading '${url}'`);
    if (!existsSync(filePath)) throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    this.showPage(url);
  }

  async loadURL(url: string): Promise<void> {
    this.world.record(`window.loadURL ${url}`);
    await Promise.resolve();
    if (this.world.loadFailure) throw new Error(`${this.world.loadFailure} loading '${url}'`);
    this.showPage(url);
  }

  show(): void {
    this.shown = true;
    this.world.record('window.show');
  }

  isDestroyed(): boolean {
    return this.webContents.destroyed;
  }

  /** The user closes the window: Electron destroys it, then emits 'closed'. */
  close(): void {
    this.webContents.destroyed = true;
    this.world.record('window closed');
    this.emit('closed');
  }

  private showPage(url: string): void {
    this.webContents.mainFrame.url = url;
    const preload = this.options.webPreferences?.preload;
    if (preload) this.world.runSandboxedPreload(preload);
    this.emit('ready-to-show');
  }
}

export class UtilityProcessStandIn extends EventEmitter implements Pick<UtilityProcess, 'postMessage' | 'kill'> {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(
    private readonly world: ElectronStandIn,
    readonly modulePath: string,
    args: string[],
    readonly options: ForkOptions,
  ) {
    super();
    // What Electron gives a utility process that a plain fork does not: process.parentPort.
    const parentPort = fileURLToPath(new URL('./utility-parent-port.mjs', import.meta.url));
    this.child = fork(modulePath, args, {
      execArgv: ['--import', pathToFileURL(parentPort).href],
      serialization: 'advanced',
      stdio: options.stdio === 'inherit' ? 'inherit' : 'pipe',
    });
    this.child.on('message', (message: unknown) => this.emit('message', message));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.world.record(`utility exit ${code === null ? 'by signal' : code}`);
        this.emit('exit', code);
        resolve(code);
      });
    });
  }

  postMessage(message: unknown): void {
    this.child.send(message as object);
  }

  kill(): boolean {
    this.world.record('utility.kill');
    return this.child.kill();
  }

  /** Electron's report of a fatal V8 error in the child (an 'exit' follows). */
  fatalError(location: string): void {
    this.emit('error', 'FatalError', location, '{}');
  }
}

/** The exposed object as a page sees it: functions are proxies, values copies, promises re-made. */
function acrossContextBridge(value: unknown): unknown {
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => acrossContextBridge(fn(...args.map(acrossContextBridge)));
  }
  if (value instanceof Promise) return value.then(acrossContextBridge, (err: unknown) => Promise.reject(new Error(String((err as Error)?.message ?? err))));
  if (Array.isArray(value)) return value.map(acrossContextBridge);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, acrossContextBridge(member)]));
  }
  return value;
}

export class ElectronStandIn {
  /** Everything the bundles did, in order. */
  readonly calls: string[] = [];
  readonly windows: BrowserWindowStandIn[] = [];
  readonly utilityProcesses: UtilityProcessStandIn[] = [];
  readonly handlers = new Map<string, Handler>();
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly openedExternally: string[] = [];
  /** Set to make every page load fail with this network error, as a missing or broken page does. */
  loadFailure: string | undefined;
  /** What the preload exposed, as the page's window sees it. */
  readonly mainWorld: Record<string, unknown> = {};

  readonly app = new AppStandIn(this);

  /** The 'electron' module as the main process sees it. */
  readonly main: MainElectron;
  /** The 'electron' module as a sandboxed preload sees it. */
  readonly renderer: RendererElectron;

  constructor() {
    const world = this;
    const ipcMain: MainElectron['ipcMain'] = {
      handle(channel: string, listener: Handler): void {
        if (world.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        world.handlers.set(channel, listener);
        world.record(`ipcMain.handle ${channel}`);
      },
      removeHandler(channel: string): void {
        world.handlers.delete(channel);
        world.record(`ipcMain.removeHandler ${channel}`);
      },
    };
    const shell: MainElectron['shell'] = {
      async openExternal(url: string): Promise<void> {
        world.openedExternally.push(url);
      },
    };
    const dialog: MainElectron['dialog'] = {
      showErrorBox(title: string, content: string): void {
        world.errorBoxes.push({ title, content });
        world.record('dialog.showErrorBox');
      },
    };
    const utilityProcess: MainElectron['utilityProcess'] = {
      fork(modulePath: string, args: string[] = [], options: ForkOptions = {}): UtilityProcess {
        if (!world.app.isReady()) throw new Error('utilityProcess cannot be created before app is ready.');
        world.record(`utilityProcess.fork ${modulePath}`);
        const child = new UtilityProcessStandIn(world, modulePath, args, options);
        world.utilityProcesses.push(child);
        return asElectron<UtilityProcess>(child);
      },
    };
    this.main = {
      app: this.app,
      BrowserWindow: class extends BrowserWindowStandIn {
        constructor(options: BrowserWindowConstructorOptions = {}) {
          super(world, options);
        }
      },
      dialog,
      ipcMain,
      shell,
      utilityProcess,
    };

    const contextBridge: RendererElectron['contextBridge'] = {
      exposeInMainWorld(apiKey: string, api: unknown): void {
        if (apiKey in world.mainWorld) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
        world.mainWorld[apiKey] = acrossContextBridge(api);
        world.record(`contextBridge.exposeInMainWorld ${apiKey}`);
      },
    };
    const ipcRenderer: RendererElectron['ipcRenderer'] = {
      invoke: (channel: string, ...args: unknown[]): Promise<unknown> => {
        const page = world.windows.at(-1);
        if (!page) return Promise.reject(new Error('no window'));
        return world.invokeFrom(page.webContents, page.webContents.mainFrame, channel, ...args);
      },
      on(channel: string, listener: RendererListener) {
        const page = world.windows.at(-1);
        if (!page) throw new Error('no window');
        const listeners = page.webContents.rendererListeners.get(channel) ?? new Set();
        listeners.add(listener);
        page.webContents.rendererListeners.set(channel, listeners);
        return asElectron<IpcRenderer>(this);
      },
      removeListener(channel: string, listener: RendererListener) {
        for (const window of world.windows) window.webContents.rendererListeners.get(channel)?.delete(listener);
        return asElectron<IpcRenderer>(this);
      },
    };
    this.renderer = { contextBridge, ipcRenderer };
  }

  record(call: string): void {
    this.calls.push(call);
  }

  /** An invoke as Electron delivers it: arguments and result copied, the sender and its frame attached. */
  async invokeFrom(sender: WebContentsStandIn, frame: FrameStandIn, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = asElectron<IpcMainInvokeEvent>({ sender, senderFrame: frame, frameId: 1, processId: 1 });
    return structuredClone(await handler(event, ...structuredClone(args)));
  }

  /** Runs a built preload as a sandboxed renderer does: a CommonJS wrapper whose require knows only 'electron'. */
  runSandboxedPreload(preloadPath: string): void {
    this.record(`preload ${preloadPath}`);
    const source = readFileSync(preloadPath, 'utf8');
    const module = { exports: {} };
    // Reading anything the stand-in does not implement is a contract failure, not an undefined.
    const electron = new Proxy(this.renderer, {
      get(target, name) {
        if (typeof name === 'string' && !(name in target)) throw new Error(`the preload uses electron.${name}, which the contract does not cover`);
        return Reflect.get(target, name);
      },
    });
    const require = (id: string): unknown => {
      if (id === 'electron' || id === 'electron/renderer') return electron;
      throw new Error(`module not found: ${id} (a sandboxed preload can require only electron and a few polyfills)`);
    };
    const wrapper = runInNewContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { console }, { filename: preloadPath });
    (wrapper as (...args: unknown[]) => void)(module.exports, require, module, preloadPath, '.');
  }

  /** Makes this stand-in the 'electron' module for bundles imported from now on. */
  install(): void {
    (globalThis as Record<symbol, unknown>)[STAND_IN_KEY] = this;
  }
}
