// SPDX-License-Identifier: GPL-2.0
/*
 * Bulk registration, for profiling where its time goes: registers N
 * one-page ranges at a two-page stride (bench-kernel's layout, without
 * its large ranges and probes) and prints, per tenth of N, the cost per
 * REGISTER in ns and in null system calls (so growth with N shows), then
 * close(), and the kernel memory per registration (Slab plus VmallocUsed
 * of /proc/meminfo, before the open and with N registered).
 *
 * bench-bulk [N]   (default 1000000)
 */
#define _GNU_SOURCE
#include "bench.h"

#include <fcntl.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	struct probe getppid_probe = { .call = call_getppid };
	unsigned long i, chunk = n / 10 ? n / 10 : 1;
	long mem_before, mem_after;
	double null_ns, total_ns = 0, ns;
	uint64_t t, start;
	char *reserve;
	int fd;

	bench_setup();
	null_ns = measure(&getppid_probe).min_ns;
	reserve = map_pages(2 * n, PROT_NONE);
	mem_before = kernel_memory_kb();
	fd = open("/dev/ummunotify", O_RDONLY);
	if (fd < 0)
		die("open /dev/ummunotify");
	printf("null system call (getppid): %.0f ns\n", null_ns);
	printf("%12s %12s %10s\n", "registered", "ns/register", "null calls");
	for (i = 0; i < n;) {
		unsigned long end = i + chunk < n ? i + chunk : n, from = i;

		t = now_ns();
		for (; i < end; i++) {
			start = (uintptr_t)reserve + 2 * i * page_size;
			register_range(fd, start, start + page_size, i + 1);
		}
		ns = (double)(now_ns() - t);
		total_ns += ns;
		printf("%12lu %12.0f %10.1f\n", i, ns / (i - from),
		       ns / (i - from) / null_ns);
	}
	printf("%12s %12.0f %10.1f\n", "mean", total_ns / n, total_ns / n / null_ns);
	mem_after = kernel_memory_kb();
	printf("kernel memory (Slab + VmallocUsed): %.0f B per registration\n",
	       (mem_after - mem_before) * 1024.0 / n);
	t = now_ns();
	close(fd);
	printf("close() with %lu registrations: %.3f s\n", n,
	       (now_ns() - t) / 1e9);
	return 0;
}
