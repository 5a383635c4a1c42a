/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel benchmarks share: timing a call in batches, the
 * invalidations they time, and the device calls they make untimed.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
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

/*
 * A child process that measures batches on request (the figures with
 * nothing, or less, registered). @loop gets the request and reply pipe
 * ends and @arg, reads probe numbers from @request until EOF and writes
 * back one double (ns per call) per request.
 */
struct worker {
	pid_t pid;
	int request;
	int reply;
};

static inline struct worker worker_start(void (*loop)(int request, int reply,
						      void *arg),
					 void *arg)
{
	struct worker w;
	int request[2], reply[2];

	if (pipe(request) || pipe(reply))
		die("pipe");
	w.pid = fork();
	if (w.pid < 0)
		die("fork");
	if (w.pid == 0) {
		close(request[1]);
		close(reply[0]);
		loop(request[0], reply[1], arg);
		_exit(0);
	}
	close(request[0]);
	close(reply[1]);
	w.request = request[1];
	w.reply = reply[0];
	return w;
}

static inline double worker_batch(struct worker *w, int probe)
{
	double ns;

	if (write(w->request, &probe, sizeof(probe)) != sizeof(probe) ||
	    read(w->reply, &ns, sizeof(ns)) != sizeof(ns))
		die("worker");
	return ns;
}

static inline void worker_stop(struct worker *w)
{
	close(w->request);
	close(w->reply);
	waitpid(w->pid, NULL, 0);
}

/* A worker's loop: measures the batch of each probe number it is sent. */
static inline void worker_serve(int request, int reply, struct probe *probes)
{
	double ns;
	int i;

	while (read(request, &i, sizeof(i)) == sizeof(i)) {
		ns = measure_batch(&probes[i]);
		if (write(reply, &ns, sizeof(ns)) != sizeof(ns))
			die("write");
	}
}

static inline long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	size_t len = strlen(key);
	long kb = -1;

	if (!f)
		die("open /proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			kb = atol(line + len + 1);
			break;
		}
	fclose(f);
	return kb;
}

/* What the kernel allocates for us shows in these two. */
static inline long kernel_memory_kb(void)
{
	return meminfo_kb("Slab") + meminfo_kb("VmallocUsed");
}

/* A file that negotiated GENERATIONS, non-blocking. */
static inline int open_generations(void)
{
	struct ummunotify_features f = {
		.requested = UMMUNOTIFY_FEATURE_GENERATIONS,
	};
	int fd = open("/dev/ummunotify", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		die("open /dev/ummunotify");
	if (ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) ||
	    f.granted != UMMUNOTIFY_FEATURE_GENERATIONS)
		die("NEGOTIATE_FEATURES(GENERATIONS)");
	return fd;
}

static inline uint32_t register_slot(int fd, uint64_t start, uint64_t end,
				     uint64_t cookie)
{
	struct ummunotify_register_slot r = {
		.region = { .start = start, .end = end, .user_cookie = cookie },
	};

	if (ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &r))
		die("UMMUNOTIFY_REGISTER_SLOT");
	return r.slot;
}

#endif /* BENCH_H */
