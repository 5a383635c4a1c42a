// Requests waiting on one connection: answers settle the request they are
// for (decoded by what it asked), an error answer rejects through the
// connection's own error, an answer nobody waits for is ignored, and a lost
// connection fails what still waits.

import { expect, test } from 'vitest';
import { encodeResponse } from '../../../src/shared/message-codec';
import type { Request } from '../../../src/shared/messages';
import { PendingRequests } from '../../../src/shared/pending-requests';

test('each answer settles its own request, decoded; errors through the given failure; the rest fail together', async () => {
  const sent: { id: number; request: unknown }[] = [];
  const pending = new PendingRequests((error) => new Error(`refused: ${error.code} ${error.message}`));
  const send = (frame: unknown) => sent.push(frame as { id: number; request: unknown });
  const detach: Request = { kind: 'detach', sessionId: 4 };
  const first = pending.send(detach, send);
  const second = pending.send({ kind: 'detach', sessionId: 5 }, send);
  const third = pending.send({ kind: 'listProcesses' }, send);
  expect(sent.map((f) => f.id)).toEqual([1, 2, 3]);
  expect(pending.answer(99, null)).toBe(false);
  expect(pending.answer(2, encodeResponse(detach, { ok: false, error: { code: 'EINVAL', message: 'no such session' } }))).toBe(true);
  expect(pending.answer(1, encodeResponse(detach, { ok: true, result: null }))).toBe(true);
  await expect(first).resolves.toBeNull();
  await expect(second).rejects.toThrow('refused: EINVAL no such session');
  // An answer that does not decode as what was asked rejects, naming the field.
  pending.answer(3, { ok: true, result: [{ pid: 'one' }] });
  await expect(third).rejects.toThrow(/response\.result\[0\]/);
  const fourth = pending.send({ kind: 'listProcesses' }, send);
  pending.failAll(new Error('connection lost'));
  await expect(fourth).rejects.toThrow('connection lost');
  expect(pending.answer(4, { ok: true, result: [] })).toBe(false);
});
