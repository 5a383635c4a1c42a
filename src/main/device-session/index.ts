// Entry of the device-session process (built as out/main/device-session.js).
// Started by child_process.fork (serve mode, tests) or Electron's
// utilityProcess (app); it speaks the protocol of
// src/main/core/backends/kernel/protocol.ts over the parent channel.

import { decodeRequest } from '../core/backends/kernel/protocol';
import { DeviceSession } from './session';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
}

function parentChannel(): { send(msg: unknown): void; onMessage(cb: (msg: unknown) => void): void } {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return { send: (msg) => parentPort.postMessage(msg), onMessage: (cb) => parentPort.on('message', (e) => cb(e.data)) };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return { send: (msg) => send(msg), onMessage: (cb) => process.on('message', cb) };
  }
  throw new Error('device-session: started without a parent channel (use child_process.fork or utilityProcess)');
}

const channel = parentChannel();
const session = new DeviceSession((msg) => channel.send(msg));
channel.onMessage((msg) => {
  let envelope;
  try {
    envelope = decodeRequest(msg);
  } catch (err) {
    // Answer what can be answered, so the caller's promise does not hang.
    const id = (msg as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
      session.refuse(id, (err as Error).message);
    } else {
      process.stderr.write(`device-session: dropping a malformed request: ${(err as Error).message}\n`);
    }
    return;
  }
  session.handle(envelope);
  if (envelope.request.kind === 'close') {
    process.disconnect?.();
    process.exitCode = 0;
  }
});
