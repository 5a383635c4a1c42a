// SPDX-License-Identifier: GPL-2.0
/*
 * What a monitor costs the process it watches.
 *
 * One file with 1000 page-sized registrations; three calls timed: an
 * invalidation that hits a registration (madvise(MADV_DONTNEED) of its
 * page), one that misses (a page of the same 2 MiB block), and a
 * REGISTER. Each is measured with 0, 1 and 8 monitors attached (rings
 * large enough that nothing is dropped: an append is timed, not a drop),
 * in batches that alternate between the three, so that a change in the
 * host's load does not show up as a ratio. Every figure is the minimum
 * (and median) over batches of per-call means.
 *
 * --zero prints only the 0-monitor figures, one line, for run.sh to
 * compare with the module from before monitors existed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"

#define REGISTRATIONS	1000
#define RING_RECORDS	4096

static const int monitor_counts[] = { 0, 1, 8 };
#define NR_COUNTS	3
#define MAX_MONITORS	8

enum { HIT, MISS, REGISTER, NR_CALLS };
static const char * const call_names[NR_CALLS] = {
	"madvise hit", "madvise miss", "register",
};

/* The register probe registers one range afresh each call. */
static uint64_t next_cookie = 1ull << 32;
static char *register_page;

static void unregister_previous(struct probe *p)
{
	uint64_t cookie = next_cookie - 1;

	if (p->toggle && ioctl(p->fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie))
		die("UMMUNOTIFY_UNREGISTER_REGION");
	p->toggle = 0;
}

static void call_register(struct probe *p)
{
	register_range(p->fd, (uintptr_t)register_page,
		       (uintptr_t)register_page + page_size, next_cookie++);
	p->toggle = 1;
}

static void monitors_open(int fd, int n, int *mfd)
{
	struct ummunotify_monitor_open o = { .ring_records = RING_RECORDS };
	int i;

	for (i = 0; i < n; i++) {
		mfd[i] = ioctl(fd, UMMUNOTIFY_MONITOR_OPEN, &o);
		if (mfd[i] < 0)
			die("UMMUNOTIFY_MONITOR_OPEN");
	}
}

static void monitors_close(int n, int *mfd)
{
	int i;

	for (i = 0; i < n; i++)
		close(mfd[i]);
}

static void print_cost(struct cost c, struct cost base)
{
	printf(" | %8.0f %7.0f %5.2fx", c.min_ns, c.median_ns,
	       c.min_ns / base.min_ns);
}

static void print_target(const char *what, double r, double target)
{
	printf("  1 monitor, %-13s <= %.2fx: %.2fx %s\n", what, target, r,
	       r <= target ? "met" : "MISSED");
}

int main(int argc, char **argv)
{
	static double batch_ns[NR_CALLS][NR_COUNTS][BATCHES];
	struct cost cost[NR_CALLS][NR_COUNTS];
	int zero_only = argc > 1 && !strcmp(argv[1], "--zero");
	int nr_counts = zero_only ? 1 : NR_COUNTS;
	struct probe probes[NR_CALLS];
	int mfd[MAX_MONITORS], fd, b, c, k, i;
	char *reserve, *miss_page, *hit_page;
	struct utsname u;

	uname(&u);
	bench_setup();

	reserve = map_pages(2 * REGISTRATIONS + 1, PROT_NONE);
	register_page = reserve + 2 * REGISTRATIONS * page_size;
	/* A PROT_NONE page keeps the miss and hit pages in separate VMAs. */
	miss_page = map_pages(3, PROT_READ | PROT_WRITE);
	hit_page = miss_page + 2 * page_size;
	if (mprotect(miss_page + page_size, page_size, PROT_NONE))
		die("mprotect");

	fd = open("/dev/ummunotify", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		die("open /dev/ummunotify");
	for (i = 0; i < REGISTRATIONS; i++) {
		uint64_t start = (uintptr_t)reserve + 2 * i * page_size;

		register_range(fd, start, start + page_size, i + 1);
	}
	register_range(fd, (uintptr_t)hit_page, (uintptr_t)hit_page + page_size,
		       ~0ull);

	probes[HIT] = (struct probe) { .prepare = drain_queue,
		.call = call_dontneed, .page = hit_page, .fd = fd };
	probes[MISS] = (struct probe) { .prepare = drain_queue,
		.call = call_dontneed, .page = miss_page, .fd = fd };
	probes[REGISTER] = (struct probe) { .prepare = unregister_previous,
		.call = call_register, .fd = fd };

	for (b = 0; b < BATCHES; b++) {
		for (c = 0; c < NR_CALLS; c++) {
			for (i = 0; i < nr_counts; i++) {
				/* Alternate the order: no count always goes first. */
				k = b % 2 ? nr_counts - 1 - i : i;
				monitors_open(fd, monitor_counts[k], mfd);
				batch_ns[c][k][b] = measure_batch(&probes[c]);
				monitors_close(monitor_counts[k], mfd);
			}
		}
	}
	for (c = 0; c < NR_CALLS; c++)
		for (k = 0; k < nr_counts; k++)
			cost[c][k] = summarize(batch_ns[c][k], BATCHES);
	close(fd);

	if (zero_only) {
		printf("zero %.1f %.1f %.1f\n", cost[HIT][0].min_ns,
		       cost[MISS][0].min_ns, cost[REGISTER][0].min_ns);
		return 0;
	}

	printf("ummunotify monitor benchmark on %s %s\n", u.sysname, u.release);
	printf("%d registrations; per call, min and median of %d batches of %d calls (ns);\n",
	       REGISTRATIONS + 1, BATCHES, BATCH_CALLS);
	printf("ratio: against 0 monitors, batches alternating\n\n");
	printf("%-9s", "monitors");
	for (c = 0; c < NR_CALLS; c++)
		printf(" | %-23s", call_names[c]);
	printf("\n%-9s", "");
	for (c = 0; c < NR_CALLS; c++)
		printf(" | %8s %7s %6s", "min", "median", "ratio");
	printf("\n");
	for (k = 0; k < NR_COUNTS; k++) {
		printf("%-9d", monitor_counts[k]);
		for (c = 0; c < NR_CALLS; c++)
			print_cost(cost[c][k], cost[c][0]);
		printf("\n");
	}
	printf("\ntargets:\n");
	print_target("hit", cost[HIT][1].min_ns / cost[HIT][0].min_ns, 1.3);
	print_target("miss", cost[MISS][1].min_ns / cost[MISS][0].min_ns, 1.05);
	print_target("register", cost[REGISTER][1].min_ns / cost[REGISTER][0].min_ns, 1.2);
	return 0;
}
