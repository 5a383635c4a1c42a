/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A registration cache of the kind RDMA libraries keep (Open MPI's rcache,
 * libfabric's MR cache), kept correct by /dev/ummunotify:
 *   - lookup-or-register: a buffer already covered by a cached
 *     registration reuses it, otherwise its pages are registered;
 *   - lazy unregister: a released registration stays cached for reuse,
 *     until the cache is over capacity (least recently used goes first);
 *   - the counter fast path: one load of the mapped generation counter
 *     says whether anything was invalidated since the last check;
 *   - drain and evict on change: otherwise read() until LAST, and every
 *     registration named by an INVAL event is dropped (unregistered), so a
 *     stale translation is never handed out again.
 * Everything the cache does to the device is written to its log, one line
 * each, so that an outside observer (a monitor) can be checked against it.
 */
#ifndef REGCACHE_H
#define REGCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct regcache_entry {
	uint64_t start, end;	/* page-aligned, [start, end) */
	uint64_t cookie;
	unsigned int users;
	uint64_t last_use;
	int valid;
};

struct regcache {
	int fd;
	const volatile uint64_t *counter;
	uint64_t seen_counter;	/* the counter of the last LAST event read */
	struct regcache_entry *entries;
	size_t nr, cap, max_cached;
	uint64_t next_cookie, clock;
	FILE *log;
	unsigned long hits, misses, evictions, fast_checks, slow_checks;
};

/* Opens the device the 2010 way; NULL and errno on failure. */
struct regcache *regcache_open(size_t max_cached, FILE *log);
void regcache_close(struct regcache *rc);

/*
 * The cookie of a valid registration covering [addr, addr + len),
 * registered if needed, now in use; 0 on failure. Give it back with
 * regcache_put().
 */
uint64_t regcache_get(struct regcache *rc, const void *addr, size_t len);
void regcache_put(struct regcache *rc, uint64_t cookie);

/* The fast path, then drain and evict if the counter moved. */
void regcache_check(struct regcache *rc);

#endif /* REGCACHE_H */
