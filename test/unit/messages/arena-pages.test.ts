// The arena's per-page state and protection, as a pushed session state
// carries it: the address map draws it, so bad data must be rejected at the
// boundary with the path of what is wrong.

import { describe, expect, test } from 'vitest';
import { CodecError, decodePushBatch } from '../../../src/shared/message-codec';
import type { SessionState } from '../../../src/shared/messages';

const state: SessionState = {
  sessionId: 1,
  backend: { kind: 'model', description: 'model', supportedFeatures: 15, pageSize: 4096 },
  selection: 'model: /dev/ummunotify not present (module not loaded)',
  arena: { base: '0x7f0000000000', pages: 4, pageSize: 4096 },
  features: null,
  autoRead: true,
  autoReadEvents: 128,
  counter: '0x0',
  lastLastCounter: null,
  recording: false,
  replay: null,
  dead: false,
  pages: [
    { state: 'present', prot: 'rw' },
    { state: 'zero', prot: 'r' },
    { state: 'none', prot: 'none' },
    { state: 'unmapped', prot: null },
  ],
};

const batchWithPages = (pages: unknown): unknown => ({ sessionId: 1, seq: 0, items: [{ kind: 'state', state: { ...state, pages } }] });

const PAGES = 'batch.items[0].state.pages';

describe('arena pages in a session state', () => {
  test('every page state and protection, and no protection for an unmapped page, are accepted unchanged', () => {
    const batch = { sessionId: 1, seq: 0, items: [{ kind: 'state', state }] };
    expect(decodePushBatch(JSON.parse(JSON.stringify(batch)))).toEqual(batch);
  });

  test.each([
    ['pages not an array', { 0: { state: 'present', prot: 'rw' } }, `${PAGES}: expected an array`],
    ['an element not an object', [{ state: 'present', prot: 'rw' }, 'present'], `${PAGES}[1]: expected an object`],
    ['an element that is an array', [['present', 'rw']], `${PAGES}[0]: expected an object`],
    ['an unknown state', [{ state: 'swapped', prot: 'rw' }], `${PAGES}[0].state: expected one of "unmapped", "none", "zero", "present"`],
    ['an unknown protection', [{ state: 'present', prot: 'rwx' }], `${PAGES}[0].prot: expected one of "rw", "r", "none"`],
    ['a protection in another spelling', [{ state: 'present', prot: 'RW' }], `${PAGES}[0].prot: expected one of "rw", "r", "none"`],
    ['an extra key', [{ state: 'present', prot: 'rw', dirty: true }], `${PAGES}[0]: unexpected field "dirty"`],
    ['a missing state', [{ state: 'present', prot: 'rw' }, { prot: 'rw' }], `${PAGES}[1].state: missing`],
    ['a missing protection', [{ state: 'present' }], `${PAGES}[0].prot: missing`],
  ])('rejects %s, naming the path', (_what, pages, message) => {
    const check = () => decodePushBatch(batchWithPages(pages));
    expect(check).toThrow(CodecError);
    expect(check).toThrow(message);
  });
});
