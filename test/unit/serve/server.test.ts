// The serve-mode server over real sockets: a bad message is answered with
// an error and the connection stays usable; a page without the right token
// says what happened and how to get the right address; refusals are logged
// one line each, and a flood of them does not flood the log; a viewer that
// cannot keep up is sent no more until it drains, and loses nothing.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { SessionHost } from '../../../src/main/core/session-host';
import { rateLimitedLog } from '../../../src/main/serve/rate-limited-log';
import { startServer, type RunningServer } from '../../../src/main/serve/server';

/** A host on the model backend (no device session in these tests). */
const modelHost = (): SessionHost =>
  new SessionHost({
    launcher: () => {
      throw new Error('no device session here');
    },
    deviceSessionEntry: '/nonexistent',
    devicePath: '/nonexistent/ummunotify',
    initialBackend: 'model',
  });

let host: SessionHost;
let server: RunningServer;
let root: string;
const logged: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ummunotify-serve-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  host = modelHost();
  server = await startServer(host, { host: '127.0.0.1', port: 0, rendererRoot: root, log: (line) => logged.push(line) });
});

afterAll(async () => {
  await server.close();
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

/** An open WebSocket with the token, and the frames it receives. */
async function connect(): Promise<{ ws: WebSocket; next(): Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  const frames: Record<string, unknown>[] = [];
  const waiting: ((frame: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString()) as Record<string, unknown>;
    if (frame.type === 'push') return;
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, next: () => new Promise((resolve) => (frames.length > 0 ? resolve(frames.shift()!) : waiting.push(resolve))) };
}

describe('a bad message is answered, and the connection stays', () => {
  test('a cookie of 2^64 gets an error response naming the field; the same connection then works', async () => {
    const { ws, next } = await connect();
    const register = { op: 'register', start: '0x0', end: '0x1000', cookie: '0x10000000000000000', flags: 0 };
    ws.send(JSON.stringify({ id: 7, request: { kind: 'op', op: register } }));
    expect(await next()).toEqual({
      type: 'response',
      id: 7,
      response: { ok: false, error: { code: 'CodecError', message: 'frame.request.op.cookie: expected a 0x-prefixed hex u64' } },
    });
    ws.send(JSON.stringify({ id: 8, request: { kind: 'op', op: { op: 'read', maxEvents: 1.5 } } }));
    expect(await next()).toMatchObject({ id: 8, response: { ok: false, error: { message: 'frame.request.op.maxEvents: expected a non-negative integer' } } });
    ws.send(JSON.stringify({ id: 9, request: { kind: 'hello' } }));
    expect(await next()).toMatchObject({ type: 'response', id: 9, response: { ok: true } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    expect(logged.filter((l) => l.includes('malformed message'))).toHaveLength(2);
  });

  test('a frame that is not JSON, or binary, is refused without an id, and the connection stays', async () => {
    const { ws, next } = await connect();
    ws.send('{not json');
    expect(await next()).toMatchObject({ type: 'refused', error: { code: 'CodecError', message: expect.stringMatching(/^frame: not JSON/) } });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await next()).toMatchObject({ type: 'refused', error: { message: 'frame: expected a text frame of JSON' } });
    ws.send(JSON.stringify({ id: 1, request: { kind: 'hello' } }));
    expect(await next()).toMatchObject({ id: 1, response: { ok: true } });
    ws.close();
  });
});

describe('the token', () => {
  test('a page without the token explains what happened and how to get the right address, and the refusal is logged', async () => {
    logged.length = 0;
    const missing = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(missing.status).toBe(401);
    const page = await missing.text();
    expect(page).toContain('access token missing');
    expect(page).toContain('npm run serve');
    expect(page).toContain(`http://127.0.0.1:${server.port}/?token=`);
    expect(page).not.toContain(server.token);
    const wrong = await fetch(`http://127.0.0.1:${server.port}/?token=0123`);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('access token wrong');
    expect(logged).toEqual([expect.stringMatching(/refused the page to .*: token missing$/), expect.stringMatching(/refused the page to .*: token wrong$/)]);
    expect((await fetch(server.url)).status).toBe(200);
  });

  test('refused WebSockets (token, origin) are logged one line each', async () => {
    logged.length = 0;
    const refusedWith = (url: string, origin?: string): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, origin ? { origin } : {});
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => resolve(101));
      });
    expect(await refusedWith(`ws://127.0.0.1:${server.port}/ws?token=nope`)).toBe(401);
    expect(await refusedWith(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, 'http://evil.example')).toBe(403);
    expect(logged).toEqual([expect.stringMatching(/refused a WebSocket from .*: token wrong$/), expect.stringMatching(/origin "http:\/\/evil\.example" is not this server's$/)]);
  });
});

describe('the log is rate-limited', () => {
  test('at most a burst of lines per kind in a window; the next line says how many were held back', () => {
    const lines: string[] = [];
    let now = 0;
    const log = rateLimitedLog((line) => lines.push(line), { burst: 2, windowMs: 1000, now: () => now });
    for (let i = 0; i < 10; i++) log('token', `refused ${i}`);
    log('origin', 'other kind');
    expect(lines).toEqual(['refused 0', 'refused 1', 'other kind']);
    now = 1500;
    log('token', 'refused later');
    expect(lines.at(-1)).toBe('refused later (8 more like it not shown)');
  });
});

describe('a viewer that cannot keep up', () => {
  test('is sent no more once its socket holds too much; after it drains, it gets the newest batch it missed, and a greeting gives it every record the journal kept', async () => {
    const slowHost = modelHost();
    const slowServer = await startServer(slowHost, { host: '127.0.0.1', port: 0, rendererRoot: root, maxUnsentBytes: 256 << 10 });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${slowServer.port}/ws?token=${slowServer.token}`);
      const pushed: number[] = [];
      let hello: { first: number; records: unknown[] } | null = null;
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as { type: string; batch?: { items: { kind: string; n?: number }[] }; response?: { result: { history: typeof hello } } };
        if (frame.type === 'response') hello = frame.response?.result.history ?? null;
        for (const item of frame.batch?.items ?? []) if (item.n !== undefined) pushed.push(item.n);
      });
      await new Promise((resolve) => ws.once('open', resolve));
      // The page stops reading (a busy main thread): what the server sends piles up in its socket.
      ws.pause();
      const ops = 20_000;
      for (let i = 0; i < ops; i += 1000) {
        await Promise.all(
          Array.from({ length: 1000 }, (_, j) =>
            slowHost.handle({ kind: 'op', op: { op: 'lab', lab: { op: 'madvise', page: (i + j) % 64, pages: 1, advice: 'DONTNEED' } } }),
          ),
        );
      }
      const session = await slowHost.current();
      await session.idle();
      session.flush();
      const last = session.history().first + session.history().records.length - 1;
      ws.resume();
      // What was still sent arrives; once the socket has drained, the newest batch it missed is sent,
      // though nothing happens after: the stream's end is not lost with the batches before it.
      await expect.poll(() => pushed.at(-1), { timeout: 20_000, interval: 200 }).toBe(last);
      // The batches in between were not sent: the numbers it received have a gap.
      const gaps = pushed.filter((n, i) => i > 0 && n !== (pushed[i - 1] as number) + 1);
      expect(gaps.length).toBeGreaterThan(0);
      expect(pushed.length).toBeLessThan(last);
      // Its greeting brings the history back whole: the journal dropped nothing.
      ws.send(JSON.stringify({ id: 1, request: { kind: 'hello' } }));
      await expect.poll(() => hello, { timeout: 20_000 }).not.toBeNull();
      const history = hello as { first: number; records: unknown[] } | null;
      expect(history?.first).toBe(0);
      expect(history?.records.length).toBe(session.history().records.length);
      expect(history?.records.length).toBeGreaterThan(last);
      ws.close();
    } finally {
      await slowServer.close();
      await slowHost.close();
    }
  }, 120_000);
});
