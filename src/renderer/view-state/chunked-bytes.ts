// An append-only byte log in fixed-size chunks, released from the front:
// the storage under a ring of variable-length records. Positions are global
// byte offsets that only grow; a block never straddles two chunks. A
// released chunk is reused for the next one needed: a full ring in steady
// state allocates nothing (fresh megabyte buffers would count against the
// garbage collector's external-memory budget and bring major collections).

export class ChunkedBytes {
  readonly chunkSize: number;
  private chunks: DataView[] = [];
  private spare: DataView | null = null;
  /** Chunk number of chunks[0]. */
  private firstChunk = 0;
  private end = 0;

  constructor(chunkSize = 1 << 20) {
    if (!Number.isInteger(chunkSize) || chunkSize < 64) throw new RangeError(`chunk size must be an integer >= 64, got ${chunkSize}`);
    this.chunkSize = chunkSize;
  }

  /** Position of a new block of `size` bytes (size <= chunkSize). */
  reserve(size: number): number {
    if (size > this.chunkSize) throw new RangeError(`block of ${size} bytes exceeds the chunk size ${this.chunkSize}`);
    let at = this.end;
    if ((at % this.chunkSize) + size > this.chunkSize) at = Math.ceil(at / this.chunkSize) * this.chunkSize;
    const chunk = Math.floor(at / this.chunkSize);
    if (this.chunks.length === 0) this.firstChunk = chunk;
    while (this.firstChunk + this.chunks.length <= chunk) {
      this.chunks.push(this.spare ?? new DataView(new ArrayBuffer(this.chunkSize)));
      this.spare = null;
    }
    this.end = at + size;
    return at;
  }

  /** The chunk holding `position`; read and write it at offsetOf(position). */
  viewOf(position: number): DataView {
    const view = this.chunks[Math.floor(position / this.chunkSize) - this.firstChunk];
    if (!view) throw new RangeError(`byte position ${position} was released or never written`);
    return view;
  }

  offsetOf(position: number): number {
    return position % this.chunkSize;
  }

  /** Frees the chunks wholly before `position` (the oldest position still needed). */
  releaseBefore(position: number): void {
    const keepFrom = Math.floor(position / this.chunkSize);
    const drop = Math.min(this.chunks.length, keepFrom - this.firstChunk);
    if (drop <= 0) return;
    this.spare = this.chunks[drop - 1] ?? null;
    this.chunks.splice(0, drop);
    this.firstChunk += drop;
  }

  clear(): void {
    this.chunks = [];
    this.firstChunk = 0;
    this.end = 0;
  }

  /** Bytes held in chunks (for tests and diagnostics). */
  get retainedBytes(): number {
    return this.chunks.length * this.chunkSize;
  }
}
