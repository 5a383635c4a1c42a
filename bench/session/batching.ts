// How many push messages a burst of invalidations costs: N registrations,
// each invalidated once with auto-read on, on the model backend. Prints the
// ratio of events to batches and the wall time, from this one run.

import { createModelBackend } from '../../src/main/core/backends/model/index';
import { Session } from '../../src/main/core/session';
import type { PushBatch } from '../../src/shared/messages';

const registrations = Number(process.argv[2] ?? 2000);
const backend = createModelBackend({ pages: registrations, maxRegistrations: registrations });
const session = new Session(backend, { selection: 'bench', flushIntervalMs: 16, maxBatchItems: 256 });
const batches: PushBatch[] = [];
session.subscribe((batch) => batches.push(batch));
const base = backend.arena().base;
const page = (n: number): bigint => base + BigInt(n) * 4096n;

for (let i = 0; i < registrations; i++) await session.register(page(i), page(i + 1), BigInt(i + 1));
await session.idle();
session.flush();
batches.length = 0;

session.setAutoRead(true, 128);
const started = performance.now();
for (let i = 0; i < registrations; i++) void session.lab({ op: 'munmap', page: i, pages: 1 });
await session.idle();
session.flush();
const elapsed = performance.now() - started;

const items = batches.flatMap((b) => b.items);
const events = items.reduce((n, item) => n + (item.kind === 'record' && item.record.kind === 'events' ? item.record.events.length : 0), 0);
console.log(`registrations invalidated: ${registrations}`);
console.log(`events delivered: ${events}; pushed items: ${items.length}; batches (messages): ${batches.length}`);
console.log(`events per message: ${(events / batches.length).toFixed(1)}; items per message: ${(items.length / batches.length).toFixed(1)}`);
console.log(`wall time: ${elapsed.toFixed(0)} ms (${((elapsed * 1000) / registrations).toFixed(1)} us per invalidation incl. auto-read)`);
await session.close();
