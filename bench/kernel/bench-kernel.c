// SPDX-License-Identifier: GPL-2.0
/*
 * What a registration costs the process that holds it.
 *
 * Registers page-sized disjoint ranges (plus a few large ones) in stages up to
 * 1M, and at every stage measures:
 *   - the cost per REGISTER ioctl while growing to that count;
 *   - an invalidation that misses every range and one that hits a range,
 *     as madvise(MADV_DONTNEED) of one page and as an mprotect() toggle of a
 *     populated page, each as a ratio to the same call with no registration.
 * The calls with no registration are made by a child process with the device
 * open, in batches alternating with the parent's, so that a change in the
 * host's load between two measurements does not show up as a ratio. Every
 * figure is the minimum (and median) over batches of per-call means, so one
 * preempted batch does not skew it. Under QEMU TCG the absolute times are
 * emulated; the ratios, and the cost of a registration counted in null system
 * calls, are the figures that carry over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/ummunotify.h>

#include "bench.h"

#define LARGE_RANGES	4

static const unsigned long stages[] = { 1000, 100000, 1000000 };
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_STAGES	ARRAY_SIZE(stages)

enum { DONTNEED_MISS, DONTNEED_HIT, MPROTECT_MISS, MPROTECT_HIT, NR_PROBES };

static void probes_init(struct probe *probes, char *miss_page, char *hit_page, int fd)
{
	static const char * const names[NR_PROBES] = {
		"madvise miss", "madvise hit", "mprotect miss", "mprotect hit",
	};
	int i;

	for (i = 0; i < NR_PROBES; i++) {
		int dontneed = i == DONTNEED_MISS || i == DONTNEED_HIT;
		int hit = i == DONTNEED_HIT || i == MPROTECT_HIT;

		probes[i] = (struct probe) {
			.name = names[i],
			.prepare = dontneed ? drain_queue : populate_and_drain,
			.call = dontneed ? call_dontneed : call_mprotect_toggle,
			.page = hit ? hit_page : miss_page,
			.fd = fd,
		};
	}
}

static void measure_all(struct probe *probes, struct cost *out)
{
	int i;

	for (i = 0; i < NR_PROBES; i++)
		out[i] = measure(&probes[i]);
}

/* A process with the device open and nothing registered, measuring on request. */
struct baseline_pages {
	char *miss_page;
	char *hit_page;
};

static void baseline_worker_loop(int request, int reply, void *arg)
{
	const struct baseline_pages *pages = arg;
	struct probe probes[NR_PROBES];
	int fd;

	fd = open("/dev/ummunotify", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		die("open /dev/ummunotify");
	probes_init(probes, pages->miss_page, pages->hit_page, fd);
	worker_serve(request, reply, probes);
}

/* Every batch of ours follows one of the baseline's, probe by probe. */
static void measure_against_baseline(struct worker *w,
				     struct probe *probes, struct cost *out,
				     struct cost *base, double *base_pool)
{
	double mine[BATCHES], theirs[BATCHES];
	int i, b;

	for (i = 0; i < NR_PROBES; i++) {
		for (b = 0; b < BATCHES; b++) {
			theirs[b] = worker_batch(w, i);
			mine[b] = measure_batch(&probes[i]);
			base_pool[i * NR_STAGES * BATCHES + b] = theirs[b];
		}
		out[i] = summarize(mine, BATCHES);
		base[i] = summarize(theirs, BATCHES);
	}
}

static void print_row(const char *label, double reg_ns, const struct cost *c,
		      const struct cost *base)
{
	int i;

	printf("%-9s", label);
	if (reg_ns >= 0)
		printf(" %10.0f", reg_ns);
	else
		printf(" %10s", "-");
	for (i = 0; i < NR_PROBES; i++)
		printf(" | %8.0f %7.0f %5.2fx", c[i].min_ns, c[i].median_ns,
		       c[i].min_ns / base[i].min_ns);
	printf("\n");
}

static double ratio(const struct cost *c, const struct cost *base)
{
	return c->min_ns / base->min_ns;
}

static void print_target(const char *what, double r)
{
	printf("  missing %-8s <= 1.20x: %.2fx %s\n", what, r, r <= 1.2 ? "met" : "MISSED");
}

int main(void)
{
	struct cost no_device[NR_PROBES], none[NR_PROBES];
	struct cost at[NR_STAGES][NR_PROBES], base[NR_STAGES][NR_PROBES];
	static double base_pool[NR_PROBES * NR_STAGES * BATCHES];
	struct probe getppid_probe = { .call = call_getppid };
	double reg_ns[NR_STAGES], close_ns, null_syscall_ns;
	struct probe probes[NR_PROBES];
	unsigned long registered = 0, s, i;
	char *reserve, *miss_page, *hit_page;
	struct baseline_pages pages;
	struct worker worker;
	const unsigned long last = NR_STAGES - 1;
	struct utsname u;
	uint64_t t;
	int fd;

	uname(&u);
	/* The baseline process shares our CPU: a slower CPU slows both alike. */
	bench_setup();
	/* Stride 2 pages: ranges are disjoint and not even adjacent. */
	reserve = map_pages(2 * stages[last], PROT_NONE);
	/* A PROT_NONE page between them keeps the two in separate VMAs. */
	miss_page = map_pages(3, PROT_READ | PROT_WRITE);
	hit_page = miss_page + 2 * page_size;
	if (mprotect(miss_page + page_size, page_size, PROT_NONE))
		die("mprotect");

	/* Before the device is ever opened: no notifier on this mm at all. */
	probes_init(probes, miss_page, hit_page, -1);
	measure_all(probes, no_device);
	null_syscall_ns = measure(&getppid_probe).min_ns;

	pages = (struct baseline_pages) { miss_page, hit_page };
	worker = worker_start(baseline_worker_loop, &pages);
	fd = open("/dev/ummunotify", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		die("open /dev/ummunotify");
	probes_init(probes, miss_page, hit_page, fd);
	register_range(fd, (uintptr_t)hit_page, (uintptr_t)hit_page + page_size, ~0ull);
	for (i = 0; i < LARGE_RANGES; i++) {
		uint64_t quarter = stages[last] / 2 * page_size;
		uint64_t start = (uintptr_t)reserve + i * quarter;

		register_range(fd, start, start + quarter, ~0ull - 1 - i);
	}
	for (s = 0; s < NR_STAGES; s++) {
		unsigned long from = registered;

		t = now_ns();
		for (; registered < stages[s]; registered++) {
			uint64_t start = (uintptr_t)reserve + 2 * registered * page_size;

			register_range(fd, start, start + page_size, registered + 1);
		}
		reg_ns[s] = (double)(now_ns() - t) / (registered - from);
		measure_against_baseline(&worker, probes, at[s], base[s],
					 base_pool + s * BATCHES);
	}
	worker_stop(&worker);
	t = now_ns();
	close(fd);
	close_ns = (double)(now_ns() - t) / (registered + LARGE_RANGES + 1);
	for (i = 0; i < NR_PROBES; i++)
		none[i] = summarize(base_pool + i * NR_STAGES * BATCHES,
				    NR_STAGES * BATCHES);

	printf("ummunotify kernel benchmark on %s %s\n", u.sysname, u.release);
	printf("invalidations: one page, per call; min and median of batches of %d calls (ns)\n",
	       BATCH_CALLS);
	printf("ratio: against the same call by a process with the device open and nothing\n");
	printf("registered, in alternating batches (row 0: all of that process's batches)\n");
	printf("(%d large ranges of %lu MiB overlap the page-sized ones; the hit range is one page)\n\n",
	       LARGE_RANGES, stages[last] / 2 * page_size >> 20);
	printf("%-9s %10s", "ranges", "reg ns/rng");
	for (i = 0; i < NR_PROBES; i++)
		printf(" | %-23s", probes[i].name);
	printf("\n%-9s %10s", "", "");
	for (i = 0; i < NR_PROBES; i++)
		printf(" | %8s %7s %6s", "min", "median", "ratio");
	printf("\n");
	print_row("no device", -1, no_device, none);
	print_row("0", -1, none, none);
	for (s = 0; s < NR_STAGES; s++) {
		char label[16];

		snprintf(label, sizeof(label), "%lu", stages[s]);
		print_row(label, reg_ns[s], at[s], base[s]);
	}
	printf("\nnull system call (getppid): %.0f ns\n", null_syscall_ns);
	printf("close() with %lu ranges: %.0f ns per range\n",
	       registered + LARGE_RANGES + 1, close_ns);

	printf("\ntargets at %lu ranges:\n", stages[last]);
	print_target("madvise", ratio(&at[last][DONTNEED_MISS], &base[last][DONTNEED_MISS]));
	print_target("mprotect", ratio(&at[last][MPROTECT_MISS], &base[last][MPROTECT_MISS]));
	printf("  register < 2000 ns/range:  %.0f ns %s (%.1f null system calls)\n",
	       reg_ns[last], reg_ns[last] < 2000 ? "met" : "MISSED",
	       reg_ns[last] / null_syscall_ns);
	return 0;
}
