// The contract between the built app (out/main/index.js, out/preload/index.cjs)
// and Electron, checked without an Electron binary: the bundles run as
// built against a recording stand-in of the Electron API they use, and the
// real renderer client talks to the core through the bridge the preload
// exposes. The Electron e2e test (test/electron/) checks the same app in
// a real Electron wherever a binary exists.

import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { connectClient, RequestError, type UmmuClient } from '../../src/renderer/app/client';
import { FEATURES_ALL, type SessionOp } from '../../src/shared/domain';
import { IPC_REQUEST_CHANNEL, type PushBatch, type Request, type RequestKind, type Response, type ResultFor } from '../../src/shared/messages';
import { FrameStandIn, WebContentsStandIn, type BrowserWindowStandIn, type ElectronStandIn } from './electron-stand-in';
import { importBuiltMain, outFile, until } from './start-built-app';
import { monitorJobFixture } from '../fixtures/monitor-job/generate';

// Every request kind and operation, so that a new one fails to compile here until this test covers it.
const REQUEST_KINDS: Record<Exclude<RequestKind, 'op'> | `op ${SessionOp['op']}`, true> = {
  hello: true,
  history: true,
  newSession: true,
  'op negotiateFeatures': true,
  'op register': true,
  'op unregister': true,
  'op read': true,
  'op lab': true,
  'op query': true,
  setAutoRead: true,
  startRecording: true,
  stopRecording: true,
  openRecording: true,
  openProcessRecording: true,
  replayControl: true,
  listProcesses: true,
  attach: true,
  detach: true,
  watchProcesses: true,
};

const pageFile = outFile('renderer/index.html');
const pageUrl = pathToFileURL(pageFile).href;

let world: ElectronStandIn;
let window: BrowserWindowStandIn;
let client: UmmuClient;
const batches: PushBatch[] = [];
const monitorBatches: PushBatch[] = [];
const kindsAnswered = new Set<string>();

/** Requests the page makes, through the client, the bridge, the preload and ipcMain. */
function request<R extends Request>(r: R): Promise<ResultFor<R>> {
  const req: Request = r;
  kindsAnswered.add(req.kind === 'op' ? `op ${req.op.op}` : req.kind);
  return client.request(r);
}

const op = <O extends SessionOp>(o: O): Promise<ResultFor<{ kind: 'op'; op: O }>> => request({ kind: 'op', op: o });

beforeAll(async () => {
  // A stray dev-server variable must not move a built app's window (and the trust of its IPC) elsewhere.
  process.env.ELECTRON_RENDERER_URL = 'https://evil.example/';
  world = await importBuiltMain();
});

afterAll(async () => {
  await Promise.all(world.utilityProcesses.map((child) => (child.child.exitCode === null ? (child.kill(), child.exited) : undefined)));
});

describe('start-up', () => {
  test('the sandbox is enabled at load, before ready; nothing else happens until ready', () => {
    expect(world.calls).toEqual(['app.enableSandbox']);
  });

  test('after ready: one window, the built page, the IPC handler registered before the page runs, shown when ready to show', async () => {
    world.app.becomeReady();
    await until('the window to show', () => world.calls.includes('window.show'));
    const preload = outFile('preload/index.cjs');
    expect(world.calls).toEqual([
      'app.enableSandbox',
      'app ready',
      'new BrowserWindow',
      `window.loadFile ${pageFile}`,
      `ipcMain.handle ${IPC_REQUEST_CHANNEL}`,
      `preload ${preload}`,
      'contextBridge.exposeInMainWorld ummunotify',
      'window.show',
    ]);
    expect(world.windows).toHaveLength(1);
    window = world.windows[0] as BrowserWindowStandIn;
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(existsSync(preload)).toBe(true);
    expect(window.webContents.mainFrame.url).toBe(pageUrl);
  });

  test('the page gets the bridge and nothing else', () => {
    expect(Object.keys(world.mainWorld)).toEqual(['ummunotify']);
    expect(Object.keys(world.mainWorld.ummunotify as object).sort()).toEqual(['onMonitorPush', 'onPush', 'request']);
    (globalThis as { window?: unknown }).window = world.mainWorld;
    client = connectClient();
    expect(client.transport).toBe('electron');
    client.onPush((batch) => batches.push(batch));
    client.onMonitorPush((batch) => monitorBatches.push(batch));
  });
});

describe('every request kind, end to end through the bridge', () => {
  let base = 0n;
  let pageSize = 0n;
  const range = (page: number, pages: number): { start: bigint; end: bigint } => ({
    start: base + BigInt(page) * pageSize,
    end: base + BigInt(page + pages) * pageSize,
  });

  test('hello: the model session, and why', async () => {
    const hello = await request({ kind: 'hello' });
    expect(hello.state.backend.kind).toBe('model');
    expect(hello.state.selection).toMatch(/not present \(module not loaded\)/);
    base = BigInt(hello.state.arena.base);
    pageSize = BigInt(hello.state.arena.pageSize);
  });

  test('negotiateFeatures, register, lab, query, read, setAutoRead, unregister', async () => {
    expect(await op({ op: 'negotiateFeatures', requested: FEATURES_ALL })).toBe(FEATURES_ALL);
    expect(await op({ op: 'register', ...range(0, 4), cookie: 0x2an, flags: 0 })).toBeNull();
    const result = await op({ op: 'lab', lab: { op: 'munmap', page: 1, pages: 1 } });
    expect(result).toMatchObject({ op: 'munmap', ...range(1, 1) });
    const snapshot = await op({ op: 'query' });
    expect(snapshot.registrations.map((r) => r.cookie)).toEqual([0x2an]);
    expect(snapshot.queue).toEqual([0x2an]);
    const events = await op({ op: 'read', maxEvents: 8 });
    expect(events.map((e) => [e.type, e.cookieOrCounter])).toEqual([
      [0, 0x2an],
      [1, BigInt((await request({ kind: 'hello' })).state.counter)],
    ]);
    expect(await request({ kind: 'setAutoRead', enabled: true, maxEvents: 16 })).toBeNull();
    expect((await request({ kind: 'hello' })).state.autoRead).toBe(true);
    expect(await request({ kind: 'setAutoRead', enabled: false, maxEvents: 16 })).toBeNull();
    expect(await op({ op: 'unregister', cookie: 0x2an })).toBeNull();
    expect((await op({ op: 'query' })).registrations).toEqual([]);
  });

  test('history: the journal in pages, as a viewer catching up asks for it', async () => {
    const { state, history } = await request({ kind: 'hello', from: 1, limit: 2 });
    expect(history.first).toBe(1);
    expect(history.records).toHaveLength(2);
    const rest = await request({ kind: 'history', sessionId: state.sessionId, from: 3, limit: 1000 });
    expect(rest.first).toBe(3);
    expect(rest.first + rest.records.length).toBe(rest.end);
    expect(rest.records.at(-1)).toMatchObject({ kind: 'op', op: { op: 'unregister', cookie: 0x2an } });
  });

  test('a failed operation rejects with its errno, and the connection stays usable', async () => {
    await expect(op({ op: 'unregister', cookie: 0x99n })).rejects.toThrow(RequestError);
    await expect(op({ op: 'unregister', cookie: 0x99n })).rejects.toMatchObject({ error: { code: 'EINVAL' } });
    expect((await request({ kind: 'hello' })).state.dead).toBe(false);
  });

  test('recordings: start, stop with the file, open it as a replay, control the replay', async () => {
    expect(await request({ kind: 'startRecording' })).toBeNull();
    await op({ op: 'register', ...range(4, 2), cookie: 7n, flags: 0 });
    await op({ op: 'lab', lab: { op: 'madvise', page: 4, pages: 1, advice: 'DONTNEED' } });
    const file = await request({ kind: 'stopRecording' });
    expect(file.fileName).toMatch(/^session-.*\.ummutrace$/);
    expect(file.text.split('\n').length).toBeGreaterThan(3);
    const replay = await request({ kind: 'openRecording', name: file.fileName, text: file.text });
    expect(replay.backend.kind).toBe('replay');
    // It opens at its first event (the register), not at 0.
    expect(replay.replay).toMatchObject({ playing: false });
    expect(replay.replay?.position).toBeGreaterThan(0);
    expect(await request({ kind: 'replayControl', action: 'seek', position: 0 })).toBeNull();
    expect((await request({ kind: 'hello' })).state.replay?.position).toBe(0);
    expect(await request({ kind: 'replayControl', action: 'step' })).toBeNull();
    expect(await request({ kind: 'replayControl', action: 'speed', speed: 4 })).toBeNull();
    expect(await request({ kind: 'replayControl', action: 'play' })).toBeNull();
    expect(await request({ kind: 'replayControl', action: 'pause' })).toBeNull();
    const after = (await request({ kind: 'hello' })).state.replay;
    expect(after?.speed).toBe(4);
    expect(after?.position).toBeGreaterThan(0);
    await expect(request({ kind: 'openRecording', name: 'bad.ummutrace', text: 'not a recording\n' })).rejects.toMatchObject({
      error: { code: 'RecordingError', line: 1 },
    });
  });

  test('newSession: a new model session replaces the replay', async () => {
    const before = (await request({ kind: 'hello' })).state.sessionId;
    const state = await request({ kind: 'newSession', backend: 'model' });
    expect(state.backend.kind).toBe('model');
    expect(state.sessionId).not.toBe(before);
  });

  test('newSession kernel: the backend launches the built device-session entry, which answers (no device here) and is ended', async () => {
    const entry = outFile('main/device-session.js');
    expect(existsSync(entry)).toBe(true);
    await expect(request({ kind: 'newSession', backend: 'kernel' })).rejects.toMatchObject({
      error: { code: 'ENOENT', message: expect.stringMatching(/\/dev\/ummunotify not present/) },
    });
    expect(world.calls).toContain(`utilityProcess.fork ${entry}`);
    const child = world.utilityProcesses.at(-1);
    expect(child?.modulePath).toBe(entry);
    await child?.exited;
    expect(world.calls.slice(-2)).toEqual(['utility.kill', 'utility exit by signal']);
  });

  test("a utility process's fatal error is logged, not thrown into main", () => {
    const child = world.utilityProcesses.at(-1);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => child?.fatalError('v8::ToLocalChecked')).not.toThrow();
      expect(logged).toHaveBeenCalledWith('device session: FatalError at v8::ToLocalChecked');
    } finally {
      logged.mockRestore();
    }
  });

  test('processes: none has the device open here; attaching to a missing process or detaching an unknown session says why', async () => {
    expect(await request({ kind: 'listProcesses' })).toEqual([]);
    expect(await request({ kind: 'watchProcesses' })).toEqual([]);
    await expect(request({ kind: 'attach', pid: 4_194_303 })).rejects.toMatchObject({ error: { code: 'ESRCH', message: 'no process with PID 4194303' } });
    await expect(request({ kind: 'attach', pid: process.pid })).rejects.toMatchObject({
      error: { code: 'ENODEV', message: expect.stringMatching(/^\/dev\/ummunotify does not exist \(the ummunotify module is not loaded\), so PID \d+ \(.*\) cannot have it open$/) },
    });
    await expect(request({ kind: 'detach', sessionId: 999 })).rejects.toMatchObject({ error: { code: 'EINVAL', message: 'no monitor session 999' } });
  });

  test('pushes arrive as decoded batches, numbered without gaps, carrying what happened', async () => {
    await op({ op: 'register', ...range(0, 1), cookie: 3n, flags: 0 });
    await op({ op: 'lab', lab: { op: 'munmap', page: 0, pages: 1 } });
    const sessionId = (await request({ kind: 'hello' })).state.sessionId;
    await until('a push of the munmap', () =>
      batches.some(
        (b) => b.sessionId === sessionId && b.items.some((i) => i.kind === 'record' && i.record.kind === 'notice' && i.record.notice.kind === 'invalidation'),
      ),
    );
    // This session began after the page subscribed: it saw every batch, numbered from 0 without a gap.
    const seqs = batches.filter((b) => b.sessionId === sessionId).map((b) => b.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const items = batches.filter((b) => b.sessionId === sessionId).flatMap((b) => b.items);
    expect(items.some((i) => i.kind === 'snapshot' && i.snapshot.registrations.some((r) => r.cookie === 3n))).toBe(true);
    // The register is a record of its own, numbered in the session's journal.
    const records = items.flatMap((i) => (i.kind === 'record' ? [i] : []));
    expect(records.map((r) => r.n)).toEqual(records.map((_, i) => i));
    expect(records.some((r) => r.record.kind === 'op' && r.record.op.op === 'register' && r.record.op.cookie === 3n)).toBe(true);
  });

  test('a monitor recording opened as a process: its batches come through the preload on the monitor channel, after watchProcesses', async () => {
    expect(await request({ kind: 'watchProcesses' })).toEqual([]);
    const [file] = monitorJobFixture();
    const state = await request({ kind: 'openProcessRecording', name: file.name, text: file.text });
    expect(state.backend).toMatchObject({ kind: 'replay', process: { pid: 31001, rank: '0' } });
    await until('its records on the monitor channel', () => monitorBatches.some((b) => b.sessionId === state.sessionId && b.items.some((i) => i.kind === 'record')));
    // Not mixed into the current session's channel.
    expect(batches.some((b) => b.sessionId === state.sessionId)).toBe(false);
    expect((await request({ kind: 'watchProcesses' })).map((h) => h.state.sessionId)).toEqual([state.sessionId]);
    await request({ kind: 'detach', sessionId: state.sessionId });
    expect(await request({ kind: 'watchProcesses' })).toEqual([]);
  });

  test('all request kinds were answered', () => {
    expect([...kindsAnswered].sort()).toEqual(Object.keys(REQUEST_KINDS).sort());
  });
});

describe('what main refuses', () => {
  const invoke = (sender: WebContentsStandIn, frame: FrameStandIn, raw: unknown): Promise<Response> =>
    world.invokeFrom(sender, frame, IPC_REQUEST_CHANNEL, raw) as Promise<Response>;
  const refused = { ok: false, error: { code: 'EACCES', message: 'request from a frame that is not the app' } };

  test('a request the preload would never send is refused by main as well', async () => {
    const bridge = world.mainWorld.ummunotify as { request(raw: unknown): Promise<unknown> };
    await expect((async () => bridge.request({ kind: 'op', op: { op: 'register' } }))()).rejects.toThrow('request.op.start: missing');
    expect(await invoke(window.webContents, window.webContents.mainFrame, { kind: 'op', op: { op: 'register' } })).toMatchObject({
      ok: false,
      error: { code: 'CodecError', message: 'request.op.start: missing' },
    });
  });

  test('requests from a subframe, another page, another web contents or the stray dev-server origin are refused', async () => {
    expect(await invoke(window.webContents, new FrameStandIn(pageUrl), { kind: 'hello' })).toEqual(refused);
    expect(await invoke(new WebContentsStandIn(world), window.webContents.mainFrame, { kind: 'hello' })).toEqual(refused);
    for (const url of ['https://evil.example/', pathToFileURL(outFile('renderer/other.html')).href, 'about:blank']) {
      window.webContents.mainFrame.url = url;
      expect(await invoke(window.webContents, window.webContents.mainFrame, { kind: 'hello' })).toEqual(refused);
    }
    window.webContents.mainFrame.url = pageUrl;
    expect(await invoke(window.webContents, window.webContents.mainFrame, { kind: 'hello' })).toMatchObject({ ok: true });
  });

  test('navigation away from the page is prevented; new windows are denied, https links go to the browser', () => {
    expect(window.webContents.navigate('https://evil.example/')).toBe(true);
    expect(window.webContents.navigate(pageUrl)).toBe(false);
    const open = window.webContents.windowOpenHandler;
    for (const url of ['https://example.org/doc', 'http://example.org/', 'file:///etc/passwd']) expect(open?.({ url } as never)).toEqual({ action: 'deny' });
    expect(world.openedExternally).toEqual(['https://example.org/doc']);
  });
});

describe('shutdown', () => {
  test('closing the window unregisters IPC, stops pushes, closes the session; the last window closed quits', async () => {
    // A batch is still pending (the batcher flushes every 16 ms) when the window goes:
    // sending it to the destroyed window would throw in main.
    await op({ op: 'lab', lab: { op: 'touch', page: 2, pages: 1 } });
    const sent = batches.length;
    window.close();
    expect(world.calls.slice(-2)).toEqual(['window closed', `ipcMain.removeHandler ${IPC_REQUEST_CHANNEL}`]);
    expect(world.handlers.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches.length).toBe(sent);
    world.app.emit('window-all-closed');
    expect(world.calls.at(-1)).toBe('app.quit');
    await expect(client.request({ kind: 'hello' })).rejects.toThrow(/No handler registered/);
    expect(world.utilityProcesses.every((child) => child.child.exitCode !== null || child.child.signalCode !== null)).toBe(true);
  });
});
