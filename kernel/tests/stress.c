// SPDX-License-Identifier: GPL-2.0
/*
 * Threads registering, unregistering, changing the memory map and reading
 * at the same time for a bounded time. What a user relies on: every INVAL
 * names a cookie that was registered, no read returns a registration
 * twice, and the counter never goes backwards.
 */
#include "ummunotify_test.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define ARENA_PAGES 64
#define MAX_COOKIES (1U << 22)
#define RUN_SECONDS 5
#define READERS 2
#define REGISTRARS 2

static int fd;
static char *arena;
static const volatile __u64 *counter;
static atomic_uint next_cookie = 1;
static atomic_uchar ever_registered[MAX_COOKIES];
static atomic_int stop;
static atomic_ulong reads, events_seen, registrations, mutations;
static atomic_int unknown_cookie, duplicate, counter_backwards;

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

static void *registrar_main(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	__u64 mine[256] = { 0 };

	while (!atomic_load(&stop)) {
		unsigned int slot = rnd(&seed) % 256;
		unsigned int first = rnd(&seed) % ARENA_PAGES;
		unsigned int len = 1 + rnd(&seed) % 4;
		unsigned int cookie;

		if (mine[slot]) {
			umn_unregister(fd, mine[slot]);
			mine[slot] = 0;
			continue;
		}
		cookie = atomic_fetch_add(&next_cookie, 1);
		if (cookie >= MAX_COOKIES)
			break;
		atomic_store(&ever_registered[cookie], 1);
		if (first + len > ARENA_PAGES)
			len = ARENA_PAGES - first;
		if (umn_register(fd, arena_page(arena, first),
				 len * page_size(), cookie) == 0) {
			mine[slot] = cookie;
			atomic_fetch_add(&registrations, 1);
		}
	}
	return NULL;
}

static void *mutator_main(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;

	while (!atomic_load(&stop)) {
		char *p = arena_page(arena, rnd(&seed) % ARENA_PAGES);

		switch (rnd(&seed) % 4) {
		case 0:
			madvise(p, page_size(), MADV_DONTNEED);
			break;
		case 1:
			mmap(p, page_size(), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			break;
		case 2:
			mprotect(p, page_size(), PROT_READ);
			mprotect(p, page_size(), PROT_READ | PROT_WRITE);
			break;
		default:
			p[0] = 1;
			break;
		}
		atomic_fetch_add(&mutations, 1);
	}
	return NULL;
}

static int cookie_cmp(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static void *reader_main(void *arg)
{
	struct ummunotify_event ev[128];
	__u64 cookies[128], last_counter = 0, mapped = 0, now;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	(void)arg;
	while (!atomic_load(&stop)) {
		ssize_t bytes;
		int i, n, nc = 0;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		bytes = read(fd, ev, sizeof(ev));
		if (bytes < 0)
			continue;
		n = (int)(bytes / (ssize_t)sizeof(*ev));
		atomic_fetch_add(&reads, 1);
		for (i = 0; i < n; i++) {
			if (ev[i].type == UMMUNOTIFY_EVENT_TYPE_LAST) {
				if (ev[i].user_cookie_counter < last_counter)
					atomic_fetch_add(&counter_backwards, 1);
				last_counter = ev[i].user_cookie_counter;
				continue;
			}
			atomic_fetch_add(&events_seen, 1);
			if (ev[i].user_cookie_counter >= MAX_COOKIES ||
			    !atomic_load(&ever_registered[ev[i].user_cookie_counter]))
				atomic_fetch_add(&unknown_cookie, 1);
			cookies[nc++] = ev[i].user_cookie_counter;
		}
		qsort(cookies, nc, sizeof(*cookies), cookie_cmp);
		for (i = 1; i < nc; i++)
			if (cookies[i] == cookies[i - 1])
				atomic_fetch_add(&duplicate, 1);
		now = umn_counter_load(counter);
		if (now < mapped || now < last_counter)
			atomic_fetch_add(&counter_backwards, 1);
		mapped = now;
	}
	return NULL;
}

int main(void)
{
	pthread_t readers[READERS], registrars[REGISTRARS], mutator;
	struct ummunotify_event ev[128];
	int i;

	fd = umn_open(UMN_NO_NEGOTIATE);
	/* Readers race for the same reports: a blocking read could wait forever. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	counter = umn_map_counter(fd);
	arena = arena_new(ARENA_PAGES);

	for (i = 0; i < READERS; i++)
		pthread_create(&readers[i], NULL, reader_main, NULL);
	for (i = 0; i < REGISTRARS; i++)
		pthread_create(&registrars[i], NULL, registrar_main,
			       (void *)(uintptr_t)(i + 1));
	pthread_create(&mutator, NULL, mutator_main, (void *)(uintptr_t)77);

	sleep(RUN_SECONDS);
	atomic_store(&stop, 1);
	pthread_join(mutator, NULL);
	for (i = 0; i < REGISTRARS; i++)
		pthread_join(registrars[i], NULL);
	for (i = 0; i < READERS; i++)
		pthread_join(readers[i], NULL);

	diag("%lu registrations, %lu map changes, %lu reads, %lu INVAL events, counter %llu",
	     atomic_load(&registrations), atomic_load(&mutations),
	     atomic_load(&reads), atomic_load(&events_seen),
	     (unsigned long long)umn_counter_load(counter));
	ok(atomic_load(&registrations) > 0 && atomic_load(&events_seen) > 0,
	   "the stress run registered ranges and saw invalidations");
	ok(atomic_load(&unknown_cookie) == 0,
	   "every INVAL names a cookie that was registered (%d bad)",
	   atomic_load(&unknown_cookie));
	ok(atomic_load(&duplicate) == 0,
	   "no read returns the same registration twice (%d duplicates)",
	   atomic_load(&duplicate));
	ok(atomic_load(&counter_backwards) == 0,
	   "the counter never goes backwards (%d times)",
	   atomic_load(&counter_backwards));
	umn_drain(fd, ev, 128);
	munmap(arena, ARENA_PAGES * page_size());
	ok(close(fd) == 0, "close after the stress run succeeds");
	return tap_done();
}
