// The simulated lab arena: the VMAs covering it and the state of each page.
// Page numbers are relative to the arena base. VMAs carry what decides both
// merging and fork's notifications: protection, MADV_DONTFORK, VM_ACCOUNT,
// the page offset (anonymous mappings take addr >> PAGE_SHIFT at mmap time
// and keep it when moved, unless never faulted) and the anon_vma (created on
// the first write fault).
//
// Merging follows vma_merge() (6.1) and vma_merge_existing_range() /
// vma_merge_new_range() (6.12), which agree on every path the lab takes
// (where the two kernels differ, in VM_ACCOUNT after mprotect, lab.ts sets
// the flag and the merge rules below see it):
// - merges are only tried where an op changes VMAs: the VMA an mmap or a
//   move creates, each VMA part whose flags an mprotect or madvise changes
//   (unchanged flags: no attempt), and the extension of a grow in place.
//   Faults, munmap and splits never merge, so two adjacent VMAs that could
//   merge may stay apart.
// - a part merges with the neighbour it touches when the flags match (all
//   but the access bits; protection counts), the page offsets continue and
//   is_mergeable_anon_vma() holds: with either anon_vma missing, only when
//   the neighbour's anon_vma_chain is singular, i.e. the neighbour has an
//   anon_vma (the lab never keeps a fork child, so every chain with an
//   anon_vma is singular). So a part without an anon_vma joins any
//   neighbour, a part with one never joins a neighbour without.
// - merging both sides also needs the two neighbours' anon_vmas compatible;
//   otherwise only the previous one is merged.
//
// Assumptions: the arena never merges with mappings outside it (the lab
// keeps guard pages there), and every VMA inside carries the same hugepage
// flags (the lab re-applies MADV_NOHUGEPAGE after a MAP_FIXED mmap: that
// madvise is where a fresh mapping merges, with no anon_vma).

import type { PageState, Protection } from '../../../../shared/domain';

/**
 * The model's page states: PageState plus the two the views draw as
 * 'none' and 'present'. 'swapped' was paged out (a read or write swaps it in
 * without an event); 'lazyfree' was MADV_FREEd but is still mapped until
 * reclaim discards it.
 */
export type ModelPageState = PageState | 'swapped' | 'lazyfree';

export interface Vma {
  start: number;
  end: number;
  prot: Protection;
  dontFork: boolean;
  /** VM_ACCOUNT: counted in the commit charge (6.12's mprotect drops it, see lab.ts). */
  account: boolean;
  /** vm_pgoff, absolute (address >> PAGE_SHIFT where the mapping was created). */
  pgoff: number;
  /** anon_vma identity; null until the first write fault in the VMA. */
  anonVma: number | null;
}

/** A maximal run of pages [start, end) inside one VMA. */
export interface VmaPiece {
  start: number;
  end: number;
  vma: Vma;
}

export function visiblePageState(state: ModelPageState): PageState {
  if (state === 'swapped') return 'none';
  if (state === 'lazyfree') return 'present';
  return state;
}

export class AddressSpace {
  private readonly pageStates: ModelPageState[];
  private vmaList: Vma[];
  private nextAnonVma = 1;

  constructor(
    readonly pages: number,
    private readonly basePgoff: number,
  ) {
    // Created populated: every page written once, so the anon_vma exists.
    this.pageStates = new Array<ModelPageState>(pages).fill('present');
    this.vmaList = [{ start: 0, end: pages, prot: 'rw', dontFork: false, account: true, pgoff: basePgoff, anonVma: this.nextAnonVma++ }];
  }

  vmas(): readonly Readonly<Vma>[] {
    return this.vmaList;
  }

  page(index: number): ModelPageState {
    return this.pageStates[index] as ModelPageState;
  }

  setPage(index: number, state: ModelPageState): void {
    this.pageStates[index] = state;
  }

  vmaAt(index: number): Vma | undefined {
    return this.vmaList.find((vma) => vma.start <= index && index < vma.end);
  }

  /** The mapped parts of [start, end), one piece per VMA, ascending. */
  pieces(start: number, end: number): VmaPiece[] {
    const found: VmaPiece[] = [];
    for (const vma of this.vmaList) {
      const from = Math.max(start, vma.start);
      const to = Math.min(end, vma.end);
      if (from < to) found.push({ start: from, end: to, vma });
    }
    return found;
  }

  anyMapped(start: number, end: number): boolean {
    return this.pieces(start, end).length > 0;
  }

  allMapped(start: number, end: number): boolean {
    return this.pieces(start, end).reduce((sum, piece) => sum + piece.end - piece.start, 0) === end - start;
  }

  /** munmap: VMAs are cut at the edges, pages inside become unmapped. */
  unmap(start: number, end: number): void {
    this.splitAt(start);
    this.splitAt(end);
    this.vmaList = this.vmaList.filter((vma) => vma.end <= start || vma.start >= end);
    for (let p = start; p < end; p++) this.pageStates[p] = 'unmapped';
  }

  /** A fresh anonymous RW mapping over a hole: no pages, no anon_vma, then MADV_NOHUGEPAGE's merge. */
  mapAnonymous(start: number, end: number): void {
    const vma: Vma = { start, end, prot: 'rw', dontFork: false, account: true, pgoff: this.basePgoff + start, anonVma: null };
    this.insert(vma);
    for (let p = start; p < end; p++) this.pageStates[p] = 'none';
    this.changePart(vma, start, end, vma);
  }

  /**
   * copy_vma() of a move: [start, end) is a hole and becomes `source`'s
   * pages from sourceStart on. A source never faulted (no anon_vma) takes
   * the destination's address as its page offset. The caller sets the pages.
   */
  placeMoved(source: Readonly<Vma>, sourceStart: number, start: number, end: number): void {
    const pgoff = source.anonVma === null ? this.basePgoff + start : source.pgoff + (sourceStart - source.start);
    this.mergeNew({ ...source, start, end, pgoff });
  }

  /** Grows a VMA in place over the hole [vma.end, newEnd): the extension merges with it, and with the next VMA when compatible. */
  extend(vma: Vma, newEnd: number): void {
    for (let p = vma.end; p < newEnd; p++) this.pageStates[p] = 'none';
    this.mergeNew({ ...vma, start: vma.end, end: newEnd, pgoff: vma.pgoff + (vma.end - vma.start) });
  }

  /**
   * Applies a VMA attribute change to the mapped parts of [start, end), one
   * VMA at a time as madvise and mprotect walk them: a part whose attributes
   * do not change is left alone, any other merges or is split off.
   */
  modify(start: number, end: number, change: (vma: Vma) => void): void {
    let cursor = start;
    while (cursor < end) {
      const vma = this.vmaList.find((candidate) => candidate.end > cursor && candidate.start < end);
      if (vma === undefined) return;
      const from = Math.max(cursor, vma.start);
      const to = Math.min(end, vma.end);
      const wanted = { ...vma };
      change(wanted);
      if (!sameFlags(wanted, vma)) this.changePart(vma, from, to, wanted);
      cursor = to;
    }
  }

  /**
   * anon_vma_prepare() on a write fault: reuse a compatible neighbour's
   * anon_vma (find_mergeable_anon_vma tries the next VMA, then the
   * previous one), else allocate a new one.
   */
  prepareAnonVma(vma: Vma): void {
    if (vma.anonVma !== null) return;
    const index = this.vmaList.indexOf(vma);
    const next = this.vmaList[index + 1];
    const prev = this.vmaList[index - 1];
    if (next !== undefined && next.anonVma !== null && anonVmaCompatible(vma, next)) {
      vma.anonVma = next.anonVma;
    } else if (prev !== undefined && prev.anonVma !== null && anonVmaCompatible(prev, vma)) {
      vma.anonVma = prev.anonVma;
    } else {
      vma.anonVma = this.nextAnonVma++;
    }
  }

  private insert(vma: Vma): void {
    this.vmaList.push(vma);
    this.vmaList.sort((a, b) => a.start - b.start);
  }

  private remove(vma: Vma): void {
    this.vmaList = this.vmaList.filter((candidate) => candidate !== vma);
  }

  private splitAt(page: number): void {
    const vma = this.vmaList.find((candidate) => candidate.start < page && page < candidate.end);
    if (vma === undefined) return;
    const tail: Vma = { ...vma, start: page, pgoff: vma.pgoff + (page - vma.start) };
    vma.end = page;
    this.insert(tail);
  }

  /** The neighbours a proposed range [start, end) would merge with. */
  private neighbours(proposal: Vma): { prev: Vma | undefined; next: Vma | undefined } {
    const prev = this.vmaList.find((vma) => vma.end === proposal.start && canMergeAfter(vma, proposal));
    const candidate = this.vmaList.find((vma) => vma.start === proposal.end && canMergeBefore(vma, proposal));
    const next = candidate !== undefined && (prev === undefined || anonVmasCompatible(prev, candidate)) ? candidate : undefined;
    return { prev, next };
  }

  /**
   * The existing-range merge of madvise/mprotect: part [from, to) of `vma`
   * takes `wanted`'s flags; it merges into a neighbour it
   * touches when it can, else it is split off.
   */
  private changePart(vma: Vma, from: number, to: number, wanted: Readonly<Vma>): void {
    const proposal: Vma = {
      start: from,
      end: to,
      prot: wanted.prot,
      dontFork: wanted.dontFork,
      account: wanted.account,
      pgoff: vma.pgoff + (from - vma.start),
      anonVma: vma.anonVma,
    };
    const { prev, next } = this.neighbours(proposal);
    if (prev !== undefined && next !== undefined) {
      prev.end = next.end;
      prev.anonVma = prev.anonVma ?? next.anonVma ?? vma.anonVma;
      this.remove(vma);
      this.remove(next);
    } else if (prev !== undefined) {
      prev.end = to;
      prev.anonVma = prev.anonVma ?? vma.anonVma;
      if (to === vma.end) this.remove(vma);
      else {
        vma.pgoff += to - vma.start;
        vma.start = to;
      }
    } else if (next !== undefined) {
      next.start = from;
      next.pgoff -= to - from;
      next.anonVma = next.anonVma ?? vma.anonVma;
      if (from === vma.start) this.remove(vma);
      else vma.end = from;
      this.vmaList.sort((a, b) => a.start - b.start);
    } else {
      this.splitAt(from);
      this.splitAt(to);
      const part = this.vmaAt(from) as Vma;
      part.prot = wanted.prot;
      part.dontFork = wanted.dontFork;
      part.account = wanted.account;
    }
  }

  /** The new-range merge (copy_vma, a grow in place): `proposal` covers a hole. */
  private mergeNew(proposal: Vma): void {
    const { prev, next } = this.neighbours(proposal);
    if (prev !== undefined && next !== undefined) {
      prev.end = next.end;
      prev.anonVma = prev.anonVma ?? next.anonVma;
      this.remove(next);
    } else if (prev !== undefined) {
      prev.end = proposal.end;
    } else if (next !== undefined) {
      next.start = proposal.start;
      next.pgoff = proposal.pgoff;
      next.anonVma = next.anonVma ?? proposal.anonVma;
    } else {
      this.insert(proposal);
    }
  }
}

/** The flags the model tracks, access bits included. */
function sameFlags(a: Vma, b: Vma): boolean {
  return a.prot === b.prot && a.dontFork === b.dontFork && a.account === b.account;
}

/** anon_vma_compatible(): adjacent, same flags but for access bits, offsets in line. */
function anonVmaCompatible(a: Vma, b: Vma): boolean {
  return a.end === b.start && a.dontFork === b.dontFork && a.account === b.account && a.pgoff + (a.end - a.start) === b.pgoff;
}

/**
 * is_mergeable_anon_vma(anon_vma, neighbour->anon_vma, neighbour): a
 * missing anon_vma on either side is fine only when the neighbour's chain
 * is singular, which here means the neighbour has an anon_vma.
 */
function anonVmaMergeable(anonVma: number | null, neighbour: Vma): boolean {
  if (neighbour.anonVma === null) return anonVma === null;
  return anonVma === null || anonVma === neighbour.anonVma;
}

/** are_anon_vmas_compatible(prev, next), for a merge that joins both. */
function anonVmasCompatible(prev: Vma, next: Vma): boolean {
  return prev.anonVma === null || next.anonVma === null || prev.anonVma === next.anonVma;
}

/** can_vma_merge_after(): `proposal` continues `prev`. */
function canMergeAfter(prev: Vma, proposal: Vma): boolean {
  return anonVmaCompatible(prev, proposal) && prev.prot === proposal.prot && anonVmaMergeable(proposal.anonVma, prev);
}

/** can_vma_merge_before(): `next` continues `proposal`. */
function canMergeBefore(next: Vma, proposal: Vma): boolean {
  return anonVmaCompatible(proposal, next) && proposal.prot === next.prot && anonVmaMergeable(proposal.anonVma, next);
}
