/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel benchmarks share: timing a call in batches, the
 * invalidations they time, and the device calls they make untimed.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/ummunotify.h>

#define BATCHES		15
#define BATCH_CALLS	200

static long page_size;

struct cost {
	double min_ns;
	double median_ns;
};

/* One measured call; the state it needs between calls is set up untimed. */
struct probe {
	const char *name;
	void (*prepare)(struct probe *p);
	void (*call)(struct probe *p);
	char *page;
	int fd;
	int toggle;
};

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static inline double measure_batch(struct probe *p)
{
	uint64_t total = 0, t;
	int i;

	for (i = 0; i < BATCH_CALLS; i++) {
		if (p->prepare)
			p->prepare(p);
		t = now_ns();
		p->call(p);
		total += now_ns() - t;
	}
	return (double)total / BATCH_CALLS;
}

static inline struct cost summarize(double *batch_ns, int n)
{
	struct cost c;

	qsort(batch_ns, n, sizeof(batch_ns[0]), cmp_double);
	c.min_ns = batch_ns[0];
	c.median_ns = batch_ns[n / 2];
	return c;
}

static inline struct cost measure(struct probe *p)
{
	double batch_ns[BATCHES];
	int b;

	for (b = 0; b < BATCHES; b++)
		batch_ns[b] = measure_batch(p);
	return summarize(batch_ns, BATCHES);
}

static inline void call_getppid(struct probe *p)
{
	(void)p;
	getppid();
}

static inline void call_dontneed(struct probe *p)
{
	if (madvise(p->page, page_size, MADV_DONTNEED))
		die("madvise");
}

static inline void call_mprotect_toggle(struct probe *p)
{
	p->toggle = !p->toggle;
	if (mprotect(p->page, page_size,
		     p->toggle ? PROT_READ : PROT_READ | PROT_WRITE))
		die("mprotect");
}

/* A hit queues a report only when none is queued: drain it so each one does. */
static inline void drain_queue(struct probe *p)
{
	struct ummunotify_event ev[64];
	ssize_t n;

	if (p->fd < 0)
		return;
	do {
		n = read(p->fd, ev, sizeof(ev));
	} while (n > 0);
	if (n < 0 && errno != EAGAIN)
		die("read");
}

/* mprotect() fires no notifier on a page with no page table: keep it mapped. */
static inline void populate_and_drain(struct probe *p)
{
	if (!p->toggle)
		p->page[0] = 1;
	drain_queue(p);
}

static inline char *map_pages(size_t pages, int prot)
{
	char *p = mmap(NULL, pages * page_size, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	/* A 4 KiB change inside a huge page would be reported over 2 MiB. */
	if (prot != PROT_NONE && madvise(p, pages * page_size, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE)");
	return p;
}

static inline void register_range(int fd, uint64_t start, uint64_t end, uint64_t cookie)
{
	struct ummunotify_register_ioctl r = {
		.start = start, .end = end, .user_cookie = cookie,
	};

	if (ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r))
		die("UMMUNOTIFY_REGISTER_REGION");
}

/* Pins us (and the children we fork) to CPU 0; sets page_size. */
static inline void bench_setup(void)
{
	cpu_set_t cpu;

	page_size = sysconf(_SC_PAGESIZE);
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu))
		die("sched_setaffinity");
}

#endif /* BENCH_H */
