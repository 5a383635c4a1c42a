// The browser client over a real serve-mode server: when the connection
// drops it says so, reconnects by itself and the store gets the history
// back; when the server refuses the page's token it says that instead of
// retrying forever.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { webSocketClient } from '../../../src/renderer/app/client';
import { createSessionStore } from '../../../src/renderer/app/store';
import { SessionHost } from '../../../src/main/core/session-host';
import { startServer, type RunningServer } from '../../../src/main/serve/server';

const root = mkdtempSync(join(tmpdir(), 'ummunotify-reconnect-'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
const host = new SessionHost({
  launcher: () => {
    throw new Error('no device session here');
  },
  deviceSessionEntry: '/nonexistent',
  devicePath: '/nonexistent/ummunotify',
  initialBackend: 'model',
  flushIntervalMs: 1,
});
const servers: RunningServer[] = [];


// Node's WebSocket, as a browser page on the server's own origin would connect (jsdom's carries a foreign origin, which the server refuses).
vi.stubGlobal('WebSocket', NodeWebSocket);

const serve = async (port: number, token: string): Promise<RunningServer> => {
  const server = await startServer(host, { host: '127.0.0.1', port, rendererRoot: root, token, log: () => undefined });
  servers.push(server);
  return server;
};

afterAll(async () => {
  for (const server of servers) await server.close();
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

test('a lost connection shows as reconnecting, comes back by itself, and brings the history back', async () => {
  const first = await serve(0, 'secret');
  const { port } = first;
  const client = webSocketClient(`ws://127.0.0.1:${port}/ws?token=secret`, { pageUrl: `http://127.0.0.1:${port}/?token=secret`, retryMs: 20, maxRetryMs: 50 });
  const store = createSessionStore(client);
  await expect.poll(() => store.getState().session?.sessionId).toBeDefined();
  const base = BigInt(store.getState().session?.arena.base ?? '0');
  await store.getState().perform({ kind: 'op', op: { op: 'register', start: base, end: base + 0x1000n, cookie: 9n, flags: 0 } });
  await expect.poll(() => store.getState().timeline.length).toBe(1);

  await first.close();
  await expect.poll(() => store.getState().connection).toBe('reconnecting');
  // Meanwhile the session goes on without this viewer.
  await host.handle({ kind: 'op', op: { op: 'unregister', cookie: 9n } });

  await serve(port, 'secret');
  await expect.poll(() => store.getState().connection).toBe('open');
  await expect.poll(() => store.getState().timeline.toArray().map((r) => r.kind)).toEqual(['register', 'unregister']);
  client.close();
});

test('a token the server refuses is reported as refused', async () => {
  const server = await serve(0, 'current');
  const client = webSocketClient(`ws://127.0.0.1:${server.port}/ws?token=stale`, { pageUrl: `http://127.0.0.1:${server.port}/?token=stale`, retryMs: 20 });
  const store = createSessionStore(client);
  await expect.poll(() => store.getState().connection).toBe('refused');
  expect(store.getState().session).toBeNull();
  client.close();
});
