// An interval treap: entries ordered by (start, end, cookie), each node
// augmented with the largest end in its subtree, so that the entries
// overlapping [s, e) are found in O(log n + k) expected node visits and come
// out in that same order. Priorities come from a fixed-seed generator so the
// shape, and therefore every visit count, is reproducible.

export interface IntervalKey {
  readonly start: bigint;
  readonly end: bigint;
  readonly cookie: bigint;
}

interface Node<T extends IntervalKey> {
  entry: T;
  priority: number;
  maxEnd: bigint;
  left: Node<T> | null;
  right: Node<T> | null;
}

export function compareKeys(a: IntervalKey, b: IntervalKey): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end < b.end ? -1 : 1;
  if (a.cookie !== b.cookie) return a.cookie < b.cookie ? -1 : 1;
  return 0;
}

function maxEndOf<T extends IntervalKey>(node: Node<T> | null): bigint {
  return node === null ? -1n : node.maxEnd;
}

function refresh<T extends IntervalKey>(node: Node<T>): Node<T> {
  let max = node.entry.end;
  const left = maxEndOf(node.left);
  const right = maxEndOf(node.right);
  if (left > max) max = left;
  if (right > max) max = right;
  node.maxEnd = max;
  return node;
}

export class IntervalIndex<T extends IntervalKey> {
  private root: Node<T> | null = null;
  private count = 0;
  private seed = 0x9e3779b9;
  /** Nodes examined by the last overlapping() call; lets tests check the bound. */
  lastVisits = 0;

  get size(): number {
    return this.count;
  }

  insert(entry: T): void {
    const node: Node<T> = { entry, priority: this.nextPriority(), maxEnd: entry.end, left: null, right: null };
    const [lower, upper] = this.split(this.root, entry);
    this.root = this.merge(this.merge(lower, node), upper);
    this.count += 1;
  }

  /** Removes the entry with exactly this key; returns whether it was there. */
  remove(key: IntervalKey): boolean {
    const [lower, rest] = this.split(this.root, key);
    const [found, upper] = this.splitFirst(rest);
    const hit = found !== null && compareKeys(found.entry, key) === 0;
    this.root = hit ? this.merge(lower, upper) : this.merge(lower, this.merge(found, upper));
    if (hit) this.count -= 1;
    return hit;
  }

  /** Entries with start < e and s < end, in (start, end, cookie) order. */
  overlapping(s: bigint, e: bigint): T[] {
    const found: T[] = [];
    let visits = 0;
    const walk = (node: Node<T> | null): void => {
      if (node === null) return;
      visits += 1;
      if (node.maxEnd <= s) return;
      walk(node.left);
      if (node.entry.start >= e) return;
      if (s < node.entry.end) found.push(node.entry);
      walk(node.right);
    };
    walk(this.root);
    this.lastVisits = visits;
    return found;
  }

  /** Every entry in (start, end, cookie) order. */
  entries(): T[] {
    const all: T[] = [];
    const stack: Node<T>[] = [];
    let node = this.root;
    while (node !== null || stack.length > 0) {
      while (node !== null) {
        stack.push(node);
        node = node.left;
      }
      const top = stack.pop() as Node<T>;
      all.push(top.entry);
      node = top.right;
    }
    return all;
  }

  private nextPriority(): number {
    // xorshift32
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  /** Splits into keys < key and keys >= key. */
  private split(node: Node<T> | null, key: IntervalKey): [Node<T> | null, Node<T> | null] {
    if (node === null) return [null, null];
    if (compareKeys(node.entry, key) < 0) {
      const [lower, upper] = this.split(node.right, key);
      node.right = lower;
      return [refresh(node), upper];
    }
    const [lower, upper] = this.split(node.left, key);
    node.left = upper;
    return [lower, refresh(node)];
  }

  /** Splits off the smallest node. */
  private splitFirst(node: Node<T> | null): [Node<T> | null, Node<T> | null] {
    if (node === null) return [null, null];
    if (node.left === null) {
      const rest = node.right;
      node.right = null;
      return [refresh(node), rest];
    }
    const [first, rest] = this.splitFirst(node.left);
    node.left = rest;
    return [first, refresh(node)];
  }

  private merge(a: Node<T> | null, b: Node<T> | null): Node<T> | null {
    if (a === null) return b;
    if (b === null) return a;
    if (a.priority > b.priority) {
      a.right = this.merge(a.right, b);
      return refresh(a);
    }
    b.left = this.merge(a, b.left);
    return refresh(b);
  }
}
