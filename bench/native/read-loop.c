// SPDX-License-Identifier: GPL-2.0
/*
 * The baseline for bench/native/watch.ts: the same workload read with a
 * plain C loop. ROUNDS times, one madvise(MADV_DONTNEED) over an arena of
 * REGS pages, each page registered, queues REGS reports; the loop reads
 * them (a page's worth per read()) until it has them all.
 * Prints: events=<n> seconds=<s>
 */
#include <fcntl.h>
#include <linux/ummunotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long regs = argc > 1 ? atol(argv[1]) : 1000;
	long rounds = argc > 2 ? atol(argv[2]) : 100;
	long page = sysconf(_SC_PAGESIZE), events = 0;
	struct ummunotify_event buf[128];
	struct timespec t0, t1;
	char *arena;
	int fd;

	fd = open("/dev/ummunotify", O_RDONLY | O_CLOEXEC);
	arena = mmap(NULL, regs * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fd < 0 || arena == MAP_FAILED || madvise(arena, regs * page, MADV_NOHUGEPAGE)) {
		perror("setup");
		return 1;
	}
	for (long i = 0; i < regs; i++) {
		struct ummunotify_register_ioctl r = {
			.start = (unsigned long)arena + i * page,
			.end = (unsigned long)arena + (i + 1) * page,
			.user_cookie = i + 1,
		};

		if (ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r)) {
			perror("register");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long round = 0; round < rounds; round++) {
		long inval = 0;

		madvise(arena, regs * page, MADV_DONTNEED);
		while (inval < regs) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0) {
				perror("read");
				return 1;
			}
			for (long i = 0; i < n / (long)sizeof(buf[0]); i++)
				inval += buf[i].type == UMMUNOTIFY_EVENT_TYPE_INVAL;
			events += n / sizeof(buf[0]);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("events=%ld seconds=%.6f\n", events,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
