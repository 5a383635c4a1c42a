// A renderer client wired straight to a real SessionHost (model backend) in
// the same process: the components under test talk to the real core, with
// every response and push validated as on the wire.

import type { UmmuClient } from '../../../src/renderer/app/client';
import { RequestError } from '../../../src/renderer/app/client';
import { SessionHost } from '../../../src/main/core/session-host';
import { validatePushBatch, validateResponse, type PushBatch } from '../../../src/shared/messages';

export function inProcessClient(): { client: UmmuClient; host: SessionHost } {
  const host = new SessionHost({
    launcher: () => {
      throw new Error('no device session in renderer tests');
    },
    deviceSessionEntry: '/nonexistent/device-session.js',
    devicePath: '/nonexistent/ummunotify',
    flushIntervalMs: 1,
  });
  const client: UmmuClient = {
    transport: 'browser',
    async request(request) {
      const response = validateResponse(request.kind, JSON.parse(JSON.stringify(await host.handle(request))));
      if (!response.ok) throw new RequestError(response.error);
      return response.result;
    },
    onPush(listener: (batch: PushBatch) => void) {
      return host.onPush((batch) => listener(validatePushBatch(JSON.parse(JSON.stringify(batch)))));
    },
    onStatus(listener) {
      listener('open');
      return () => undefined;
    },
  };
  return { client, host };
}
