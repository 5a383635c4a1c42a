// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { recordsFromPush, registrationChanges } from '../../src/renderer/view-state/from-session';
import { reg } from './fixtures';

describe('records from a session', () => {
  it('decodes pushed reads and notices with their time', () => {
    expect(
      recordsFromPush({ kind: 'events', at: 12.5, maxEvents: 4, events: [{ type: 1, flags: 0, hintStart: '0x0', hintEnd: '0x0', cookieOrCounter: '0x7' }] }),
    ).toEqual([{ kind: 'read', t: 12.5, maxEvents: 4, events: [{ type: 1, flags: 0, hintStart: 0n, hintEnd: 0n, cookieOrCounter: 7n }] }]);
    expect(recordsFromPush({ kind: 'notice', at: 3, notice: { kind: 'invalidation', start: '0x1000', end: '0x2000', reason: 1, hits: ['0x5'] } })).toEqual([
      { kind: 'invalidation', t: 3, start: 0x1000n, end: 0x2000n, reason: 1, hits: [5n] },
    ]);
    expect(recordsFromPush({ kind: 'notice', at: 4, notice: { kind: 'lab', result: { op: 'mremap', start: '0x1000', end: '0x2000', movedTo: { start: '0x9000', end: '0xa000' } } } })).toEqual([
      { kind: 'lab', t: 4, result: { op: 'mremap', start: 0x1000n, end: 0x2000n, movedTo: { start: 0x9000n, end: 0xa000n } } },
    ]);
  });

  it('derives register and unregister records from successive snapshots', () => {
    const a = [reg(1n, 0, 4), reg(2n, 2, 6)];
    const b = [reg(2n, 2, 6), reg(3n, 8, 9, { filter: 4 })];
    expect(registrationChanges(a, b, 9).map((r) => [r.kind, 'cookie' in r ? r.cookie : null])).toEqual([
      ['unregister', 1n],
      ['register', 3n],
    ]);
    expect(registrationChanges(a, b, 9)[1]).toMatchObject({ flags: 4, t: 9 });
    expect(registrationChanges(b, b, 10)).toEqual([]);
  });
});
