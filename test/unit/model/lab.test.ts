import { beforeEach, describe, expect, it } from 'vitest';
import type { BackendNotice } from '../../../src/main/core/backend';
import { createModelBackend, type ModelBackend } from '../../../src/main/core/backends/model';
import {
  EVENT_FLAG_HINT,
  FEATURE_REASON,
  Reason,
  UmmuError,
  type LabOp,
} from '../../../src/shared/domain';
import { inval, last } from './helpers';

const BASE = 0x7f0000000000n;
const PAGE = 0x1000n;
const at = (page: number): bigint => BASE + BigInt(page) * PAGE;
const { UNMAP, CLEAR, PROTECTION_VMA, PROTECTION_PAGE } = Reason;

/** A notifier call in arena pages: [start, end, reason]. */
type Call = [number, number, number];

let model: ModelBackend;
let notices: BackendNotice[];

beforeEach(() => {
  model = createModelBackend({ pages: 16 });
  notices = [];
  model.onNotice((notice) => notices.push(notice));
});

async function calls(op: LabOp): Promise<Call[]> {
  notices = [];
  await model.lab(op);
  return notices.flatMap((n) =>
    n.kind === 'invalidation' ? [[Number((n.start - BASE) / PAGE), Number((n.end - BASE) / PAGE), n.reason] as Call] : [],
  );
}

async function labErrno(op: LabOp): Promise<string> {
  try {
    await model.lab(op);
  } catch (error) {
    if (error instanceof UmmuError) return error.code;
    throw error;
  }
  return 'no error';
}

const vmaBounds = (): number[][] => model.vmas().map((v) => [v.start, v.end]);

describe('the arena', () => {
  it('starts as one populated read-write mapping', () => {
    expect(model.arena()).toEqual({ base: BASE, pages: 16, pageSize: 4096 });
    expect(model.pageStates()).toEqual(new Array(16).fill('present'));
    expect(model.vmas()).toHaveLength(1);
    expect(model.vmas()[0]).toMatchObject({ start: 0, end: 16, prot: 'rw', dontFork: false });
  });

  it('refuses every op reaching outside the arena before doing anything', async () => {
    const outside: LabOp[] = [
      { op: 'touch', page: 15, pages: 2 },
      { op: 'read', page: -1, pages: 1 },
      { op: 'munmap', page: 0, pages: 17 },
      { op: 'mmap', page: 16, pages: 1 },
      { op: 'madvise', page: 10, pages: 7, advice: 'DONTNEED' },
      { op: 'mprotect', page: 0, pages: 0, prot: 'r' },
      { op: 'mremap', page: 0, pages: 2, newPages: 2, newPage: 15 },
      { op: 'fork', page: 8, pages: 9 },
    ];
    for (const op of outside) await expect(model.lab(op)).rejects.toThrow(RangeError);
    expect(notices).toEqual([]);
    expect(model.pageStates()).toEqual(new Array(16).fill('present'));
  });

  it('refuses an op, advice or protection it does not know (as they may arrive from a recording)', async () => {
    await expect(model.lab(JSON.parse('{"op":"mlock","page":0,"pages":1}') as LabOp)).rejects.toThrow(RangeError);
    await expect(model.lab(JSON.parse('{"op":"madvise","page":0,"pages":1,"advice":"REMOVE"}') as LabOp)).rejects.toThrow(RangeError);
    await expect(model.lab(JSON.parse('{"op":"mprotect","page":0,"pages":1,"prot":"rwx"}') as LabOp)).rejects.toThrow(RangeError);
    expect(model.vmas()).toHaveLength(1);
  });

  it('emits one invalidation notice per notifier call, with the cookies hit, then the lab result', async () => {
    await model.register(at(0), at(2), 1n);
    await model.register(at(1), at(3), 2n);
    await model.register(at(8), at(9), 3n);
    await model.lab({ op: 'munmap', page: 1, pages: 1 });
    expect(notices).toEqual([
      { kind: 'invalidation', start: at(1), end: at(2), reason: UNMAP, hits: [1n, 2n] },
      { kind: 'lab', result: { op: 'munmap', start: at(1), end: at(2) } },
    ]);
  });
});

describe('munmap', () => {
  it('sends UNMAP over exactly the range, touched or not', async () => {
    await model.lab({ op: 'madvise', page: 0, pages: 16, advice: 'DONTNEED' });
    expect(await calls({ op: 'munmap', page: 3, pages: 2 })).toEqual([[3, 5, UNMAP]]);
    expect(model.pageStates().slice(2, 6)).toEqual(['none', 'unmapped', 'unmapped', 'none']);
    expect(vmaBounds()).toEqual([
      [0, 3],
      [5, 16],
    ]);
  });

  it('covers holes inside the range with the one UNMAP, and sends nothing over a hole alone', async () => {
    await model.lab({ op: 'munmap', page: 4, pages: 4 });
    expect(await calls({ op: 'munmap', page: 2, pages: 8 })).toEqual([[2, 10, UNMAP]]);
    expect(await calls({ op: 'munmap', page: 2, pages: 8 })).toEqual([]);
  });
});

describe('mmap MAP_FIXED', () => {
  it('unmaps what was there (UNMAP), then maps never-touched pages', async () => {
    expect(await calls({ op: 'mmap', page: 4, pages: 4 })).toEqual([[4, 8, UNMAP]]);
    expect(model.pageStates().slice(3, 9)).toEqual(['present', 'none', 'none', 'none', 'none', 'present']);
    expect(await calls({ op: 'touch', page: 4, pages: 4 })).toEqual([]);
  });

  it('over a hole sends nothing, and the new mapping merges back into its neighbours', async () => {
    await model.lab({ op: 'munmap', page: 4, pages: 4 });
    expect(await calls({ op: 'mmap', page: 4, pages: 4 })).toEqual([]);
    expect(vmaBounds()).toEqual([[0, 16]]);
  });
});

describe('touch and read', () => {
  it('a write to a present or never-touched page sends nothing', async () => {
    await model.lab({ op: 'madvise', page: 0, pages: 4, advice: 'DONTNEED' });
    expect(await calls({ op: 'touch', page: 0, pages: 8 })).toEqual([]);
    expect(model.pageStates().slice(0, 8)).toEqual(new Array(8).fill('present'));
  });

  it('a read of a never-touched page maps the zero page silently; the first write then copies it (CLEAR, one page)', async () => {
    await model.lab({ op: 'madvise', page: 0, pages: 4, advice: 'DONTNEED' });
    expect(await calls({ op: 'read', page: 0, pages: 4 })).toEqual([]);
    expect(model.pageStates().slice(0, 4)).toEqual(['zero', 'zero', 'zero', 'zero']);
    expect(await calls({ op: 'touch', page: 1, pages: 2 })).toEqual([
      [1, 2, CLEAR],
      [2, 3, CLEAR],
    ]);
    expect(await calls({ op: 'touch', page: 1, pages: 2 })).toEqual([]);
  });

  it('refuses a write to an unmapped or read-only page (EFAULT) and changes nothing', async () => {
    await model.lab({ op: 'madvise', page: 0, pages: 16, advice: 'DONTNEED' });
    await model.lab({ op: 'read', page: 0, pages: 16 });
    await model.lab({ op: 'munmap', page: 5, pages: 1 });
    await model.lab({ op: 'mprotect', page: 10, pages: 1, prot: 'r' });
    expect(await labErrno({ op: 'touch', page: 0, pages: 6 })).toBe('EFAULT');
    expect(await labErrno({ op: 'touch', page: 8, pages: 3 })).toBe('EFAULT');
    expect(model.pageStates()[0]).toBe('zero');
    expect(model.pageStates()[8]).toBe('zero');
  });

  it('refuses a read of a PROT_NONE page (EFAULT) but reads a read-only one', async () => {
    await model.lab({ op: 'mmap', page: 0, pages: 2 });
    await model.lab({ op: 'mprotect', page: 0, pages: 1, prot: 'none' });
    await model.lab({ op: 'mprotect', page: 1, pages: 1, prot: 'r' });
    expect(await labErrno({ op: 'read', page: 0, pages: 1 })).toBe('EFAULT');
    expect(await calls({ op: 'read', page: 1, pages: 1 })).toEqual([]);
    expect(model.pageStates()[1]).toBe('zero');
  });
});

describe('madvise', () => {
  it('DONTNEED sends CLEAR over the range even where nothing is populated, once per VMA', async () => {
    expect(await calls({ op: 'madvise', page: 2, pages: 4, advice: 'DONTNEED' })).toEqual([[2, 6, CLEAR]]);
    expect(await calls({ op: 'madvise', page: 2, pages: 4, advice: 'DONTNEED' })).toEqual([[2, 6, CLEAR]]);
    await model.lab({ op: 'mprotect', page: 4, pages: 4, prot: 'r' });
    expect(await calls({ op: 'madvise', page: 2, pages: 4, advice: 'DONTNEED' })).toEqual([
      [2, 4, CLEAR],
      [4, 6, CLEAR],
    ]);
  });

  it('DONTNEED skips holes and empties the pages', async () => {
    await model.lab({ op: 'munmap', page: 3, pages: 1 });
    expect(await calls({ op: 'madvise', page: 2, pages: 3, advice: 'DONTNEED' })).toEqual([
      [2, 3, CLEAR],
      [4, 5, CLEAR],
    ]);
    expect(model.pageStates().slice(2, 5)).toEqual(['none', 'unmapped', 'none']);
  });

  it('FREE sends CLEAR per VMA part; freed pages stay mapped until reclaim, so later access is silent', async () => {
    expect(await calls({ op: 'madvise', page: 0, pages: 4, advice: 'FREE' })).toEqual([[0, 4, CLEAR]]);
    expect(await calls({ op: 'read', page: 0, pages: 4 })).toEqual([]);
    expect(await calls({ op: 'touch', page: 0, pages: 4 })).toEqual([]);
  });

  it('PAGEOUT sends CLEAR once per resident page and skips the others', async () => {
    await model.lab({ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' });
    await model.lab({ op: 'madvise', page: 2, pages: 1, advice: 'DONTNEED' });
    await model.lab({ op: 'read', page: 2, pages: 1 });
    expect(await calls({ op: 'madvise', page: 0, pages: 4, advice: 'PAGEOUT' })).toEqual([
      [0, 1, CLEAR],
      [3, 4, CLEAR],
    ]);
    expect(model.pageStates().slice(0, 4)).toEqual(['none', 'none', 'zero', 'none']);
    expect(await calls({ op: 'madvise', page: 0, pages: 4, advice: 'PAGEOUT' })).toEqual([]);
  });

  it('a paged-out page swaps back in on access without an event', async () => {
    await model.lab({ op: 'madvise', page: 0, pages: 2, advice: 'PAGEOUT' });
    expect(await calls({ op: 'read', page: 0, pages: 1 })).toEqual([]);
    expect(await calls({ op: 'touch', page: 0, pages: 2 })).toEqual([]);
    expect(model.pageStates().slice(0, 2)).toEqual(['present', 'present']);
  });

  it('PAGEOUT of a freed page discards it: the next read maps the zero page', async () => {
    await model.lab({ op: 'madvise', page: 0, pages: 1, advice: 'FREE' });
    expect(await calls({ op: 'madvise', page: 0, pages: 1, advice: 'PAGEOUT' })).toEqual([[0, 1, CLEAR]]);
    await model.lab({ op: 'read', page: 0, pages: 1 });
    expect(await calls({ op: 'touch', page: 0, pages: 1 })).toEqual([[0, 1, CLEAR]]);
  });

  it('COLD, WILLNEED, DONTFORK and DOFORK send nothing', async () => {
    for (const advice of ['COLD', 'WILLNEED', 'DONTFORK', 'DOFORK'] as const) {
      expect(await calls({ op: 'madvise', page: 2, pages: 4, advice })).toEqual([]);
    }
  });

  it('DONTFORK splits the VMA and DOFORK merges it back', async () => {
    await model.lab({ op: 'madvise', page: 2, pages: 4, advice: 'DONTFORK' });
    expect(vmaBounds()).toEqual([
      [0, 2],
      [2, 6],
      [6, 16],
    ]);
    await model.lab({ op: 'madvise', page: 2, pages: 4, advice: 'DOFORK' });
    expect(vmaBounds()).toEqual([[0, 16]]);
  });
});

describe('mprotect', () => {
  it('sends PROTECTION_VMA over the range for a downgrade and for an upgrade, untouched pages included', async () => {
    await model.lab({ op: 'mmap', page: 4, pages: 4 });
    expect(await calls({ op: 'mprotect', page: 4, pages: 2, prot: 'r' })).toEqual([[4, 6, PROTECTION_VMA]]);
    expect(await calls({ op: 'mprotect', page: 4, pages: 2, prot: 'rw' })).toEqual([[4, 6, PROTECTION_VMA]]);
  });

  it('sends nothing where the protection does not change, and one call per VMA that changes', async () => {
    expect(await calls({ op: 'mprotect', page: 0, pages: 16, prot: 'rw' })).toEqual([]);
    await model.lab({ op: 'mprotect', page: 4, pages: 2, prot: 'none' });
    expect(await calls({ op: 'mprotect', page: 2, pages: 8, prot: 'r' })).toEqual([
      [2, 4, PROTECTION_VMA],
      [4, 6, PROTECTION_VMA],
      [6, 10, PROTECTION_VMA],
    ]);
    expect(vmaBounds()).toEqual([
      [0, 2],
      [2, 10],
      [10, 16],
    ]);
  });

  it('refuses a range with a hole (ENOMEM) and changes nothing', async () => {
    await model.lab({ op: 'munmap', page: 5, pages: 1 });
    expect(await labErrno({ op: 'mprotect', page: 4, pages: 2, prot: 'r' })).toBe('ENOMEM');
    expect(model.vmas().every((v) => v.prot === 'rw')).toBe(true);
  });
});

describe('mremap', () => {
  it('shrinking sends UNMAP over the tail', async () => {
    expect(await calls({ op: 'mremap', page: 2, pages: 6, newPages: 4 })).toEqual([[6, 8, UNMAP]]);
    expect(model.pageStates().slice(5, 9)).toEqual(['present', 'unmapped', 'unmapped', 'present']);
  });

  it('grows in place silently when the range ends its mapping and a hole follows', async () => {
    await model.lab({ op: 'munmap', page: 6, pages: 4 });
    expect(await calls({ op: 'mremap', page: 2, pages: 4, newPages: 7 })).toEqual([]);
    expect(model.pageStates().slice(5, 10)).toEqual(['present', 'none', 'none', 'none', 'unmapped']);
    expect(vmaBounds()).toEqual([
      [0, 9],
      [10, 16],
    ]);
  });

  it('moves when it cannot grow in place: two UNMAPs over the old range, pages keep their state', async () => {
    await model.lab({ op: 'munmap', page: 10, pages: 6 });
    await model.lab({ op: 'madvise', page: 1, pages: 1, advice: 'DONTNEED' });
    notices = [];
    const result = await model.lab({ op: 'mremap', page: 0, pages: 2, newPages: 3 });
    expect(result).toEqual({ op: 'mremap', start: at(0), end: at(2), movedTo: { start: at(10), end: at(13) } });
    expect(notices.filter((n) => n.kind === 'invalidation').map((n) => n.kind === 'invalidation' && [n.start, n.end, n.reason])).toEqual([
      [at(0), at(2), UNMAP],
      [at(0), at(2), UNMAP],
    ]);
    expect(model.pageStates().slice(0, 2)).toEqual(['unmapped', 'unmapped']);
    expect(model.pageStates().slice(10, 14)).toEqual(['present', 'none', 'none', 'unmapped']);
  });

  it('to a given page unmaps what is there first, then moves', async () => {
    expect(await calls({ op: 'mremap', page: 0, pages: 2, newPages: 2, newPage: 8 })).toEqual([
      [8, 10, UNMAP],
      [0, 2, UNMAP],
      [0, 2, UNMAP],
    ]);
    expect(model.vmas().map((v) => [v.start, v.end])).toEqual([
      [2, 8],
      [8, 10],
      [10, 16],
    ]);
  });

  it('a shrinking move unmaps the tail before moving the rest', async () => {
    await model.lab({ op: 'munmap', page: 12, pages: 4 });
    expect(await calls({ op: 'mremap', page: 0, pages: 4, newPages: 2, newPage: 12 })).toEqual([
      [2, 4, UNMAP],
      [0, 2, UNMAP],
      [0, 2, UNMAP],
    ]);
  });

  it('refuses an unmapped source (EFAULT), a source across mappings (EFAULT) and an overlapping destination (EINVAL)', async () => {
    await model.lab({ op: 'munmap', page: 0, pages: 1 });
    await model.lab({ op: 'mprotect', page: 6, pages: 2, prot: 'r' });
    expect(await labErrno({ op: 'mremap', page: 0, pages: 2, newPages: 1 })).toBe('EFAULT');
    expect(await labErrno({ op: 'mremap', page: 4, pages: 4, newPages: 4, newPage: 10 })).toBe('EFAULT');
    expect(await labErrno({ op: 'mremap', page: 2, pages: 2, newPages: 2, newPage: 3 })).toBe('EINVAL');
    expect(await labErrno({ op: 'mremap', page: 2, pages: 2, newPages: 16 })).toBe('ENOMEM');
  });
});

describe('fork', () => {
  it('sends PROTECTION_PAGE over the whole VMA, whatever the range the child writes', async () => {
    expect(await calls({ op: 'fork', page: 3, pages: 1 })).toEqual([[0, 16, PROTECTION_PAGE]]);
  });

  it('once per eligible VMA, skipping DONTFORK and never-written ones', async () => {
    await model.lab({ op: 'mprotect', page: 4, pages: 4, prot: 'r' });
    await model.lab({ op: 'madvise', page: 10, pages: 2, advice: 'DONTFORK' });
    expect(await calls({ op: 'fork', page: 0, pages: 16 })).toEqual([
      [0, 4, PROTECTION_PAGE],
      [4, 8, PROTECTION_PAGE],
      [8, 10, PROTECTION_PAGE],
      [12, 16, PROTECTION_PAGE],
    ]);
  });

  it('skips a fresh mapping that was only read, and includes it after a write', async () => {
    await model.lab({ op: 'munmap', page: 0, pages: 16 });
    await model.lab({ op: 'mmap', page: 4, pages: 4 });
    await model.lab({ op: 'read', page: 4, pages: 4 });
    expect(await calls({ op: 'fork', page: 4, pages: 4 })).toEqual([]);
    await model.lab({ op: 'touch', page: 5, pages: 1 });
    expect(await calls({ op: 'fork', page: 4, pages: 4 })).toEqual([[4, 8, PROTECTION_PAGE]]);
  });

  it('after the child has exited, parent writes send nothing', async () => {
    await model.lab({ op: 'fork', page: 0, pages: 16 });
    expect(await calls({ op: 'touch', page: 0, pages: 16 })).toEqual([]);
  });

  it('a re-mapped hole merges into the written VMA, so fork covers it in the same call', async () => {
    await model.lab({ op: 'mmap', page: 4, pages: 4 });
    expect(vmaBounds()).toEqual([[0, 16]]);
    expect(await calls({ op: 'fork', page: 0, pages: 1 })).toEqual([[0, 16, PROTECTION_PAGE]]);
  });
});

describe('VMA merging, as vma_merge() decides it', () => {
  it('keeps a VMA with an anon_vma apart from a never-written neighbour, so DONTNEED sends one CLEAR per VMA', async () => {
    await calls({ op: 'munmap', page: 1, pages: 2 });
    await calls({ op: 'madvise', page: 3, pages: 5, advice: 'DONTFORK' });
    await calls({ op: 'mmap', page: 2, pages: 3 });
    await calls({ op: 'madvise', page: 5, pages: 2, advice: 'DOFORK' });
    expect(vmaBounds()).toEqual([[0, 1], [2, 5], [5, 7], [7, 8], [8, 16]]);
    expect(await calls({ op: 'madvise', page: 4, pages: 2, advice: 'DONTNEED' })).toEqual([
      [4, 5, CLEAR],
      [5, 6, CLEAR],
    ]);
  });

  it('lets a never-written part join a neighbour that has an anon_vma', async () => {
    await calls({ op: 'madvise', page: 0, pages: 1, advice: 'DONTFORK' });
    await calls({ op: 'munmap', page: 8, pages: 1 });
    await calls({ op: 'mmap', page: 1, pages: 7 });
    await calls({ op: 'madvise', page: 1, pages: 5, advice: 'DONTFORK' });
    expect(vmaBounds()).toEqual([[0, 6], [6, 8], [9, 16]]);
  });

  it('merges a fresh mapping into the written VMA before it, so one fork call covers both', async () => {
    await calls({ op: 'munmap', page: 8, pages: 8 });
    await calls({ op: 'mmap', page: 8, pages: 4 });
    expect(vmaBounds()).toEqual([[0, 12]]);
    expect(await calls({ op: 'fork', page: 0, pages: 1 })).toEqual([[0, 12, PROTECTION_PAGE]]);
  });

  it('on 6.12, a read-only never-written VMA loses VM_ACCOUNT and stops merging with accounted neighbours; on 6.1 it merges', async () => {
    const script: LabOp[] = [
      { op: 'madvise', page: 0, pages: 1, advice: 'DONTFORK' },
      { op: 'munmap', page: 8, pages: 1 },
      { op: 'mmap', page: 1, pages: 7 },
      { op: 'mprotect', page: 0, pages: 6, prot: 'r' },
      { op: 'madvise', page: 0, pages: 6, advice: 'DONTFORK' },
    ];
    const bounds = async (kernelRelease: string): Promise<number[][]> => {
      const backend = createModelBackend({ pages: 16, kernelRelease });
      for (const op of script) await backend.lab(op);
      return backend.vmas().map((v) => [v.start, v.end]);
    };
    expect(await bounds('6.12.95+deb12-amd64')).toEqual([[0, 1], [1, 6], [6, 8], [9, 16]]);
    expect(await bounds('6.1.0-56-amd64')).toEqual([[0, 6], [6, 8], [9, 16]]);
  });

  it('gives a moved never-written VMA the page offset of its new address, so it merges there', async () => {
    await calls({ op: 'munmap', page: 4, pages: 12 });
    await calls({ op: 'mmap', page: 10, pages: 2 });
    await calls({ op: 'mremap', page: 10, pages: 2, newPages: 2, newPage: 4 });
    await calls({ op: 'mmap', page: 6, pages: 2 });
    expect(vmaBounds()).toEqual([[0, 8]]);
  });
});

describe('lab ops through the file', () => {
  it('deliver the events a reader sees, with reasons when negotiated', async () => {
    expect(await model.negotiateFeatures(FEATURE_REASON)).toBe(FEATURE_REASON);
    await model.register(at(0), at(4), 1n);
    await model.register(at(8), at(16), 2n);
    await model.lab({ op: 'fork', page: 0, pages: 1 });
    await model.lab({ op: 'munmap', page: 2, pages: 1 });
    expect(model.counter()).toBe(2n);
    expect(await model.read(8)).toEqual([
      inval(1n, at(0), at(4), (PROTECTION_PAGE << 8) | (((1 << PROTECTION_PAGE) | (1 << UNMAP)) << 16)),
      inval(2n, at(8), at(16), EVENT_FLAG_HINT | (PROTECTION_PAGE << 8) | ((1 << PROTECTION_PAGE) << 16)),
      last(2n),
    ]);
  });

  it('without EXCHANGE_FEATURES give exactly the 2010 events: HINT or nothing in flags, whole range after two hits', async () => {
    await model.register(at(0), at(4), 10n);
    await model.register(at(2), at(6), 11n);
    await model.register(at(12), at(16), 12n);
    await model.lab({ op: 'madvise', page: 3, pages: 1, advice: 'DONTNEED' });
    await model.lab({ op: 'munmap', page: 5, pages: 1 });
    // The munmap split the VMA: fork sends one PROTECTION_PAGE per piece.
    await model.lab({ op: 'fork', page: 0, pages: 16 });
    expect(model.counter()).toBe(4n);
    expect(await model.read(2)).toEqual([inval(10n, at(0), at(4), 0), inval(11n, at(2), at(6), 0)]);
    expect(await model.read(2)).toEqual([inval(12n, at(12), at(16), EVENT_FLAG_HINT), last(4n)]);
    await model.lab({ op: 'touch', page: 3, pages: 1 });
    expect(await model.read(2)).toEqual([]);
  });

  it('reject with the errno through the promise, as the kernel backend does', async () => {
    await expect(model.register(at(1), at(0), 1n)).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(model.read(0)).rejects.toMatchObject({ code: 'EINVAL' });
    await model.close();
    await expect(model.lab({ op: 'touch', page: 0, pages: 1 })).rejects.toMatchObject({ code: 'EBADF' });
  });
});

describe('arenaPages', () => {
  it('reports each page state with the protection of its VMA, null where unmapped', async () => {
    const backend = createModelBackend({ pages: 8 });
    await backend.lab({ op: 'mprotect', page: 2, pages: 2, prot: 'r' });
    await backend.lab({ op: 'munmap', page: 5, pages: 1 });
    const pages = backend.arenaPages();
    expect(pages.map((p) => p.prot)).toEqual(['rw', 'rw', 'r', 'r', 'rw', null, 'rw', 'rw']);
    expect(pages[5]?.state).toBe('unmapped');
    expect(pages[0]?.state).toBe('present');
  });
});
