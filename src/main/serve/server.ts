// Serve mode's server: the built renderer over HTTP and the session over a
// WebSocket, on loopback by default. The WebSocket requires the random
// token printed in the URL, and a browser Origin other than the server's
// own is refused, so another web page cannot drive the session.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SessionHost } from '../core/session-host';
import {
  MAX_RECORDING_CHARS,
  TOKEN_PARAM,
  WS_PATH,
  validateClientFrame,
  type ServerFrame,
} from '../../shared/messages';
import { contentSecurityPolicy, serveStatic } from './static-files';

export interface ServeOptions {
  host: string;
  port: number;
  /** The built renderer folder (out/renderer). */
  rendererRoot: string;
  token?: string;
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

function attachClient(ws: WebSocket, host: SessionHost): void {
  const send = (frame: ServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = host.onPush((batch) => send({ type: 'push', batch }));
  ws.on('close', unsubscribe);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'text frames only');
      return;
    }
    let frame;
    try {
      frame = validateClientFrame(JSON.parse(data.toString()));
    } catch (err) {
      ws.close(1008, `malformed message: ${err instanceof Error ? err.message : String(err)}`.slice(0, 120));
      return;
    }
    const { id, request } = frame;
    void host.handle(request).then((response) => send({ type: 'response', id, response }));
  });
}

export async function startServer(host: SessionHost, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RECORDING_CHARS * 2 });
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    void serveStatic(options.rendererRoot, path, res, contentSecurityPolicy(origin.replace(/^http/, 'ws')));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found');
    if (!sameToken(url.searchParams.get(TOKEN_PARAM), token)) return refuse(socket, '401 Unauthorized');
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== `http://${req.headers.host ?? ''}`) return refuse(socket, '403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws, host));
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
