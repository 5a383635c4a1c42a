// Serve mode's server: the built renderer over HTTP and the session over a
// WebSocket, on loopback by default. The WebSocket requires the random
// token printed in the URL (the page itself too: without it, a page
// explains how to get the right URL), and a browser Origin other than the
// server's own is refused, so another web page cannot drive the session.
// A malformed message is answered with an error and the connection stays
// open. Refusals are logged, one line each, rate-limited.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { summarizedFor } from '../core/stream-summarizer';
import type { SessionHost } from '../core/session-host';
import { errorToWire } from '../core/wire';
import { clientFrameId, decodeClientFrame, errorResponseFrame, monitorPushFrame, pushFrame, refusedFrame, responseFrame } from '../../shared/message-codec';
import { MAX_RECORDING_CHARS, TOKEN_PARAM, WS_PATH, type PushBatch, type WireError } from '../../shared/messages';
import { boundedPushes } from './bounded-pushes';
import { coalescedWrites } from './coalesced-writes';
import { rateLimitedLog, type RateLimitedLog } from './rate-limited-log';
import { contentSecurityPolicy, serveStatic } from './static-files';
import { tokenPage } from './token-page';

export interface ServeOptions {
  host: string;
  port: number;
  /** The built renderer folder (out/renderer). */
  rendererRoot: string;
  token?: string;
  /** Where refusals are logged (stderr by default). */
  log?: (line: string) => void;
  /** Unsent bytes past which a viewer gets no pushes until it drains (MAX_UNSENT_BYTES). */
  maxUnsentBytes?: number;
}

export interface RunningServer {
  /** The page to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

const peer = (req: IncomingMessage): string => `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;

/**
 * A viewer whose socket holds more than this unsent is sent no more pushes
 * until it drains (bounded-pushes.ts). The journal itself drops nothing,
 * and the server's memory stays bounded.
 */
export const MAX_UNSENT_BYTES = 8 << 20;

/** Each batch is encoded once, however many viewers it goes to. */
function encodeOnce(toFrame: (batch: PushBatch) => unknown): (batch: PushBatch) => string {
  const encoded = new WeakMap<PushBatch, string>();
  return (batch) => {
    let text = encoded.get(batch);
    if (text === undefined) {
      text = JSON.stringify(toFrame(batch));
      encoded.set(batch, text);
    }
    return text;
  };
}
const encodedPush = encodeOnce(pushFrame);
const encodedMonitorPush = encodeOnce(monitorPushFrame);

function attachClient(ws: WebSocket, socket: Duplex, host: SessionHost, log: RateLimitedLog, who: string, maxUnsent: number): void {
  const writes = coalescedWrites(socket);
  const send = (frame: unknown): void => {
    if (ws.readyState !== ws.OPEN) return;
    writes.hold();
    ws.send(JSON.stringify(frame));
  };
  // Set by the viewer's greeting: whether it takes dense stretches as summaries.
  let takesSummaries = false;
  const sessionPushes = boundedPushes(ws, maxUnsent, (batch) => encodedPush(summarizedFor(batch, takesSummaries)));
  const monitorPushes = boundedPushes(ws, maxUnsent, (batch) => encodedMonitorPush(summarizedFor(batch, takesSummaries)));
  const unsubscribe = host.onPush((batch) => {
    writes.release();
    sessionPushes.push(batch);
  });
  // Monitor sessions' batches go only to a viewer that asked for them (watchProcesses).
  let unsubscribeMonitors: (() => void) | undefined;
  ws.on('close', () => {
    unsubscribe();
    unsubscribeMonitors?.();
    sessionPushes.stop();
    monitorPushes.stop();
  });
  const refuse = (id: number | null, error: WireError): void => {
    log('malformed', `ummunotify serve: malformed message from ${who}: ${error.message}`);
    send(id === null ? refusedFrame(error) : errorResponseFrame(id, error));
  };
  ws.on('message', (data, isBinary) => {
    if (isBinary) return refuse(null, { code: 'CodecError', message: 'frame: expected a text frame of JSON' });
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch (err) {
      return refuse(null, { code: 'CodecError', message: `frame: not JSON (${err instanceof Error ? err.message : String(err)})` });
    }
    let frame;
    try {
      frame = decodeClientFrame(raw);
    } catch (err) {
      return refuse(clientFrameId(raw), errorToWire(err));
    }
    const { id, request } = frame;
    // Subscribed before the greeting is taken, so that no batch falls between the two.
    if (request.kind === 'hello') takesSummaries = request.summaries === true;
    if (request.kind === 'watchProcesses')
      unsubscribeMonitors ??= host.onMonitorPush((batch) => {
        writes.release();
        monitorPushes.push(batch);
      });
    void host.handle(request).then((response) => send(responseFrame(id, request, response)));
  });
}

export async function startServer(host: SessionHost, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RECORDING_CHARS * 2 });
  const log = rateLimitedLog(options.log ?? ((line) => console.error(line)));
  const tokenProblem = (given: string | null): 'missing' | 'wrong' | null =>
    given === null || given === '' ? 'missing' : sameToken(given, token) ? null : 'wrong';
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const csp = contentSecurityPolicy(origin.replace(/^http/, 'ws'));
    // The page needs the token to connect; its assets do not (they carry no session).
    const problem = url.pathname === '/' || url.pathname === '/index.html' ? tokenProblem(url.searchParams.get(TOKEN_PARAM)) : null;
    if (problem) {
      log('token', `ummunotify serve: refused the page to ${peer(req)}: token ${problem}`);
      res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
      res.end(tokenPage(problem, origin));
      return;
    }
    void serveStatic(options.rendererRoot, url.pathname, res, csp);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found');
    const problem = tokenProblem(url.searchParams.get(TOKEN_PARAM));
    if (problem) {
      log('token', `ummunotify serve: refused a WebSocket from ${peer(req)}: token ${problem}`);
      return refuse(socket, '401 Unauthorized');
    }
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== `http://${req.headers.host ?? ''}`) {
      log('origin', `ummunotify serve: refused a WebSocket from ${peer(req)}: origin ${JSON.stringify(requestOrigin).slice(0, 200)} is not this server's`);
      return refuse(socket, '403 Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, socket, host, log, peer(req), options.maxUnsentBytes ?? MAX_UNSENT_BYTES));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${urlHost(options.host)}:${port}`;
  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
