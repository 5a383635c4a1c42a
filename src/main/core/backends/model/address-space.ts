// The simulated lab arena: the VMAs covering it and the state of each page.
// Page numbers are relative to the arena base. VMAs carry what decides both
// merging and fork's notifications: protection, MADV_DONTFORK, the page
// offset (anonymous mappings take addr >> PAGE_SHIFT at mmap time and keep
// it when moved) and the anon_vma (created on the first write fault).
//
// Assumptions, to be confirmed by the differential tests:
// - The arena never merges with mappings outside it (the lab keeps other
//   flags there, e.g. MADV_NOHUGEPAGE, or guard gaps), and every VMA inside
//   carries the same hugepage flags (the lab re-applies MADV_NOHUGEPAGE after
//   a MAP_FIXED mmap), so only protection, DONTFORK, page offset and anon_vma
//   decide merging.
// - Adjacent mergeable VMAs are always merged, which is the state the
//   kernel's vma_merge() keeps after every op the lab performs.
// - Every anon_vma chain is singular (the lab never keeps a fork child), so
//   a neighbour's anon_vma is always reusable when the VMAs are compatible.

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
    this.vmaList = [{ start: 0, end: pages, prot: 'rw', dontFork: false, pgoff: basePgoff, anonVma: this.nextAnonVma++ }];
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

  /** A fresh anonymous RW mapping over a hole: no pages, no anon_vma. */
  mapAnonymous(start: number, end: number): void {
    this.insert({ start, end, prot: 'rw', dontFork: false, pgoff: this.basePgoff + start, anonVma: null });
    for (let p = start; p < end; p++) this.pageStates[p] = 'none';
    this.mergeAll();
  }

  /** Places a VMA (a moved one) over a hole; the caller sets its pages. */
  placeVma(vma: Vma): void {
    this.insert(vma);
    this.mergeAll();
  }

  /** Grows a VMA in place over the hole [vma.end, newEnd). */
  extend(vma: Vma, newEnd: number): void {
    for (let p = vma.end; p < newEnd; p++) this.pageStates[p] = 'none';
    vma.end = newEnd;
    this.mergeAll();
  }

  /** Applies a VMA attribute change to the mapped parts of [start, end). */
  modify(start: number, end: number, change: (vma: Vma) => void): void {
    this.splitAt(start);
    this.splitAt(end);
    for (const piece of this.pieces(start, end)) change(piece.vma);
    this.mergeAll();
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

  private splitAt(page: number): void {
    const vma = this.vmaList.find((candidate) => candidate.start < page && page < candidate.end);
    if (vma === undefined) return;
    const tail: Vma = { ...vma, start: page, pgoff: vma.pgoff + (page - vma.start) };
    vma.end = page;
    this.insert(tail);
  }

  private mergeAll(): void {
    const merged: Vma[] = [];
    for (const vma of this.vmaList) {
      const prev = merged[merged.length - 1];
      if (prev !== undefined && mergeable(prev, vma)) {
        prev.end = vma.end;
        prev.anonVma = prev.anonVma ?? vma.anonVma;
      } else {
        merged.push(vma);
      }
    }
    this.vmaList = merged;
  }
}

/** anon_vma_compatible(): adjacent, same flags but for access bits, offsets in line. */
function anonVmaCompatible(a: Vma, b: Vma): boolean {
  return a.end === b.start && a.dontFork === b.dontFork && a.pgoff + (a.end - a.start) === b.pgoff;
}

/** vma_merge(): compatible for anon_vma, same protection, and no anon_vma conflict. */
function mergeable(a: Vma, b: Vma): boolean {
  return (
    anonVmaCompatible(a, b) &&
    a.prot === b.prot &&
    (a.anonVma === null || b.anonVma === null || a.anonVma === b.anonVma)
  );
}
