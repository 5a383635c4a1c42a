// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify-watch: watch another process's /dev/ummunotify file, live.
 *
 *   ummunotify-watch PID FD [--misses] [--ring N]
 *
 * Takes a duplicate of descriptor FD of process PID (pidfd_open +
 * pidfd_getfd: the same user, or CAP_SYS_PTRACE, and Yama's ptrace_scope
 * permitting), opens a monitor on it (UMMUNOTIFY_MONITOR_OPEN), prints the
 * snapshot (UMMUNOTIFY_MONITOR_QUERY) and then one line per record until
 * the watched file is closed:
 *
 *   snapshot seq S registrations R queued Q counter C
 *   SEQ TIME_NS TYPE flags=0x.. start=0x.. end=0x.. cookie=N counter=N aux=N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/ummunotify.h>

static const char * const type_names[] = {
	"FEATURES", "REGISTER", "UNREGISTER", "INVALIDATE", "HIT", "READ", "CLOSE",
};

static int die(const char *what)
{
	fprintf(stderr, "ummunotify-watch: %s: %s\n", what, strerror(errno));
	if (errno == EPERM)
		fprintf(stderr, "ummunotify-watch: attaching needs ptrace access to the process (see /proc/sys/kernel/yama/ptrace_scope)\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct ummunotify_monitor_open o = { 0 };
	struct ummunotify_monitor_record rec[256];
	struct ummunotify_monitor_query q;
	int pid, fd, pidfd, dup, mfd, a;
	ssize_t n, i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PID FD [--misses] [--ring N]\n", argv[0]);
		return 2;
	}
	memset(&q, 0, sizeof(q));
	pid = atoi(argv[1]);
	fd = atoi(argv[2]);
	for (a = 3; a < argc; a++) {
		if (!strcmp(argv[a], "--misses"))
			o.flags |= UMMUNOTIFY_MONITOR_MISSES;
		else if (!strcmp(argv[a], "--ring") && a + 1 < argc)
			o.ring_records = strtoul(argv[++a], NULL, 0);
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return die("pidfd_open");
	dup = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (dup < 0)
		return die("pidfd_getfd");
	close(pidfd);
	mfd = ioctl(dup, UMMUNOTIFY_MONITOR_OPEN, &o);
	if (mfd < 0)
		return die("UMMUNOTIFY_MONITOR_OPEN");
	/* The duplicate would keep the owner's file open after its close(). */
	close(dup);
	if (ioctl(mfd, UMMUNOTIFY_MONITOR_QUERY, &q))
		return die("UMMUNOTIFY_MONITOR_QUERY");
	printf("snapshot seq %llu registrations %u queued %u counter %llu\n",
	       (unsigned long long)q.seq, q.query.nr_regs, q.query.nr_queued,
	       (unsigned long long)q.query.counter);
	fflush(stdout);
	while ((n = read(mfd, rec, sizeof(rec))) > 0) {
		for (i = 0; i < n / (ssize_t)sizeof(rec[0]); i++) {
			const struct ummunotify_monitor_record *r = &rec[i];

			printf("%llu %llu %s flags=%#x start=%#llx end=%#llx cookie=%llu counter=%llu aux=%llu\n",
			       (unsigned long long)r->seq, (unsigned long long)r->time_ns,
			       r->type < 7 ? type_names[r->type] : "?", r->flags,
			       (unsigned long long)r->start, (unsigned long long)r->end,
			       (unsigned long long)r->cookie,
			       (unsigned long long)r->counter,
			       (unsigned long long)r->aux);
		}
		fflush(stdout);
	}
	if (n < 0)
		return die("read");
	return 0;
}
