// SPDX-License-Identifier: GPL-2.0
/*
 * stale_mr SCENARIO [BYTES]: two ranks. Rank 0 sends a buffer (the transport
 * registers it and its MR cache keeps the registration), changes the memory
 * behind that same address the way SCENARIO says, writes new bytes there and
 * sends again from the same address. Rank 1 checks both messages. A cache
 * whose monitor missed the change sends the old pages: wrong bytes.
 *
 * Prints one line per run, from rank 1:
 *   RESULT <scenario> ok|WRONG|SKIP <detail>
 * and exits 0 for ok and SKIP, 1 for WRONG.
 *
 * With STALE_MR_WAIT_WATCHED=1 each rank first waits (up to a minute) until
 * a monitor is attached to its /dev/ummunotify file (the `monitors:` line of
 * its fdinfo), so that an agent watching the job sees all of the run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define HUGE (2UL << 20)

static size_t bytes = 4UL << 20;
static char skip_reason[160];

static void fill(unsigned char *p, unsigned char seed)
{
	for (size_t i = 0; i < bytes; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 12));
}

static size_t first_bad(const unsigned char *p, unsigned char seed)
{
	for (size_t i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)(seed + i * 7 + (i >> 12)))
			return i;
	return (size_t)-1;
}

static void *map_anon(void *at, size_t len)
{
	void *p = mmap(at, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0), -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	return p;
}

/* A 2 MiB-aligned buffer, so that it can be collapsed into a huge page. */
static void *map_aligned(void)
{
	char *p = map_anon(NULL, bytes + HUGE);
	char *a = (char *)(((uintptr_t)p + HUGE - 1) & ~(HUGE - 1));

	if (a > p)
		munmap(p, a - p);
	munmap(a + bytes, p + HUGE - a);
	return a;
}

/* Gives the first buffer; the scenario decides where it lives. */
static unsigned char *first_buffer(const char *s)
{
	if (!strcmp(s, "free-malloc"))
		return malloc(bytes);
	if (!strcmp(s, "brk-shrink")) {
		void *p = sbrk(0);
		uintptr_t a = ((uintptr_t)p + 4095) & ~4095UL;

		if (sbrk(a - (uintptr_t)p + bytes) == (void *)-1)
			MPI_Abort(MPI_COMM_WORLD, 2);
		return (unsigned char *)a;
	}
	if (!strcmp(s, "collapse"))
		return map_aligned();
	return map_anon(NULL, bytes);
}

/* Another process collapses buf into huge pages (process_madvise). */
static int collapse_from_other_process(void *buf)
{
	pid_t parent = getpid(), child;
	int status;

	if (madvise(buf, bytes, MADV_HUGEPAGE))
		return -errno;
	child = fork();
	if (child == 0) {
		int pidfd = syscall(SYS_pidfd_open, parent, 0);
		struct iovec iov = { buf, bytes };
		long r = pidfd < 0 ? -1 :
			syscall(SYS_process_madvise, pidfd, &iov, 1, MADV_COLLAPSE, 0);

		_exit(r < 0 ? (errno & 0x7f) : 0);
	}
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
}

/* Changes the memory behind buf; returns the buffer to send next. */
static unsigned char *change(const char *s, unsigned char *buf)
{
	unsigned char *next = buf;

	if (!strcmp(s, "free-malloc")) {
		uintptr_t old = (uintptr_t)buf;

		free(buf);
		next = malloc(bytes);
		if ((uintptr_t)next != old)
			snprintf(skip_reason, sizeof(skip_reason),
				 "malloc returned %p, not %#lx", next, old);
	} else if (!strcmp(s, "munmap-mmap-fixed")) {
		munmap(buf, bytes);
		map_anon(buf, bytes);
	} else if (!strcmp(s, "mremap-move")) {
		unsigned char *other = map_anon(NULL, bytes);

		fill(other, 99);
		if (mremap(other, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED,
			   buf) != buf)
			MPI_Abort(MPI_COMM_WORLD, 2);
	} else if (!strcmp(s, "madvise-dontneed")) {
		madvise(buf, bytes, MADV_DONTNEED);
	} else if (!strcmp(s, "raw-munmap")) {
		syscall(SYS_munmap, buf, bytes);
		if ((void *)syscall(SYS_mmap, buf, bytes, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				    -1, 0) != buf)
			MPI_Abort(MPI_COMM_WORLD, 2);
	} else if (!strcmp(s, "brk-shrink")) {
		sbrk(-(intptr_t)bytes);
		if (sbrk(bytes) != buf)
			snprintf(skip_reason, sizeof(skip_reason),
				 "brk did not grow back at %p", buf);
	} else if (!strcmp(s, "fork-child-writes")) {
		pid_t child = fork();

		if (child == 0) {
			fill(buf, 55);
			_exit(0);
		}
		waitpid(child, NULL, 0);
	} else if (!strcmp(s, "collapse")) {
		int r = collapse_from_other_process(buf);

		if (r)
			snprintf(skip_reason, sizeof(skip_reason),
				 "process_madvise(MADV_COLLAPSE) failed: %s",
				 strerror(-r));
	} else {
		fprintf(stderr, "unknown scenario %s\n", s);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	return next;
}

/* Monitors attached to this process's ummunotify file; -1 if none is open. */
static int ummunotify_monitors(void)
{
	char path[300], target[64], line[128];
	struct dirent *d;
	int monitors = -1;
	DIR *dir = opendir("/proc/self/fd");
	FILE *f;
	ssize_t n;

	if (!dir)
		return -1;
	while (monitors < 0 && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = 0;
		if (strcmp(target, "/dev/ummunotify"))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%s", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "monitors: %d", &monitors) == 1)
				break;
		fclose(f);
	}
	closedir(dir);
	return monitors;
}

static void wait_until_watched(int rank)
{
	int i;

	for (i = 0; i < 600; i++) {
		if (ummunotify_monitors() > 0) {
			/* Let the watcher take its first snapshot. */
			sleep(1);
			return;
		}
		usleep(100 * 1000);
	}
	fprintf(stderr, "stale_mr: rank %d: no monitor attached to its /dev/ummunotify file after 60 s\n",
		rank);
	MPI_Abort(MPI_COMM_WORLD, 3);
}

int main(int argc, char **argv)
{
	const char *s;
	unsigned char *buf, *recv;
	size_t bad1, bad2;
	char skip[160] = "";
	int rank;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	if (argc < 2) {
		if (rank == 0)
			fprintf(stderr, "usage: stale_mr SCENARIO [BYTES]\n");
		MPI_Finalize();
		return 2;
	}
	s = argv[1];
	if (argc > 2)
		bytes = strtoul(argv[2], NULL, 0);
	/* Keep glibc's threshold fixed: free() of a mapped chunk raises it. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (getenv("STALE_MR_WAIT_WATCHED")) {
		wait_until_watched(rank);
		MPI_Barrier(MPI_COMM_WORLD);
	}

	if (rank == 0) {
		buf = first_buffer(s);
		fill(buf, 1);
		MPI_Send(buf, bytes, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
		buf = change(s, buf);
		fill(buf, 2);
		MPI_Send(buf, bytes, MPI_BYTE, 1, 1, MPI_COMM_WORLD);
		MPI_Send(skip_reason, sizeof(skip_reason), MPI_CHAR, 1, 2,
			 MPI_COMM_WORLD);
	} else if (rank == 1) {
		recv = map_anon(NULL, bytes);
		MPI_Recv(recv, bytes, MPI_BYTE, 0, 0, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		bad1 = first_bad(recv, 1);
		MPI_Recv(recv, bytes, MPI_BYTE, 0, 1, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		MPI_Recv(skip, sizeof(skip), MPI_CHAR, 0, 2, MPI_COMM_WORLD,
			 MPI_STATUS_IGNORE);
		bad2 = first_bad(recv, 2);
		if (bad1 != (size_t)-1)
			printf("RESULT %s WRONG first message, byte %zu\n", s, bad1);
		else if (bad2 != (size_t)-1)
			printf("RESULT %s WRONG byte %zu is %s\n", s, bad2,
			       first_bad(recv, 1) == (size_t)-1 ?
			       "the old content (stale registration)" : "neither old nor new");
		else if (skip[0])
			printf("RESULT %s SKIP %s\n", s, skip);
		else
			printf("RESULT %s ok\n", s);
		fflush(stdout);
		rank = bad1 != (size_t)-1 || bad2 != (size_t)-1;
		MPI_Finalize();
		return rank;
	}
	MPI_Finalize();
	return 0;
}
