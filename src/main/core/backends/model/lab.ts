// Lab ops on the simulated arena, and the notifier calls the kernel makes
// for each (6.1 and 6.12 read alike for every path used here but one:
// mprotect's VM_ACCOUNT, see KernelRules; SEED-REVIEW section 3 has the
// measured table). An op is checked completely before it
// changes anything: a range outside the arena is a RangeError, an access the
// real lab would die of (SIGSEGV) is an EFAULT UmmuError.

import { PAGE_SIZE, Reason, UmmuError, type LabOp, type LabResult, type MadviseAdvice, type Protection } from '../../../../shared/domain';
import type { AddressSpace, ModelPageState, Vma } from './address-space';

export interface NotifierCall {
  start: bigint;
  end: bigint;
  reason: Reason;
}

/** Where the kernel series the model follows differ. */
export interface KernelRules {
  /**
   * 6.12's mprotect_fixup() clears VM_ACCOUNT when it makes an anonymous
   * VMA without an anon_vma non-writable (6.1 keeps it); the flag then
   * keeps that VMA from merging with accounted neighbours.
   */
  readOnlyDropsAccount: boolean;
}

/** The rules of a kernel release (`uname -r`): 6.12 and later as 6.12, earlier as 6.1. */
export function kernelRules(release: string): KernelRules {
  const match = /^(\d+)\.(\d+)/.exec(release);
  if (match === null) throw new RangeError(`model: kernel release ${JSON.stringify(release)} does not start with major.minor`);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return { readOnlyDropsAccount: major > 6 || (major === 6 && minor >= 12) };
}

export interface LabOutcome {
  result: LabResult;
  calls: NotifierCall[];
}

/** Page-granular form of a notifier call, before it is turned into addresses. */
interface PageCall {
  start: number;
  end: number;
  reason: Reason;
}

export function runLabOp(space: AddressSpace, base: bigint, op: LabOp, rules: KernelRules): LabOutcome {
  checkRange(space, op.op, 'page', op.page, op.pages);
  const address = (page: number): bigint => base + BigInt(page) * PAGE_SIZE;
  const calls: PageCall[] = [];
  let result: LabResult = { op: op.op, start: address(op.page), end: address(op.page + op.pages) };
  const start = op.page;
  const end = op.page + op.pages;
  switch (op.op) {
    case 'touch':
      touch(space, start, end, calls);
      break;
    case 'read':
      readFault(space, start, end);
      break;
    case 'munmap':
      munmap(space, start, end, calls);
      break;
    case 'mmap':
      munmap(space, start, end, calls);
      space.mapAnonymous(start, end);
      break;
    case 'madvise':
      madvise(space, start, end, op.advice, calls);
      break;
    case 'mprotect':
      mprotect(space, start, end, op.prot, calls, rules);
      break;
    case 'mremap': {
      const moved = mremap(space, op, calls);
      const affectedEnd = moved === undefined ? start + Math.max(op.pages, op.newPages) : end;
      result = { op: op.op, start: address(start), end: address(affectedEnd) };
      if (moved !== undefined) result.movedTo = { start: address(moved.start), end: address(moved.end) };
      break;
    }
    case 'fork':
      fork(space, calls);
      break;
    default:
      return unknownValue('op', op);
  }
  return {
    result,
    calls: calls.map((call) => ({ start: address(call.start), end: address(call.end), reason: call.reason })),
  };
}

/** Ops arrive from IPC and recordings: refuse a value the types do not know. */
function unknownValue(what: string, value: never): never {
  throw new RangeError(`lab: unknown ${what} ${JSON.stringify(value)}`);
}

function checkRange(space: AddressSpace, op: string, what: string, page: number, pages: number): void {
  if (!Number.isInteger(page) || !Number.isInteger(pages) || pages < 1 || page < 0 || page + pages > space.pages) {
    throw new RangeError(
      `${op}: ${what} range [${page}, ${page + pages}) is not a non-empty range inside the arena of ${space.pages} pages`,
    );
  }
}

function requireAccess(space: AddressSpace, op: string, start: number, end: number, write: boolean): void {
  for (let p = start; p < end; p++) {
    const vma = space.vmaAt(p);
    if (vma === undefined) throw new UmmuError('EFAULT', `${op}: page ${p} is not mapped`);
    if (vma.prot === 'none' || (write && vma.prot !== 'rw')) {
      throw new UmmuError('EFAULT', `${op}: page ${p} is mapped ${vma.prot}, not ${write ? 'writable' : 'readable'}`);
    }
  }
}

/**
 * Write faults, page by page: a never-touched, swapped or lazily freed page
 * is filled or swapped in or re-dirtied without an event; a zero page is
 * copied on write (wp_page_copy: CLEAR over that page). A page that went
 * copy-on-write at a fork is reused silently, since the lab's child has
 * exited by then.
 */
function touch(space: AddressSpace, start: number, end: number, calls: PageCall[]): void {
  requireAccess(space, 'touch', start, end, true);
  for (let p = start; p < end; p++) {
    const state = space.page(p);
    if (state === 'present') continue;
    if (state === 'zero') calls.push({ start: p, end: p + 1, reason: Reason.CLEAR });
    space.setPage(p, 'present');
    if (state === 'none' || state === 'zero') space.prepareAnonVma(space.vmaAt(p) as Vma);
  }
}

/** Read faults: a never-touched page maps the zero page, a swapped one is swapped in; no event. */
function readFault(space: AddressSpace, start: number, end: number): void {
  requireAccess(space, 'read', start, end, false);
  for (let p = start; p < end; p++) {
    const state = space.page(p);
    if (state === 'none') space.setPage(p, 'zero');
    else if (state === 'swapped') space.setPage(p, 'present');
  }
}

/**
 * munmap (and the unmap that mmap MAP_FIXED does first): one UNMAP over the
 * whole requested range as soon as any VMA overlaps it, untouched pages and
 * holes included (unmap_vmas() gets the munmap bounds); nothing when the
 * range is a hole.
 */
function munmap(space: AddressSpace, start: number, end: number, calls: PageCall[]): void {
  if (!space.anyMapped(start, end)) return;
  calls.push({ start, end, reason: Reason.UNMAP });
  space.unmap(start, end);
}

/**
 * madvise walks the VMAs of the range and applies itself to each mapped
 * part (holes only change the return value to ENOMEM, which the model does
 * not raise since the effect happened).
 */
function madvise(space: AddressSpace, start: number, end: number, advice: MadviseAdvice, calls: PageCall[]): void {
  switch (advice) {
    case 'DONTNEED':
      // zap_page_range_single() per VMA part, populated or not.
      for (const piece of space.pieces(start, end)) {
        calls.push({ start: piece.start, end: piece.end, reason: Reason.CLEAR });
        for (let p = piece.start; p < piece.end; p++) space.setPage(p, 'none');
      }
      return;
    case 'FREE':
      // madvise_free_single_vma() per VMA part. Pages stay mapped, marked
      // lazily freeable; swap entries are dropped; the zero page stays.
      for (const piece of space.pieces(start, end)) {
        calls.push({ start: piece.start, end: piece.end, reason: Reason.CLEAR });
        for (let p = piece.start; p < piece.end; p++) space.setPage(p, afterFree(space.page(p)));
      }
      return;
    case 'PAGEOUT':
      // Reclaim unmaps each resident anonymous page (try_to_unmap_one: one
      // CLEAR per 4 KiB folio, ascending). Assumes swap is configured, as in
      // the test VM (zram); without swap, anonymous pages are not reclaimed
      // and no event fires. A lazily freed clean page is discarded instead.
      for (const piece of space.pieces(start, end)) {
        for (let p = piece.start; p < piece.end; p++) {
          const state = space.page(p);
          if (state !== 'present' && state !== 'lazyfree') continue;
          calls.push({ start: p, end: p + 1, reason: Reason.CLEAR });
          space.setPage(p, state === 'present' ? 'swapped' : 'none');
        }
      }
      return;
    case 'DONTFORK':
    case 'DOFORK':
      space.modify(start, end, (vma) => {
        vma.dontFork = advice === 'DONTFORK';
      });
      return;
    case 'COLD':
    case 'WILLNEED':
      // Deactivation and swap readahead: no page table change the notifier sees.
      return;
    default:
      unknownValue('madvise advice', advice);
  }
}

function afterFree(state: ModelPageState): ModelPageState {
  if (state === 'present') return 'lazyfree';
  if (state === 'swapped') return 'none';
  return state;
}

/**
 * mprotect: PROTECTION_VMA over each VMA part whose protection changes
 * (mprotect_fixup() returns early when the flags are unchanged), populated
 * or not (change_protection() notifies from the first populated page-table
 * level, and the arena's levels stay populated). A hole in the range is
 * ENOMEM; the kernel would have changed the VMAs before the hole, so the
 * model refuses it up front and scripts must not rely on it.
 */
function mprotect(space: AddressSpace, start: number, end: number, prot: Protection, calls: PageCall[], rules: KernelRules): void {
  if (prot !== 'rw' && prot !== 'r' && prot !== 'none') unknownValue('protection', prot);
  if (!space.allMapped(start, end)) throw new UmmuError('ENOMEM', `mprotect: pages [${start}, ${end}) are not all mapped`);
  for (const piece of space.pieces(start, end)) {
    if (piece.vma.prot !== prot) calls.push({ start: piece.start, end: piece.end, reason: Reason.PROTECTION_VMA });
  }
  space.modify(start, end, (vma) => {
    if (vma.prot === prot) return;
    if (prot === 'rw') vma.account = true;
    else if (rules.readOnlyDropsAccount && vma.anonVma === null) vma.account = false;
    vma.prot = prot;
  });
}

/**
 * mremap of [page, page + pages) to newPages:
 * - same size, no destination: nothing.
 * - shrink in place: do_vmi_munmap() of the tail, one UNMAP when mapped.
 * - grow in place when the range ends its VMA and the pages after it are a
 *   hole inside the arena: the VMA grows, no event.
 * - otherwise a move, to newPage (MREMAP_FIXED) or, without one, to the
 *   lowest hole inside the arena that fits (the lab passes it as
 *   MREMAP_FIXED so both sides agree; the kernel's own choice would fall
 *   outside the arena). MREMAP_FIXED first unmaps the destination (UNMAP
 *   when anything is mapped there), a shrinking move unmaps the tail
 *   (UNMAP), then move_page_tables() and the unmap of the old range give
 *   two UNMAPs over the moved part. Pages keep their state at the
 *   destination; grown pages are never-touched.
 * Returns the destination of a move.
 */
function mremap(
  space: AddressSpace,
  op: LabOp & { op: 'mremap' },
  calls: PageCall[],
): { start: number; end: number } | undefined {
  const { page, pages, newPages } = op;
  if (!Number.isInteger(newPages) || newPages < 1) throw new RangeError(`mremap: newPages ${newPages} must be at least 1`);
  if (op.newPage !== undefined) checkRange(space, 'mremap', 'destination', op.newPage, newPages);
  const vma = space.vmaAt(page);
  if (vma === undefined) throw new UmmuError('EFAULT', `mremap: page ${page} is not mapped`);
  if (op.newPage === undefined && newPages <= pages) {
    munmap(space, page + newPages, page + pages, calls);
    return undefined;
  }
  const moveLength = Math.min(pages, newPages);
  if (page + moveLength > vma.end) {
    throw new UmmuError('EFAULT', `mremap: pages [${page}, ${page + moveLength}) are not inside one mapping`);
  }
  let destination = op.newPage;
  if (destination === undefined) {
    const growEnd = page + newPages;
    if (page + pages === vma.end && growEnd <= space.pages && !space.anyMapped(vma.end, growEnd)) {
      space.extend(vma, growEnd);
      return undefined;
    }
    destination = lowestHole(space, newPages, page, page + pages);
  } else {
    if (destination < page + pages && page < destination + newPages) {
      throw new UmmuError('EINVAL', `mremap: destination [${destination}, ${destination + newPages}) overlaps the source`);
    }
  }
  const states = Array.from({ length: moveLength }, (_, i) => space.page(page + i));
  munmap(space, destination, destination + newPages, calls);
  munmap(space, page + newPages, page + pages, calls);
  // The unmaps may have split the source: look it up again.
  space.placeMoved(space.vmaAt(page) as Vma, page, destination, destination + newPages);
  calls.push({ start: page, end: page + moveLength, reason: Reason.UNMAP });
  calls.push({ start: page, end: page + moveLength, reason: Reason.UNMAP });
  space.unmap(page, page + moveLength);
  for (let i = 0; i < newPages; i++) space.setPage(destination + i, states[i] ?? 'none');
  return { start: destination, end: destination + newPages };
}

function lowestHole(space: AddressSpace, length: number, sourceStart: number, sourceEnd: number): number {
  for (let start = 0; start + length <= space.pages; start++) {
    const overlapsSource = start < sourceEnd && sourceStart < start + length;
    if (!overlapsSource && !space.anyMapped(start, start + length)) return start;
  }
  throw new UmmuError('ENOMEM', `mremap: no hole of ${length} pages inside the arena to move to`);
}

/**
 * fork, whose child writes the range and exits: in the parent,
 * copy_page_range() sends PROTECTION_PAGE over each whole private VMA that
 * has an anon_vma (a write fault happened in it), skipping MADV_DONTFORK
 * ones. The child's writes break copy-on-write in the child's memory map,
 * which this file does not watch, and once it has exited the parent reuses
 * its pages without an event. So the range itself changes nothing here.
 */
function fork(space: AddressSpace, calls: PageCall[]): void {
  for (const vma of space.vmas()) {
    if (vma.anonVma !== null && !vma.dontFork) {
      calls.push({ start: vma.start, end: vma.end, reason: Reason.PROTECTION_PAGE });
    }
  }
}
