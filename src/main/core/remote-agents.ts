// Joining agents: another core (`ummunotify agent` on another node, reached
// through its URL with its token) is asked for its monitor sessions, and
// each becomes a read-only session here (backends/remote), so one viewer
// shows the processes of several nodes as one job. The agent's clock
// origin (in its greeting) puts its records on this core's clock. A record
// the agent's pushes skipped is fetched again from its retained history.

import WebSocket from 'ws';
import { decodeServerFrame } from '../../shared/message-codec';
import { PendingRequests } from '../../shared/pending-requests';
import { TOKEN_PARAM, WS_PATH, type HelloResult, type PushBatch, type Request, type ResultFor } from '../../shared/messages';
import { createRemoteBackend, type RemoteBackend } from './backends/remote/index';

/** Where joined sessions go (MonitorSessions.joinRemote). */
export interface RemoteSessionSink {
  joinRemote(backend: RemoteBackend, features: number): { id: number };
}

export interface JoinedAgent {
  close(): void;
}

export interface JoinHooks {
  /** `address`: the agent's host:port, as the user gave it. */
  joined?(backend: RemoteBackend, sessionId: number, address: string): void;
  lost?(address: string, why: string): void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** The agent's page URL (as it printed it) to its WebSocket; throws when it has no token. */
function agentSocketUrl(pageUrl: string): { socket: string; origin: string; address: string } {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(pageUrl)} (give the URL the agent printed, with its token)`);
  }
  if (url.protocol !== 'http:') throw new Error(`expected the agent's http:// URL, got ${url.protocol}//`);
  const token = url.searchParams.get(TOKEN_PARAM);
  if (!token) throw new Error(`${url.host} has no ?${TOKEN_PARAM}=... (give the URL the agent printed, with its token)`);
  return { socket: `ws://${url.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, origin: url.origin, address: url.host };
}

export async function joinAgent(pageUrl: string, sink: RemoteSessionSink, hooks: JoinHooks = {}): Promise<JoinedAgent> {
  const { socket, origin, address } = agentSocketUrl(pageUrl);
  const ws = new WebSocket(socket, { origin });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the agent at ${address} did not answer in ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    ws.once('open', () => (clearTimeout(timer), resolve()));
    ws.once('error', (err) => (clearTimeout(timer), reject(new Error(`cannot reach the agent at ${address}: ${err.message}`))));
    ws.once('unexpected-response', (_req, res) =>
      (clearTimeout(timer), reject(new Error(`the agent at ${address} refused the connection (HTTP ${res.statusCode}: a wrong token?)`))),
    );
  });

  const pending = new PendingRequests((error) => new Error(`the agent at ${address}: ${error.message}`));
  const request = <R extends Request>(req: R): Promise<ResultFor<R>> => pending.send(req, (frame) => ws.send(JSON.stringify(frame)));

  const backends = new Map<number, RemoteBackend>();
  let shiftMs = 0;
  let resyncing: Promise<void> | null = null;

  const adopt = (hello: HelloResult): RemoteBackend => {
    const backend = createRemoteBackend(hello, address, shiftMs);
    const session = sink.joinRemote(backend, hello.state.features?.granted ?? 0);
    backends.set(hello.state.sessionId, backend);
    hooks.joined?.(backend, session.id, address);
    return backend;
  };

  /** Greets: adopts sessions not seen yet, and fills what known ones missed from the retained history. */
  const resync = (): Promise<void> =>
    (resyncing ??= request({ kind: 'watchProcesses' })
      .then((hellos) => {
        for (const hello of hellos) {
          const known = backends.get(hello.state.sessionId);
          const backend = known ?? adopt(hello);
          if (known) {
            if (hello.history.first > known.next()) known.skipTo(hello.history.first);
            if (hello.snapshot) known.takeSnapshot(hello.snapshot);
          }
          hello.history.records.forEach((record, i) => backend.take(hello.history.first + i, record));
        }
      })
      .finally(() => (resyncing = null)));

  const onBatch = (batch: PushBatch): void => {
    const backend = backends.get(batch.sessionId);
    if (!backend) {
      void resync();
      return;
    }
    for (const item of batch.items) {
      if (item.kind === 'snapshot') backend.takeSnapshot(item.snapshot);
      else if (item.kind === 'record' && backend.take(item.n, item.record) === 'gap') void resync();
    }
  };

  ws.on('message', (data: Buffer) => {
    let frame;
    try {
      frame = decodeServerFrame(JSON.parse(data.toString()));
    } catch (err) {
      hooks.lost?.(address, `a malformed frame: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (frame.type === 'monitorPush') return onBatch(frame.batch);
    if (frame.type === 'response') pending.answer(frame.id, frame.response);
  });
  ws.on('close', () => {
    for (const backend of backends.values()) backend.lost();
    pending.failAll(new Error(`the agent at ${address} closed the connection`));
    hooks.lost?.(address, 'the connection closed');
  });

  const greeting = await request({ kind: 'hello' });
  if (greeting.clockOrigin === undefined) throw new Error(`the agent at ${address} does not report its clock (an older build): update it`);
  shiftMs = greeting.clockOrigin - performance.timeOrigin;
  await resync();
  return { close: () => ws.close() };
}
