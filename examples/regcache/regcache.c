// SPDX-License-Identifier: GPL-2.0
/* A registration cache over /dev/ummunotify; see regcache.h. */
#define _GNU_SOURCE
#include "regcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/ummunotify.h>

static uint64_t page_mask(void)
{
	return ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
}

struct regcache *regcache_open(size_t max_cached, FILE *log)
{
	struct regcache *rc = calloc(1, sizeof(*rc));
	void *page;

	if (!rc)
		return NULL;
	rc->fd = open("/dev/ummunotify", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rc->fd < 0)
		goto err;
	page = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_READ, MAP_SHARED, rc->fd, 0);
	if (page == MAP_FAILED)
		goto err_fd;
	rc->counter = page;
	rc->max_cached = max_cached;
	rc->next_cookie = 1;
	rc->log = log;
	fprintf(log, "open fd %d\n", rc->fd);
	return rc;
err_fd:
	close(rc->fd);
err:
	free(rc);
	return NULL;
}

static void regcache_unregister(struct regcache *rc, size_t i, const char *why)
{
	struct regcache_entry *e = &rc->entries[i];

	if (ioctl(rc->fd, UMMUNOTIFY_UNREGISTER_REGION, &e->cookie))
		fprintf(rc->log, "error unregister %llu %d\n",
			(unsigned long long)e->cookie, errno);
	fprintf(rc->log, "unregister %llu %s\n", (unsigned long long)e->cookie,
		why);
	rc->entries[i] = rc->entries[--rc->nr];
}

void regcache_close(struct regcache *rc)
{
	while (rc->nr)
		regcache_unregister(rc, rc->nr - 1, "close");
	fprintf(rc->log, "close hits %lu misses %lu evictions %lu fast %lu slow %lu\n",
		rc->hits, rc->misses, rc->evictions, rc->fast_checks,
		rc->slow_checks);
	munmap((void *)rc->counter, sysconf(_SC_PAGESIZE));
	close(rc->fd);
	free(rc->entries);
	free(rc);
}

static void regcache_invalidate(struct regcache *rc, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < rc->nr; i++) {
		if (rc->entries[i].cookie == cookie) {
			rc->entries[i].valid = 0;
			return;
		}
	}
}

/* Unused invalid entries go now; ones in use when their last user leaves. */
static void regcache_evict_invalid(struct regcache *rc)
{
	size_t i = 0;

	while (i < rc->nr) {
		if (!rc->entries[i].valid && !rc->entries[i].users) {
			rc->evictions++;
			regcache_unregister(rc, i, "invalidated");
		} else {
			i++;
		}
	}
}

void regcache_check(struct regcache *rc)
{
	struct ummunotify_event ev[64];
	ssize_t n;
	int i, last = 0;

	if (__atomic_load_n(rc->counter, __ATOMIC_ACQUIRE) == rc->seen_counter) {
		rc->fast_checks++;
		return;
	}
	rc->slow_checks++;
	while (!last) {
		n = read(rc->fd, ev, sizeof(ev));
		if (n < 0) {
			if (errno != EAGAIN)
				fprintf(rc->log, "error read %d\n", errno);
			break;
		}
		n /= sizeof(ev[0]);
		fprintf(rc->log, "read %zd\n", n);
		for (i = 0; i < n; i++) {
			if (ev[i].type == UMMUNOTIFY_EVENT_TYPE_LAST) {
				rc->seen_counter = ev[i].user_cookie_counter;
				fprintf(rc->log, "last %llu\n",
					(unsigned long long)rc->seen_counter);
				last = 1;
			} else {
				fprintf(rc->log, "inval %llu\n",
					(unsigned long long)ev[i].user_cookie_counter);
				regcache_invalidate(rc, ev[i].user_cookie_counter);
			}
		}
	}
	regcache_evict_invalid(rc);
}

/* Lazy unregister: only past capacity, the least recently used first. */
static void regcache_trim(struct regcache *rc)
{
	size_t i, lru;

	while (rc->nr >= rc->max_cached) {
		lru = rc->nr;
		for (i = 0; i < rc->nr; i++)
			if (!rc->entries[i].users &&
			    (lru == rc->nr ||
			     rc->entries[i].last_use < rc->entries[lru].last_use))
				lru = i;
		if (lru == rc->nr)
			return;
		regcache_unregister(rc, lru, "lru");
	}
}

uint64_t regcache_get(struct regcache *rc, const void *addr, size_t len)
{
	uint64_t start = (uintptr_t)addr & page_mask();
	uint64_t end = ((uintptr_t)addr + len + ~page_mask()) & page_mask();
	struct ummunotify_register_ioctl r = { .start = start, .end = end };
	struct regcache_entry *e;
	size_t i;

	regcache_check(rc);
	for (i = 0; i < rc->nr; i++) {
		e = &rc->entries[i];
		if (e->valid && e->start <= start && end <= e->end) {
			e->users++;
			e->last_use = ++rc->clock;
			rc->hits++;
			fprintf(rc->log, "hit %llu\n", (unsigned long long)e->cookie);
			return e->cookie;
		}
	}
	regcache_trim(rc);
	if (rc->nr == rc->cap) {
		size_t cap = rc->cap ? 2 * rc->cap : 64;
		void *p = realloc(rc->entries, cap * sizeof(*rc->entries));

		if (!p)
			return 0;
		rc->entries = p;
		rc->cap = cap;
	}
	r.user_cookie = rc->next_cookie++;
	if (ioctl(rc->fd, UMMUNOTIFY_REGISTER_REGION, &r)) {
		fprintf(rc->log, "error register %d\n", errno);
		return 0;
	}
	e = &rc->entries[rc->nr++];
	*e = (struct regcache_entry) {
		.start = start, .end = end, .cookie = r.user_cookie,
		.users = 1, .last_use = ++rc->clock, .valid = 1,
	};
	rc->misses++;
	fprintf(rc->log, "register %llu %#llx %#llx\n",
		(unsigned long long)e->cookie, (unsigned long long)start,
		(unsigned long long)end);
	return e->cookie;
}

void regcache_put(struct regcache *rc, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < rc->nr; i++) {
		if (rc->entries[i].cookie != cookie)
			continue;
		if (!--rc->entries[i].users && !rc->entries[i].valid) {
			rc->evictions++;
			regcache_unregister(rc, i, "invalidated");
		}
		return;
	}
}
