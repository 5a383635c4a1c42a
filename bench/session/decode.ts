// What the page pays to take a stream in: a busy lab session (32 one-page
// registrations, auto-read on, a DONTNEED and a touch of each page in
// turn) is pushed, encoded as serve mode sends it, and then parsed
// (JSON.parse) and decoded (decodePushBatch) as the page does, several
// rounds. Prints microseconds per record and decode / parse, from this run.

import { createModelBackend } from '../../src/main/core/backends/model/index';
import { Session } from '../../src/main/core/session';
import { decodePushBatch, encodePushBatch } from '../../src/shared/message-codec';
import type { PushBatch } from '../../src/shared/messages';

const operations = Number(process.argv[2] ?? 4000);
const backend = createModelBackend({ pages: 64 });
const session = new Session(backend, { selection: 'bench', flushIntervalMs: 16, maxBatchItems: 256 });
const batches: PushBatch[] = [];
session.subscribe((batch) => batches.push(batch));
const base = backend.arena().base;
const page = (n: number): bigint => base + BigInt(n) * 4096n;
for (let i = 0; i < 32; i++) await session.register(page(i), page(i + 1), BigInt(i + 1));
session.setAutoRead(true, 128);
await session.idle();
session.flush();
batches.length = 0;

for (let i = 0; i < operations; i++) {
  await session.lab(i % 2 === 0 ? { op: 'madvise', page: (i / 2) % 32, pages: 1, advice: 'DONTNEED' } : { op: 'touch', page: ((i - 1) / 2) % 32, pages: 1 });
}
await session.idle();
session.flush();
await session.close();

const texts = batches.map((batch) => JSON.stringify(encodePushBatch(batch)));
const records = batches.reduce((n, batch) => n + batch.items.filter((item) => item.kind === 'record').length, 0);
const bytes = texts.reduce((n, text) => n + text.length, 0);
console.log(`${operations} operations: ${records} records in ${batches.length} batches, ${(bytes / records).toFixed(0)} bytes of JSON per record`);

const perRecord = (ms: number): number => (ms * 1000) / records;
const rounds: { parse: number; decode: number }[] = [];
for (let round = 0; round < 7; round++) {
  const parseStart = performance.now();
  const parsed: unknown[] = texts.map((text) => JSON.parse(text));
  const decodeStart = performance.now();
  for (const value of parsed) decodePushBatch(value);
  rounds.push({ parse: decodeStart - parseStart, decode: performance.now() - decodeStart });
}
// The first rounds warm the JIT up; the median of the rest is what a page taking a stream for a while pays.
const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const warm = rounds.slice(2);
const parse = median(warm.map((r) => r.parse));
const decode = median(warm.map((r) => r.decode));
console.log(`JSON.parse: ${perRecord(parse).toFixed(2)} us per record; decode: ${perRecord(decode).toFixed(2)} us per record; decode / parse ${(decode / parse).toFixed(2)}x`);
