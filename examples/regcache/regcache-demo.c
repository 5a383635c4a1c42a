// SPDX-License-Identifier: GPL-2.0
/*
 * regcache-demo: a program that does what an RDMA application's buffers
 * go through, with a registration cache (regcache.c) in front of
 * /dev/ummunotify. It allocates, uses ("posts": looks up or registers),
 * reuses and frees buffers of mixed sizes through malloc, below the mmap
 * threshold (heap: free() rarely gives memory back) and above it (each
 * buffer its own mapping: free() unmaps it, and the cache must drop its
 * registration). Everything the cache saw goes to the log.
 *
 *   regcache-demo [--iterations N] [--seed S] [--log PATH] [--wait]
 *
 * --wait: print "ready PID FD" once the device is open, wait for a line on
 * stdin before working, print "done" after, and wait for a line again
 * before closing: time for a watcher to attach and to finish.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regcache.h"

#define SLOTS		32
#define MMAP_THRESHOLD	(128 * 1024)

struct buffer {
	char *p;
	size_t len;
};

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

static size_t buffer_size(unsigned int *seed)
{
	if (rnd(seed) % 3)
		return 1024 + rnd(seed) % (64 * 1024);
	return 2 * MMAP_THRESHOLD + rnd(seed) % (2 * 1024 * 1024);
}

/* Posting a buffer: the cache hands out a registration covering it. */
static void post(struct regcache *rc, struct buffer *b)
{
	uint64_t cookie = regcache_get(rc, b->p, b->len);

	if (cookie)
		regcache_put(rc, cookie);
}

static void wait_line(void)
{
	char line[64];

	if (!fgets(line, sizeof(line), stdin))
		exit(1);
}

int main(int argc, char **argv)
{
	struct buffer slots[SLOTS] = { { 0 } };
	unsigned int seed = 1, iterations = 2000, i;
	const char *log_path = "/dev/stderr";
	struct regcache *rc;
	int wait = 0, a;
	FILE *log;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--iterations") && a + 1 < argc)
			iterations = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoul(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--log") && a + 1 < argc)
			log_path = argv[++a];
		else if (!strcmp(argv[a], "--wait"))
			wait = 1;
		else {
			fprintf(stderr, "usage: %s [--iterations N] [--seed S] [--log PATH] [--wait]\n",
				argv[0]);
			return 2;
		}
	}
	/* A fixed threshold: glibc would otherwise raise it as buffers are freed. */
	mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
	log = fopen(log_path, "w");
	if (!log) {
		perror(log_path);
		return 1;
	}
	setvbuf(log, NULL, _IOFBF, 1 << 20);
	rc = regcache_open(64, log);
	if (!rc) {
		perror("/dev/ummunotify");
		return 1;
	}
	if (wait) {
		printf("ready %d %d\n", getpid(), rc->fd);
		fflush(stdout);
		wait_line();
	}
	for (i = 0; i < iterations; i++) {
		struct buffer *b = &slots[rnd(&seed) % SLOTS];

		if (!b->p) {
			b->len = buffer_size(&seed);
			b->p = malloc(b->len);
			if (!b->p)
				return 1;
			memset(b->p, 1, b->len);
			post(rc, b);
		} else if (rnd(&seed) % 2) {
			post(rc, b);
		} else {
			free(b->p);
			b->p = NULL;
		}
	}
	for (i = 0; i < SLOTS; i++)
		free(slots[i].p);
	regcache_check(rc);
	fflush(log);
	if (wait) {
		printf("done\n");
		fflush(stdout);
		wait_line();
	}
	regcache_close(rc);
	fclose(log);
	return 0;
}
