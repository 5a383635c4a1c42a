// A renderer client wired straight to a real SessionHost (model backend) in
// the same process: the components under test talk to the real core, with
// every request, response and push encoded and decoded as on the wire, and
// dense stretches summarized once it greets with summaries (as serve does).

import type { UmmuClient } from '../../../src/renderer/app/client';
import { RequestError } from '../../../src/renderer/app/client';
import { SessionHost, type SessionHostOptions } from '../../../src/main/core/session-host';
import { summarizedFor } from '../../../src/main/core/stream-summarizer';
import { decodePushBatch, decodeRequest, decodeResponse, encodePushBatch, encodeRequest, encodeResponse } from '../../../src/shared/message-codec';

/** A client of `existing`, or of a new host; every client of one host is one more viewer of its session. */
export function inProcessClient(existing?: SessionHost, options: Partial<SessionHostOptions> = {}): { client: UmmuClient; host: SessionHost } {
  const host = existing ?? new SessionHost({
    launcher: () => {
      throw new Error('no device session in renderer tests');
    },
    deviceSessionEntry: '/nonexistent/device-session.js',
    devicePath: '/nonexistent/ummunotify',
    flushIntervalMs: 1,
    ...options,
  });
  let takesSummaries = false;
  const client: UmmuClient = {
    transport: 'browser',
    async request(request) {
      const received = decodeRequest(JSON.parse(JSON.stringify(encodeRequest(request))));
      if (received.kind === 'hello') takesSummaries = received.summaries === true;
      const answer = encodeResponse(received, await host.handle(received));
      const response = decodeResponse(request, JSON.parse(JSON.stringify(answer)));
      if (!response.ok) throw new RequestError(response.error);
      return response.result;
    },
    onPush(listener) {
      return host.onPush((batch) => listener(decodePushBatch(JSON.parse(JSON.stringify(encodePushBatch(summarizedFor(batch, takesSummaries))))), { receivedAt: performance.now(), waiting: 0 }));
    },
    onMonitorPush(listener) {
      return host.onMonitorPush((batch) => listener(decodePushBatch(JSON.parse(JSON.stringify(encodePushBatch(batch)))), { receivedAt: performance.now(), waiting: 0 }));
    },
    onStatus(listener) {
      listener('open');
      return () => undefined;
    },
  };
  return { client, host };
}
