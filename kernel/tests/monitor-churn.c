// SPDX-License-Identifier: GPL-2.0
/*
 * Monitors under churn. What a viewer relies on:
 *   - stitching: a MONITOR_QUERY snapshot plus every record after its seq
 *     reproduces any later snapshot exactly, while the owner (another
 *     process, attached through pidfd_getfd) registers, unregisters,
 *     changes its memory map and reads at random;
 *   - monitors opened and closed by many threads while the owner works
 *     and reopens its file leave nothing behind (slab counts back to
 *     where they started; the VM run also fails on any WARN).
 */
#include "monitor_test.h"

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#define ARENA_PAGES	64
#define LIVE_MAX	256
#define CHURN_OPS	20000
#define PENDING_MAX	(1U << 18)

static unsigned int rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return *seed >> 8;
}

/* The owner: random operations on its file and its memory map. */
static void owner_churn(int fd, unsigned int seed, int ops, __u64 features)
{
	struct ummunotify_event ev[8];
	char *arena = arena_new(ARENA_PAGES);
	__u64 live[LIVE_MAX] = { 0 }, next = 1;
	long ps = page_size();
	int i;

	for (i = 0; i < ops; i++) {
		unsigned int first = rnd(&seed) % ARENA_PAGES;
		unsigned int len = 1 + rnd(&seed) % 4;
		unsigned int slot = rnd(&seed) % LIVE_MAX;
		char *p = arena_page(arena, first);
		__u32 filter = 0;

		if (first + len > ARENA_PAGES)
			len = ARENA_PAGES - first;
		switch (rnd(&seed) % 11) {
		case 0: case 1: case 2:
			if (live[slot])
				break;
			if ((features & UMMUNOTIFY_FEATURE_FILTER) && rnd(&seed) % 2)
				filter = 1U << UMMUNOTIFY_REASON_PROTECTION_VMA;
			if (!umn_register_flags(fd, addr_of(p), addr_of(p) + len * ps,
						next, filter))
				live[slot] = next;
			next++;
			break;
		case 3:
			if (live[slot] && !umn_unregister(fd, live[slot]))
				live[slot] = 0;
			break;
		case 4: case 5:
			madvise(p, len * ps, MADV_DONTNEED);
			break;
		case 6:
			mprotect(p, len * ps, PROT_READ);
			mprotect(p, len * ps, PROT_READ | PROT_WRITE);
			break;
		case 7:
			memset(p, 2, len * ps);
			break;
		case 8:
			umn_read(fd, ev, 1 + rnd(&seed) % 4);
			break;
		case 9:
			umn_drain(fd, ev, 8);
			break;
		case 10:
			if (mmap(p, ps, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p)
				madvise(p, ps, MADV_NOHUGEPAGE);
			break;
		}
	}
	munmap(arena, ARENA_PAGES * ps);
}

struct churn {
	unsigned int seed;
	__u64 features;
};

static void churn_body(int fd, char go, void *arg)
{
	struct churn *c = arg;

	if (go)
		owner_churn(fd, c->seed, CHURN_OPS, c->features);
}

static struct model model;
static struct ummunotify_query_reg qregs[MODEL_MAX];
static __u64 qqueue[MODEL_MAX];
static mrec_t pending[PENDING_MAX];

/* Applies the pending records up to @seq; keeps the later ones. */
static unsigned int apply_pending(unsigned int n, __u64 seq)
{
	unsigned int i = 0;

	for (; i < n && pending[i].seq <= seq; i++)
		if (pending[i].seq > model.seq)
			model_apply(&model, &pending[i]);
	memmove(pending, pending + i, (n - i) * sizeof(pending[0]));
	return n - i;
}

static void test_stitching(unsigned int seed, __u64 features)
{
	struct ummunotify_monitor_query mq;
	unsigned int n = 0, rounds = 0, mismatches = 0, records = 0;
	unsigned int seed0 = seed;
	int child_fd, go, dup, mfd, status, r, last_close = 0;
	__u64 dropped = 0;
	pid_t pid;

	struct churn churn = { .seed = seed, .features = features };

	pid = spawn_owner_process(features, churn_body, &churn, &child_fd, &go);
	dup = getfd_of(pid, child_fd);
	if (dup < 0)
		bail("pidfd_getfd");
	mfd = mon_open(dup, 1U << 18, 0);
	close(dup);
	if (mfd < 0 || mon_query(mfd, &mq, qregs, MODEL_MAX, qqueue, MODEL_MAX))
		bail("MONITOR_OPEN / MONITOR_QUERY");
	model_from_query(&model, &mq, qregs, qqueue);
	if (write(go, "g", 1) != 1)
		bail("write");

	for (;;) {
		usleep(rnd(&seed) % 3000);
		r = mon_query(mfd, &mq, qregs, MODEL_MAX, qqueue, MODEL_MAX);
		if (r == -ENODEV)
			break;
		if (r)
			bail("MONITOR_QUERY");
		dropped = mq.dropped;
		r = mon_drain(mfd, pending + n, PENDING_MAX - n);
		n += r;
		records += r;
		n = apply_pending(n, mq.seq);
		rounds++;
		if (!model_equals(&model, &mq, qregs, qqueue)) {
			mismatches++;
			model_from_query(&model, &mq, qregs, qqueue);
		}
		model.seq = mq.seq;
	}
	waitpid(pid, &status, 0);
	close(go);
	r = mon_drain(mfd, pending + n, PENDING_MAX - n);
	n += r;
	last_close = n && pending[n - 1].type == REC(CLOSE) &&
		     (pending[n - 1].flags & UMMUNOTIFY_MONITOR_CLOSE_MM_GONE);
	ok(rounds >= 5 && mismatches == 0 && dropped == 0,
	   "seed %u, features 0x%llx: %u snapshots each equal to the one before plus the records between (%u records, %u mismatches)",
	   seed0, (unsigned long long)features, rounds, records + r, mismatches);
	ok(last_close && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "seed %u: the owner's exit ends the stream with CLOSE", seed0);
	close(mfd);
}

/* ---- monitors opened and closed by threads while the owner works ---- */

#define MONITOR_THREADS	10
#define THREAD_SECONDS	4

static pthread_mutex_t owner_lock = PTHREAD_MUTEX_INITIALIZER;
static int owner_fd;
static atomic_int stop;
static atomic_ulong opened, busy, closes_seen, owner_reopens;

static void *owner_main(void *arg)
{
	unsigned int seed = 1;
	int i;

	(void)arg;
	for (i = 0; !atomic_load(&stop); i++) {
		int fd;

		owner_churn(owner_fd, seed + i, 200, 0);
		pthread_mutex_lock(&owner_lock);
		fd = owner_fd;
		owner_fd = umn_open(UMN_NO_NEGOTIATE);
		pthread_mutex_unlock(&owner_lock);
		close(fd);
		atomic_fetch_add(&owner_reopens, 1);
	}
	return NULL;
}

static void *monitor_main(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	struct ummunotify_monitor_query mq;
	mrec_t r[64];
	int d, m, i, n;

	while (!atomic_load(&stop)) {
		pthread_mutex_lock(&owner_lock);
		d = dup(owner_fd);
		pthread_mutex_unlock(&owner_lock);
		m = mon_open(d, 1U << (rnd(&seed) % 10),
			     rnd(&seed) % 2 ? UMMUNOTIFY_MONITOR_MISSES : 0);
		close(d);
		if (m == -EBUSY)
			atomic_fetch_add(&busy, 1);
		if (m < 0)
			continue;
		atomic_fetch_add(&opened, 1);
		for (i = rnd(&seed) % 8; i > 0; i--) {
			struct pollfd pfd = { .fd = m, .events = POLLIN };

			poll(&pfd, 1, 1);
			n = mon_read(m, r, 64);
			if (n > 0 && r[n - 1].type == REC(CLOSE))
				atomic_fetch_add(&closes_seen, 1);
			mon_query(m, &mq, NULL, 0, NULL, 0);
		}
		close(m);
	}
	return NULL;
}

static void test_threads(void)
{
	static const char * const caches[] = {
		"ummunotify_monitor", "ummunotify_file", "ummunotify_registration",
	};
	pthread_t owner, mon[MONITOR_THREADS];
	long before[3], after[3];
	int i, same = 1, listed = 1;

	for (i = 0; i < 3; i++) {
		before[i] = slab_active(caches[i]);
		listed &= before[i] >= 0;
	}
	owner_fd = umn_open(UMN_NO_NEGOTIATE);
	pthread_create(&owner, NULL, owner_main, NULL);
	for (i = 0; i < MONITOR_THREADS; i++)
		pthread_create(&mon[i], NULL, monitor_main, (void *)(uintptr_t)(i + 1));
	sleep(THREAD_SECONDS);
	atomic_store(&stop, 1);
	pthread_join(owner, NULL);
	for (i = 0; i < MONITOR_THREADS; i++)
		pthread_join(mon[i], NULL);
	close(owner_fd);
	diag("%lu monitors opened, %lu EBUSY, %lu CLOSE seen, %lu owner reopens",
	     atomic_load(&opened), atomic_load(&busy), atomic_load(&closes_seen),
	     atomic_load(&owner_reopens));
	ok(atomic_load(&opened) > 0 && atomic_load(&owner_reopens) > 0,
	   "monitors were opened and closed by %d threads while the owner registered, unmapped, read and reopened its file",
	   MONITOR_THREADS);
	for (i = 0; i < 3; i++) {
		after[i] = slab_active(caches[i]);
		if (after[i] != before[i])
			diag("%s: %ld active objects before, %ld after", caches[i],
			     before[i], after[i]);
		same &= after[i] == before[i];
	}
	if (!listed)
		ok(1, "# SKIP the module's caches are not in /proc/slabinfo (merged without slub_debug)");
	else
		ok(same, "no leak: monitor, file and registration slab counts are back where they started");
}

int main(void)
{
	static const __u64 features[] = {
		0,
		UMMUNOTIFY_FEATURE_REASON | UMMUNOTIFY_FEATURE_HINT_UNION,
		UMMUNOTIFY_FEATURE_REASON | UMMUNOTIFY_FEATURE_FILTER,
	};
	unsigned int i;

	for (i = 0; i < 3; i++)
		test_stitching(1000 + i, features[i]);
	test_stitching(77, UMN_NO_NEGOTIATE);
	test_threads();
	return tap_done();
}
