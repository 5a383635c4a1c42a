// Seeded random operation scripts: registrations over the arena (with
// duplicate and unknown cookies on purpose), reads with various buffer
// sizes, QUERY, and every lab op except PAGEOUT (whose events need swap;
// see scripts.ts).
//
// A script uses fork or the page-aging advices (COLD, FREE), never both:
// MADV_COLD and MADV_FREE queue the folio on a per-CPU LRU batch that holds
// a reference until that CPU drains it, at a time userspace cannot see or
// force. A write to a page that fork left copy-on-write reuses it only when
// its reference count says nobody else holds it (do_wp_page(), after
// draining the local CPU's batch only), so while a remote batch holds it the
// kernel copies instead and sends a CLEAR per page. The model cannot know
// which, so the scripts never create that state.
//
// For the same reason the parent never writes a page that a fork may have
// left copy-on-write: a freshly faulted folio sits in its CPU's lru_add
// batch (not yet on the LRU) until that batch fills or is drained, and
// do_wp_page() drains only the local CPU's, so a write from the other CPU
// copies (CLEAR) where one from the same CPU reuses (nothing). The
// generator keeps a conservative set of such pages (anything possibly
// present at a fork, until DONTNEED, munmap or mmap zaps it; a move carries
// it along) and turns a write that reaches one into a read.

import { FEATURE_FILTER, FEATURE_GENERATIONS, FEATURE_QUERY, REASON_VALID_MASK, type LabOp, type MadviseAdvice, type Protection } from '../../../src/shared/domain';
import { grantedBy, openingText, type Opening, type Script, type Step } from './script';

/** mulberry32: small, seedable, good enough to pick operations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADVICES: MadviseAdvice[] = ['DONTNEED', 'DONTFORK', 'DOFORK', 'WILLNEED'];
const PAGE_AGING: MadviseAdvice[] = ['FREE', 'COLD'];
const PROTECTIONS: Protection[] = ['rw', 'r', 'none'];

export function randomScript(seed: number, open: Opening, length = 1000, arenaPages = 32): Script {
  const random = prng(seed);
  const features = grantedBy(open);
  const strict = open.call === 'negotiate';
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const ages = random() < 0.5;
  const advices = ages ? [...ADVICES, ...PAGE_AGING] : ADVICES;
  const range = (): { page: number; pages: number } => {
    const page = int(arenaPages);
    return { page, pages: 1 + int(Math.min(arenaPages - page, 8)) };
  };
  const lab = (): LabOp => {
    const r = range();
    switch (int(10)) {
      case 0:
      case 1:
        return { op: 'touch', ...r };
      case 2:
        return { op: 'read', ...r };
      case 3:
        return { op: 'munmap', ...r };
      case 4:
        return { op: 'mmap', ...r };
      case 5:
      case 6:
        return { op: 'madvise', ...r, advice: pick(advices) };
      case 7:
        return { op: 'mprotect', ...r, prot: pick(PROTECTIONS) };
      case 8: {
        const newPages = 1 + int(8);
        return random() < 0.5 ? { op: 'mremap', ...r, newPages } : { op: 'mremap', ...r, newPages, newPage: int(arenaPages) };
      }
      default:
        return random() < 0.3 && !ages ? { op: 'fork', ...r } : { op: 'touch', ...r };
    }
  };
  const cowShared = new CopyOnWritePages(arenaPages);
  const steps: Step[] = [];
  while (steps.length < length) {
    const roll = random();
    if (roll < 0.2) {
      const r = range();
      // With GENERATIONS, most registrations take a slot; elsewhere a few try (EINVAL on both).
      const slot = random() < (features & FEATURE_GENERATIONS ? 0.7 : 0.05);
      steps.push({ op: 'register', ...r, cookie: 1 + int(24), ...registerFields(random, features, strict), ...(slot ? { slot } : {}) });
    } else if (roll < 0.27) {
      steps.push({ op: 'unregister', cookie: 1 + int(26) });
    } else if (roll < 0.45) {
      steps.push({ op: 'read', maxEvents: pick([1, 2, 3, 8, 128]) });
    } else if (roll < 0.5 && features & FEATURE_QUERY) {
      steps.push({ op: 'query' });
    } else {
      steps.push({ op: 'lab', lab: cowShared.follow(lab()) });
    }
  }
  const kind = ages ? 'COLD/FREE' : 'fork';
  return { name: `random seed=${seed} ${openingText(open)} with ${kind}`, open, arenaPages, steps };
}

/**
 * REGISTER's flags and reserved. A 2010 file gets stack garbage half the
 * time (the kernel must ignore it); a negotiated one gets a valid filter
 * mask where FILTER is on, and now and then a bad field (EINVAL on both).
 */
function registerFields(random: () => number, features: number, strict: boolean): { filter: number; reserved: number } {
  const u32 = (): number => Math.floor(random() * 0x1_0000_0000);
  if (!strict) return random() < 0.5 ? { filter: u32(), reserved: u32() } : { filter: 0, reserved: 0 };
  const roll = random();
  if (roll < 0.04) return { filter: 0, reserved: 1 + Math.floor(random() * 0xffff) };
  if (roll < 0.08) return { filter: 1 << (8 + Math.floor(random() * 7)), reserved: 0 };
  const filter = features & FEATURE_FILTER && random() < 0.4 ? Math.floor(random() * 0x100) & REASON_VALID_MASK : 0;
  return { filter, reserved: 0 };
}

/**
 * Pages a fork may have left copy-on-write, as a superset: every page that
 * may be present when a fork runs, until its pages are zapped.
 */
class CopyOnWritePages {
  private readonly maybePresent: boolean[];
  private readonly shared: boolean[];

  constructor(private readonly pages: number) {
    this.maybePresent = new Array<boolean>(pages).fill(true);
    this.shared = new Array<boolean>(pages).fill(false);
  }

  /** Records `op`, or its read form when it would write a shared page. */
  follow(op: LabOp): LabOp {
    const end = op.page + op.pages;
    const range = (from: number, to: number, update: (p: number) => void): void => {
      for (let p = from; p < Math.min(to, this.pages); p++) update(p);
    };
    switch (op.op) {
      case 'touch':
        if (this.shared.slice(op.page, end).some(Boolean)) return { op: 'read', page: op.page, pages: op.pages };
        range(op.page, end, (p) => (this.maybePresent[p] = true));
        return op;
      case 'read':
        range(op.page, end, (p) => (this.maybePresent[p] = true));
        return op;
      case 'munmap':
      case 'mmap':
        range(op.page, end, (p) => this.zap(p));
        return op;
      case 'madvise':
        if (op.advice === 'DONTNEED') range(op.page, end, (p) => this.zap(p));
        return op;
      case 'fork':
        range(0, this.pages, (p) => (this.shared[p] = this.shared[p] || this.maybePresent[p] === true));
        return op;
      case 'mremap': {
        if (op.newPage === undefined && op.newPages <= op.pages) {
          range(op.page + op.newPages, end, (p) => this.zap(p));
          return op;
        }
        const carried = this.shared.slice(op.page, end).some(Boolean);
        const present = this.maybePresent.slice(op.page, end).some(Boolean);
        // Without a destination the move goes to a hole the generator does not track: any page.
        const [from, to] = op.newPage === undefined ? [0, this.pages] : [op.newPage, op.newPage + op.newPages];
        range(from, to, (p) => {
          this.shared[p] = this.shared[p] || carried;
          this.maybePresent[p] = this.maybePresent[p] || present;
        });
        return op;
      }
      default:
        return op;
    }
  }

  private zap(page: number): void {
    this.shared[page] = false;
    this.maybePresent[page] = false;
  }
}
