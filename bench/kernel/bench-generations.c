// SPDX-License-Identifier: GPL-2.0
/*
 * What FEATURE_GENERATIONS costs an invalidation that hits.
 *
 * One file that negotiated GENERATIONS, with 1000 page-sized registrations
 * made with REGISTER_SLOT (so two pages of generation words exist) and two
 * one-page hit ranges: one registered with REGISTER_REGION (no slot: the
 * notifier's path is the one of a file without the feature, plus one
 * compare) and one with REGISTER_SLOT (the notifier also bumps its word).
 * Hits on each, as madvise(MADV_DONTNEED) and as an mprotect() toggle, in
 * alternating batches; the ratio is slot over no slot. The target is
 * <= 1.10x.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "bench.h"

#define OTHER_RANGES	1000

enum { PLAIN, SLOT, NR_KINDS };
enum { DONTNEED, MPROTECT, NR_CALLS };

int main(void)
{
	static const char * const call_names[NR_CALLS] = {
		"madvise hit", "mprotect hit",
	};
	struct probe probes[NR_KINDS][NR_CALLS];
	double batch[NR_KINDS][NR_CALLS][BATCHES];
	struct cost cost[NR_KINDS][NR_CALLS];
	char *reserve, *pages[NR_KINDS];
	int fd, k, c, b, worst_met = 1;
	struct utsname u;
	unsigned long i;

	uname(&u);
	bench_setup();
	fd = open_generations();

	reserve = map_pages(2 * OTHER_RANGES, PROT_NONE);
	for (i = 0; i < OTHER_RANGES; i++) {
		uint64_t start = (uintptr_t)reserve + 2 * i * page_size;

		register_slot(fd, start, start + page_size, i + 1);
	}
	/* A PROT_NONE page between them keeps the two in separate VMAs. */
	pages[PLAIN] = map_pages(3, PROT_READ | PROT_WRITE);
	pages[SLOT] = pages[PLAIN] + 2 * page_size;
	if (mprotect(pages[PLAIN] + page_size, page_size, PROT_NONE))
		die("mprotect");
	register_range(fd, (uintptr_t)pages[PLAIN],
		       (uintptr_t)pages[PLAIN] + page_size, ~0ull);
	register_slot(fd, (uintptr_t)pages[SLOT],
		      (uintptr_t)pages[SLOT] + page_size, ~0ull - 1);

	for (k = 0; k < NR_KINDS; k++) {
		for (c = 0; c < NR_CALLS; c++) {
			probes[k][c] = (struct probe) {
				.name = call_names[c],
				.prepare = c == DONTNEED ? drain_queue :
							   populate_and_drain,
				.call = c == DONTNEED ? call_dontneed :
							call_mprotect_toggle,
				.page = pages[k],
				.fd = fd,
			};
		}
	}
	for (b = 0; b < BATCHES; b++)
		for (c = 0; c < NR_CALLS; c++)
			for (k = 0; k < NR_KINDS; k++)
				batch[k][c][b] = measure_batch(&probes[k][c]);
	for (k = 0; k < NR_KINDS; k++)
		for (c = 0; c < NR_CALLS; c++)
			cost[k][c] = summarize(batch[k][c], BATCHES);

	printf("ummunotify generations benchmark on %s %s\n", u.sysname,
	       u.release);
	printf("one file with GENERATIONS, %d REGISTER_SLOT ranges; one-page hits, per call;\n",
	       OTHER_RANGES);
	printf("min and median of %d batches of %d calls (ns), alternating\n\n",
	       BATCHES, BATCH_CALLS);
	printf("%-14s | %-22s | %-22s | %s\n", "", "no slot (REGISTER)",
	       "slot (REGISTER_SLOT)", "ratio (min)");
	for (c = 0; c < NR_CALLS; c++) {
		double r = cost[SLOT][c].min_ns / cost[PLAIN][c].min_ns;

		printf("%-14s | %10.0f %11.0f | %10.0f %11.0f | %5.2fx\n",
		       call_names[c], cost[PLAIN][c].min_ns,
		       cost[PLAIN][c].median_ns, cost[SLOT][c].min_ns,
		       cost[SLOT][c].median_ns, r);
		if (r > 1.10)
			worst_met = 0;
	}
	printf("\ntarget: a hit with a slot <= 1.10x one without: %s\n",
	       worst_met ? "met" : "MISSED");
	close(fd);
	return 0;
}
