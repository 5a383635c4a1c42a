/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the monitor tests: opening and reading monitors, attaching
 * through pidfd_open + pidfd_getfd, the owner's fdinfo and slab counts,
 * and a model that applies records to a MONITOR_QUERY snapshot (the
 * "stitching" a viewer does).
 */
#ifndef MONITOR_TEST_H
#define MONITOR_TEST_H

#include "ummunotify_test.h"

#include <sys/syscall.h>

typedef struct ummunotify_monitor_record mrec_t;

#define REC(type) UMMUNOTIFY_MONITOR_RECORD_##type

/* The monitor's fd, or -errno. */
static inline int mon_open(int fd, __u32 ring, __u32 flags)
{
	struct ummunotify_monitor_open o = { .ring_records = ring,
					     .flags = flags };
	int mfd = ioctl(fd, UMMUNOTIFY_MONITOR_OPEN, &o);

	return mfd < 0 ? -errno : mfd;
}

/* Records read (0 at end of file), or -errno; never blocks. */
static inline int mon_read(int mfd, mrec_t *r, size_t max)
{
	return read_records(mfd, r, sizeof(*r), max);
}

/* Reads everything available; returns the number of records. */
static inline int mon_drain(int mfd, mrec_t *r, size_t max)
{
	size_t total = 0;
	int n;

	while (total < max) {
		n = mon_read(mfd, r + total, max - total);
		if (n <= 0)
			break;
		total += n;
	}
	return (int)total;
}

/* 0 or -errno; @regs/@queue may be NULL with a capacity of 0. */
static inline int mon_query(int mfd, struct ummunotify_monitor_query *mq,
			    struct ummunotify_query_reg *regs, __u32 regs_cap,
			    __u64 *queue, __u32 queue_cap)
{
	memset(mq, 0, sizeof(*mq));
	mq->query.regs_ptr = addr_of(regs);
	mq->query.regs_cap = regs_cap;
	mq->query.queue_ptr = addr_of(queue);
	mq->query.queue_cap = queue_cap;
	return ioctl(mfd, UMMUNOTIFY_MONITOR_QUERY, mq) ? -errno : 0;
}

static inline int pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* A duplicate of @pid's descriptor @fd, or -errno. */
static inline int getfd_of(pid_t pid, int fd)
{
	int pidfd = pidfd_open_(pid), dup, err;

	if (pidfd < 0)
		return -errno;
	dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	err = errno;
	close(pidfd);
	return dup < 0 ? -err : dup;
}

/* The value of fdinfo line @key of our descriptor @fd, or -1. */
static inline long long fdinfo_value(pid_t pid, int fd, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 0);
			break;
		}
	}
	fclose(f);
	return v;
}

/* Active objects of a slab cache, or -1 if it is not listed. */
static inline long slab_active(const char *cache)
{
	char line[512], name[128];
	long active = -1, n;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld", name, &n) == 2 &&
		    !strcmp(name, cache)) {
			active = n;
			break;
		}
	}
	fclose(f);
	return active;
}

/*
 * An owner in a child process: opens the device (negotiating @features,
 * see umn_open()), runs @body(fd, 0, @arg), tells us its fd, waits for a
 * byte on *go, then runs @body(fd, the byte, @arg) and exits.
 */
static inline pid_t spawn_owner_process(__u32 features,
					void (*body)(int fd, char go, void *arg),
					void *arg, int *child_fd, int *go)
{
	int up[2], down[2];
	pid_t pid;
	char c;

	if (pipe(up) || pipe(down))
		bail("pipe");
	pid = fork();
	if (pid == 0) {
		int fd = umn_open(features);

		body(fd, 0, arg);
		if (write(up[1], &fd, sizeof(fd)) != sizeof(fd) ||
		    read(down[0], &c, 1) != 1)
			_exit(1);
		body(fd, c, arg);
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], child_fd, sizeof(*child_fd)) != sizeof(*child_fd))
		bail("read");
	close(up[0]);
	*go = down[1];
	return pid;
}

/* ---- the model: a QUERY snapshot, moved forward by records ---- */

#define MODEL_MAX 4096

struct model {
	struct ummunotify_query_reg regs[MODEL_MAX];
	__u32 nr_regs;
	__u64 queue[MODEL_MAX];
	__u32 nr_queued;
	__u64 counter;
	__u32 flags;
	__u64 seq;
	int broken;	/* a record the model cannot apply */
};

static inline void model_from_query(struct model *m,
				    const struct ummunotify_monitor_query *mq,
				    const struct ummunotify_query_reg *regs,
				    const __u64 *queue)
{
	m->nr_regs = mq->query.nr_regs;
	memcpy(m->regs, regs, m->nr_regs * sizeof(*regs));
	m->nr_queued = mq->query.nr_queued;
	memcpy(m->queue, queue, m->nr_queued * sizeof(*queue));
	m->counter = mq->query.counter;
	m->flags = mq->query.flags & UMMUNOTIFY_QUERY_NEED_EMPTY;
	m->seq = mq->seq;
	m->broken = 0;
}

static inline struct ummunotify_query_reg *model_reg(struct model *m,
						     __u64 cookie)
{
	__u32 i;

	for (i = 0; i < m->nr_regs; i++)
		if (m->regs[i].user_cookie == cookie)
			return &m->regs[i];
	return NULL;
}

static inline void model_dequeue(struct model *m, __u64 cookie)
{
	__u32 i;

	for (i = 0; i < m->nr_queued; i++) {
		if (m->queue[i] == cookie) {
			memmove(&m->queue[i], &m->queue[i + 1],
				(m->nr_queued - i - 1) * sizeof(m->queue[0]));
			m->nr_queued--;
			return;
		}
	}
}

static inline void model_clear_report(struct ummunotify_query_reg *reg)
{
	reg->state = 0;
	reg->hint_start = 0;
	reg->hint_end = 0;
	reg->reason_flags = 0;
}

static inline void model_hit(struct model *m, const mrec_t *r)
{
	struct ummunotify_query_reg *reg = model_reg(m, r->cookie);
	int was = reg && (reg->state & UMMUNOTIFY_QUERY_REG_QUEUED);

	if (!reg || was != !!(r->flags & UMMUNOTIFY_MONITOR_HIT_QUEUED)) {
		m->broken = 1;
		return;
	}
	reg->state = UMMUNOTIFY_QUERY_REG_QUEUED;
	if (r->flags & UMMUNOTIFY_EVENT_FLAG_HINT)
		reg->state |= UMMUNOTIFY_QUERY_REG_HINT;
	if (r->flags & UMMUNOTIFY_EVENT_FLAG_HINT_UNION)
		reg->state |= UMMUNOTIFY_QUERY_REG_HINT_UNION;
	reg->hint_start = r->start;
	reg->hint_end = r->end;
	reg->reason_flags = r->flags & ~0xffU & ~UMMUNOTIFY_MONITOR_HIT_QUEUED;
	if (!was)
		m->queue[m->nr_queued++] = r->cookie;
	m->counter = r->counter;
}

static inline void model_read(struct model *m, const mrec_t *r)
{
	__u64 i;

	if ((r->flags & UMMUNOTIFY_MONITOR_READ_FAULT) || r->aux > m->nr_queued) {
		m->broken = 1;
		return;
	}
	for (i = 0; i < r->aux; i++)
		model_clear_report(model_reg(m, m->queue[i]));
	memmove(m->queue, m->queue + r->aux,
		(m->nr_queued - r->aux) * sizeof(m->queue[0]));
	m->nr_queued -= r->aux;
	if (r->aux)
		m->flags |= UMMUNOTIFY_QUERY_NEED_EMPTY;
	if (r->flags & UMMUNOTIFY_MONITOR_READ_LAST)
		m->flags &= ~UMMUNOTIFY_QUERY_NEED_EMPTY;
}

static inline void model_apply(struct model *m, const mrec_t *r)
{
	struct ummunotify_query_reg *reg;

	m->seq = r->seq;
	switch (r->type) {
	case REC(REGISTER):
		if (m->nr_regs == MODEL_MAX) {
			m->broken = 1;
			return;
		}
		m->regs[m->nr_regs++] = (struct ummunotify_query_reg) {
			.start = r->start, .end = r->end,
			.user_cookie = r->cookie, .filter = r->flags,
		};
		break;
	case REC(UNREGISTER):
		reg = model_reg(m, r->cookie);
		if (!reg || !!(reg->state & UMMUNOTIFY_QUERY_REG_QUEUED) !=
			    !!(r->flags & UMMUNOTIFY_MONITOR_UNREGISTER_QUEUED)) {
			m->broken = 1;
			return;
		}
		model_dequeue(m, r->cookie);
		*reg = m->regs[--m->nr_regs];
		break;
	case REC(INVALIDATE):
		if (r->aux)
			m->counter = r->counter;
		break;
	case REC(HIT):
		model_hit(m, r);
		break;
	case REC(READ):
		model_read(m, r);
		break;
	default:
		break;
	}
}

static inline int query_reg_cmp(const void *a, const void *b)
{
	const struct ummunotify_query_reg *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->user_cookie != y->user_cookie)
		return x->user_cookie < y->user_cookie ? -1 : 1;
	return 0;
}

/* 1 if the model equals the snapshot field for field; says why not. */
static inline int model_equals(struct model *m,
			       const struct ummunotify_monitor_query *mq,
			       const struct ummunotify_query_reg *regs,
			       const __u64 *queue)
{
	__u32 i;

	if (m->broken) {
		diag("a record could not be applied (seq %llu)",
		     (unsigned long long)m->seq);
		return 0;
	}
	qsort(m->regs, m->nr_regs, sizeof(m->regs[0]), query_reg_cmp);
	if (m->nr_regs != mq->query.nr_regs || m->nr_queued != mq->query.nr_queued ||
	    m->counter != mq->query.counter ||
	    m->flags != (mq->query.flags & UMMUNOTIFY_QUERY_NEED_EMPTY)) {
		diag("model: %u regs, %u queued, counter %llu, flags %u; query: %u, %u, %llu, %u",
		     m->nr_regs, m->nr_queued, (unsigned long long)m->counter,
		     m->flags, mq->query.nr_regs, mq->query.nr_queued,
		     (unsigned long long)mq->query.counter, mq->query.flags);
		return 0;
	}
	for (i = 0; i < m->nr_regs; i++) {
		if (memcmp(&m->regs[i], &regs[i], sizeof(regs[i]))) {
			diag("registration %u (cookie %llu) differs", i,
			     (unsigned long long)regs[i].user_cookie);
			return 0;
		}
	}
	if (memcmp(m->queue, queue, m->nr_queued * sizeof(*queue))) {
		diag("queue order differs");
		return 0;
	}
	return 1;
}

#endif /* MONITOR_TEST_H */
