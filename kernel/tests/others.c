// SPDX-License-Identifier: GPL-2.0
/*
 * Invalidations the owner did not cause: by another process
 * (process_madvise COLLAPSE and PAGEOUT, memory.reclaim, move_pages) and
 * by the kernel itself (khugepaged, ksmd, NUMA balancing), plus
 * invalidations racing registrations made by another thread. Each is
 * reported before the causing call returns: another process watches the
 * owner's file through a monitor and reads its counter right after its
 * call; for kernel threads the owner checks as soon as the effect (a huge
 * page, a merged page) is visible. Then read() gives the INVAL of the
 * right cookie with the reason of the kernel's path.
 *
 * The tests change global settings (THP, KSM, swap, cgroups, NUMA
 * balancing) and restore them; they are meant for the test VM.
 */
#include "monitor_test.h"

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise 440
#endif
#define MPOL_BIND_ 2
#define MPOL_MF_MOVE_ (1 << 1)

#define HPAGE_SIZE (2UL << 20)
#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage/"
#define KSM_SYSFS "/sys/kernel/mm/ksm/"
#define NUMA_SYSCTL "/proc/sys/kernel/numa_balancing"
#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP_TEST CGROUP_ROOT "/ummunotify-others"
#define ZRAM "/sys/block/zram0"
/* A wait for the kernel to act: generous, TCG is slow. */
#define WAIT_SECONDS 120

static struct ummunotify_event ev[UMN_MAX_EVENTS];
static int fd;
static const volatile __u64 *counter;

static void __attribute__((format(printf, 1, 2))) skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d # SKIP ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* 0 or -errno. */
static int write_file(const char *path, const char *value)
{
	int f = open(path, O_WRONLY), ret = 0;

	if (f < 0)
		return -errno;
	if (write(f, value, strlen(value)) < 0)
		ret = -errno;
	close(f);
	return ret;
}

/* The first word of @path into @buf (empty on error). */
static void read_word(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (fscanf(f, "%63s", buf) != 1)
		buf[0] = 0;
	fclose(f);
	(void)size;
}

static long read_long(const char *path)
{
	char buf[64];

	read_word(path, buf, sizeof(buf));
	return buf[0] ? atol(buf) : -1;
}

/*
 * A sysfs or sysctl setting changed for a test and put back after it.
 * THP's "enabled" shows "always [madvise] never": the saved value is the
 * bracketed word.
 */
struct setting {
	const char *path;
	char saved[256];
};

static int setting_set(struct setting *s, const char *path, const char *value)
{
	char buf[256], *open_b, *close_b;
	FILE *f = fopen(path, "r");

	s->path = path;
	s->saved[0] = 0;
	if (!f)
		return -errno;
	if (fgets(buf, sizeof(buf), f)) {
		open_b = strchr(buf, '[');
		close_b = open_b ? strchr(open_b, ']') : NULL;
		if (open_b && close_b) {
			*close_b = 0;
			snprintf(s->saved, sizeof(s->saved), "%s", open_b + 1);
		} else {
			buf[strcspn(buf, "\n")] = 0;
			snprintf(s->saved, sizeof(s->saved), "%s", buf);
		}
	}
	fclose(f);
	return write_file(path, value);
}

static void setting_restore(struct setting *s)
{
	if (s->saved[0])
		write_file(s->path, s->saved);
}

/* An entry of /proc/self/pagemap. */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_PFN_MASK ((1ULL << 55) - 1)

static __u64 pagemap(const void *addr)
{
	int f = open("/proc/self/pagemap", O_RDONLY);
	__u64 e = 0;

	if (f < 0)
		bail("open pagemap");
	if (pread(f, &e, sizeof(e),
		  (off_t)(addr_of(addr) / page_size()) * sizeof(e)) != sizeof(e))
		bail("read pagemap");
	close(f);
	return e;
}

/* AnonHugePages (kB) of the mapping holding @addr, from smaps. */
static long anon_huge_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo, hi;
	int in = 0;
	long kb = -1;

	if (!f)
		bail("open smaps");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = addr_of(addr) >= lo && addr_of(addr) < hi;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static int numa_nodes(void)
{
	char path[64];
	int n = 0;

	do
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", n);
	while (exists(path) && ++n < 64);
	return n;
}

/* A populated anonymous mapping of exactly one 2 MiB-aligned huge page. */
static char *thp_range_new(void)
{
	char *p = mmap(NULL, 2 * HPAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *a;

	if (p == MAP_FAILED)
		bail("mmap 4 MiB");
	a = (char *)((addr_of(p) + HPAGE_SIZE - 1) & ~(HPAGE_SIZE - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + HPAGE_SIZE, p + 2 * HPAGE_SIZE - (a + HPAGE_SIZE));
	memset(a, 7, HPAGE_SIZE);
	return a;
}

/*
 * Reads the owner's events until LAST: one INVAL for @cookie whose first
 * reason is @reason and whose reasons are within @mask (or exactly
 * @reason when @mask is 0).
 */
static int got_inval(__u64 cookie, int reason, __u32 mask)
{
	int n = umn_drain(fd, ev, UMN_MAX_EVENTS), i, found = 0;
	__u32 seen;

	for (i = 0; i < n; i++) {
		if (!is_inval(&ev[i], cookie))
			continue;
		found++;
		seen = UMMUNOTIFY_EVENT_REASON_MASK(ev[i].flags);
		if (UMMUNOTIFY_EVENT_REASON(ev[i].flags) != (__u32)reason ||
		    !(seen & (1U << reason)) ||
		    (seen & ~(mask ? mask : 1U << reason))) {
			diag("cookie %llu: flags 0x%x, expected reason %d",
			     (unsigned long long)cookie, ev[i].flags, reason);
			return 0;
		}
	}
	if (found != 1)
		diag("%d INVAL events for cookie %llu among %d events", found,
		     (unsigned long long)cookie, n);
	return found == 1;
}

/* Registers @cookie over [@p, @p + @len) and consumes anything pending. */
static __u64 watch(const void *p, size_t len, __u64 cookie)
{
	if (umn_register(fd, p, len, cookie))
		bail("REGISTER");
	umn_drain(fd, ev, UMN_MAX_EVENTS);
	return umn_counter_load(counter);
}

/* The counter moved since @before (what the owner checks itself). */
static int moved_since(__u64 before)
{
	if (umn_counter_load(counter) > before)
		return 1;
	diag("the counter did not move from %llu", (unsigned long long)before);
	return 0;
}

static void unwatch(void *p, size_t len, __u64 cookie)
{
	umn_unregister(fd, cookie);
	munmap(p, len);
}

/* ------------------------------------------------------------------
 * The causer: another process, forked before anything is registered (so
 * the fork's write-protection and copy-on-write touch nothing watched),
 * that makes calls on the owner's memory on request and reads the owner's
 * counter through a monitor right before and right after each call.
 */
enum cause_what { CAUSE_COLLAPSE, CAUSE_PAGEOUT, CAUSE_MOVE_PAGES,
		  CAUSE_RECLAIM, CAUSE_EXIT };

struct cause_request {
	int what;
	int owner_fd;
	__u64 addr;
	__u64 len;
	int node;
};

struct cause_result {
	long ret;
	int err;		/* errno of the call when ret < 0 */
	int monitor_err;	/* attaching or querying the monitor failed */
	__u64 before, after;	/* the owner's counter around the call */
	int status[16];		/* move_pages: the node of each page */
};

static int to_causer[2], from_causer[2];
static pid_t causer_pid;

static int monitor_counter(int mfd, __u64 *value)
{
	struct ummunotify_monitor_query mq;
	int err = mon_query(mfd, &mq, NULL, 0, NULL, 0);

	*value = mq.query.counter;
	return err;
}

static long cause(pid_t owner, const struct cause_request *rq,
		  struct cause_result *res)
{
	struct iovec iov = { (void *)(uintptr_t)rq->addr, rq->len };
	void *pages[16];
	int nodes[16], i, pidfd, n = rq->len / page_size();
	long ret;

	switch (rq->what) {
	case CAUSE_COLLAPSE:
	case CAUSE_PAGEOUT:
		pidfd = pidfd_open_(owner);
		if (pidfd < 0)
			return -1;
		ret = syscall(SYS_process_madvise, pidfd, &iov, 1,
			      rq->what == CAUSE_COLLAPSE ? MADV_COLLAPSE :
			      MADV_PAGEOUT, 0);
		i = errno;
		close(pidfd);
		errno = i;
		return ret;
	case CAUSE_MOVE_PAGES:
		for (i = 0; i < n && i < 16; i++) {
			pages[i] = (char *)(uintptr_t)rq->addr + i * page_size();
			nodes[i] = rq->node;
		}
		return syscall(SYS_move_pages, owner, (unsigned long)i, pages,
			       nodes, res->status, MPOL_MF_MOVE_);
	case CAUSE_RECLAIM: {
		char amount[32];

		snprintf(amount, sizeof(amount), "%llu",
			 (unsigned long long)rq->len);
		ret = write_file(CGROUP_TEST "/memory.reclaim", amount);
		errno = -ret;
		return ret;
	}
	}
	errno = EINVAL;
	return -1;
}

static void __attribute__((noreturn)) causer_main(pid_t owner)
{
	struct cause_request rq;
	struct cause_result res;
	int mfd = -1, dup;

	while (read(to_causer[0], &rq, sizeof(rq)) == sizeof(rq) &&
	       rq.what != CAUSE_EXIT) {
		memset(&res, 0, sizeof(res));
		if (mfd < 0) {
			dup = getfd_of(owner, rq.owner_fd);
			mfd = dup < 0 ? dup : mon_open(dup, 64, 0);
			if (dup >= 0)
				close(dup);
		}
		if (mfd < 0 || monitor_counter(mfd, &res.before)) {
			res.monitor_err = mfd < 0 ? -mfd : errno;
		} else {
			res.ret = cause(owner, &rq, &res);
			res.err = res.ret < 0 ? errno : 0;
			if (monitor_counter(mfd, &res.after))
				res.monitor_err = errno;
		}
		if (write(from_causer[1], &res, sizeof(res)) != sizeof(res))
			break;
	}
	_exit(0);
}

static void causer_start(void)
{
	pid_t owner = getpid();

	if (pipe(to_causer) || pipe(from_causer))
		bail("pipe");
	causer_pid = fork();
	if (causer_pid < 0)
		bail("fork");
	if (causer_pid == 0)
		causer_main(owner);
	close(to_causer[0]);
	close(from_causer[1]);
}

static void causer_stop(void)
{
	struct cause_request rq = { .what = CAUSE_EXIT };

	if (write(to_causer[1], &rq, sizeof(rq)) != sizeof(rq))
		bail("write to the causer");
	waitpid(causer_pid, NULL, 0);
}

/* Has the causer make @what on [@p, @p + @len); 0 if it could not ask. */
static int cause_elsewhere(int what, const void *p, size_t len, int node,
			   struct cause_result *res)
{
	struct cause_request rq = { .what = what, .owner_fd = fd,
				    .addr = addr_of(p), .len = len,
				    .node = node };

	if (write(to_causer[1], &rq, sizeof(rq)) != sizeof(rq) ||
	    read(from_causer[0], res, sizeof(*res)) != sizeof(*res))
		bail("talk to the causer");
	if (res->monitor_err) {
		diag("the causer could not watch the owner's file: %s",
		     strerror(res->monitor_err));
		return 0;
	}
	return 1;
}

/* The counter had moved when the causer's call returned. */
static int moved_on_return(const struct cause_result *res)
{
	if (res->after > res->before)
		return 1;
	diag("counter %llu before the call, %llu when it returned",
	     (unsigned long long)res->before, (unsigned long long)res->after);
	return 0;
}

/* ------------------------------------------------------------------ */

static void test_collapse_by_another_process(void)
{
	struct cause_result res;
	struct setting thp;
	char *a;

	if (!exists(THP_SYSFS "enabled")) {
		skip("process_madvise(MADV_COLLAPSE): no transparent huge pages");
		return;
	}
	/* Faults then map small pages; MADV_COLLAPSE ignores the mode. */
	setting_set(&thp, THP_SYSFS "enabled", "madvise");
	a = thp_range_new();
	watch(a, page_size(), 101);
	if (anon_huge_kb(a) != 0)
		diag("the range is already a huge page");
	if (cause_elsewhere(CAUSE_COLLAPSE, a, HPAGE_SIZE, 0, &res) &&
	    res.ret < 0 && (res.err == EINVAL || res.err == ENOSYS)) {
		skip("process_madvise(MADV_COLLAPSE): %s (needs 6.1)",
		     strerror(res.err));
	} else {
		if (res.ret < 0)
			diag("process_madvise: %s", strerror(res.err));
		ok(res.ret == (long)HPAGE_SIZE && anon_huge_kb(a) == 2048 &&
		   moved_on_return(&res) && got_inval(101, UMMUNOTIFY_REASON_CLEAR, 0),
		   "process_madvise(MADV_COLLAPSE) from another process: counter moved when it returned, CLEAR for the page");
	}
	unwatch(a, HPAGE_SIZE, 101);
	setting_restore(&thp);
}

static void test_khugepaged(void)
{
	struct setting thp, sleep_ms, alloc_ms, scan;
	__u64 before;
	double deadline;
	long kb = 0;
	char *a;

	if (!exists(THP_SYSFS "khugepaged/scan_sleep_millisecs")) {
		skip("khugepaged: no transparent huge pages");
		return;
	}
	setting_set(&thp, THP_SYSFS "enabled", "madvise");
	a = thp_range_new();
	before = watch(a + HPAGE_SIZE / 2, page_size(), 102);
	if (madvise(a, HPAGE_SIZE, MADV_HUGEPAGE))
		bail("MADV_HUGEPAGE");
	setting_set(&scan, THP_SYSFS "khugepaged/pages_to_scan", "4096");
	setting_set(&alloc_ms, THP_SYSFS "khugepaged/alloc_sleep_millisecs", "10");
	setting_set(&sleep_ms, THP_SYSFS "khugepaged/scan_sleep_millisecs", "10");
	deadline = now_s() + WAIT_SECONDS;
	while (now_s() < deadline && (kb = anon_huge_kb(a)) != 2048)
		usleep(20000);
	/* Seen collapsed: khugepaged's notifier call came before. */
	ok(kb == 2048 && moved_since(before) &&
	   got_inval(102, UMMUNOTIFY_REASON_CLEAR, 0),
	   "khugepaged collapse: counter moved by the time the huge page is visible, CLEAR for the page");
	if (kb != 2048)
		diag("no collapse after %d s (AnonHugePages %ld kB)",
		     WAIT_SECONDS, kb);
	setting_restore(&sleep_ms);
	setting_restore(&alloc_ms);
	setting_restore(&scan);
	unwatch(a, HPAGE_SIZE, 102);
	setting_restore(&thp);
}

static void test_ksm(void)
{
	struct setting run, sleep_ms, scan;
	const int pages = 16;
	__u64 before, pfn0 = 0, pfn1 = 1;
	double deadline;
	char *a;

	if (!exists(KSM_SYSFS "run")) {
		skip("KSM merging: the kernel has no KSM");
		return;
	}
	a = arena_new(pages);
	memset(a, 0x5a, pages * page_size());
	before = watch(arena_page(a, 1), page_size(), 103);
	if (madvise(a, pages * page_size(), MADV_MERGEABLE))
		bail("MADV_MERGEABLE");
	setting_set(&scan, KSM_SYSFS "pages_to_scan", "1000");
	setting_set(&sleep_ms, KSM_SYSFS "sleep_millisecs", "10");
	setting_set(&run, KSM_SYSFS "run", "1");
	deadline = now_s() + WAIT_SECONDS;
	while (now_s() < deadline) {
		pfn0 = pagemap(arena_page(a, 0));
		pfn1 = pagemap(arena_page(a, 1));
		if ((pfn0 & PM_PRESENT) && (pfn0 & PM_PFN_MASK) &&
		    (pfn0 & PM_PFN_MASK) == (pfn1 & PM_PFN_MASK))
			break;
		usleep(20000);
	}
	/* Seen merged (one frame): ksmd's notifier calls came before. */
	ok((pfn0 & PM_PFN_MASK) == (pfn1 & PM_PFN_MASK) &&
	   moved_since(before) &&
	   got_inval(103, UMMUNOTIFY_REASON_CLEAR, 0),
	   "KSM merge by ksmd: counter moved by the time the page shares a frame, CLEAR for the page");
	if ((pfn0 & PM_PFN_MASK) != (pfn1 & PM_PFN_MASK))
		diag("not merged after %d s (pages_shared %ld)", WAIT_SECONDS,
		     read_long(KSM_SYSFS "pages_shared"));
	unwatch(a, pages * page_size(), 103);
	setting_restore(&run);
	setting_restore(&sleep_ms);
	setting_restore(&scan);
}

/*
 * Swap: an active swap area, or one made on zram0 (the zram module, loaded
 * by the test VM). Returns 1 if swap is there, 2 if this set it up.
 */
static int swap_up(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	int lines = 0;

	while (f && fgets(line, sizeof(line), f))
		lines++;
	if (f)
		fclose(f);
	if (lines > 1)
		return 1;
	if (!exists(ZRAM "/disksize"))
		return 0;
	if (write_file(ZRAM "/disksize", "64M") ||
	    system("mkswap /dev/zram0 >/dev/null") != 0 ||
	    swapon("/dev/zram0", 0)) {
		diag("cannot make zram0 a swap area: %s", strerror(errno));
		return 0;
	}
	return 2;
}

static void swap_down(int how)
{
	if (how != 2)
		return;
	if (swapoff("/dev/zram0"))
		diag("swapoff zram0: %s", strerror(errno));
	write_file(ZRAM "/reset", "1");
}

/* How many of @pages pages at @a are in swap. */
static int swapped(const char *a, int pages)
{
	int i, n = 0;

	for (i = 0; i < pages; i++)
		n += !!(pagemap(a + i * page_size()) & PM_SWAP);
	return n;
}

static void fill_distinct(char *a, int pages)
{
	int i;

	for (i = 0; i < pages * page_size() / 8; i++)
		((__u64 *)a)[i] = i * 0x9e3779b97f4a7c15ULL + 1;
}

/*
 * Fills @pages pages on one CPU and puts them on the LRU lists: a page
 * just faulted waits in its CPU's batch, where only a drain on that CPU
 * (MADV_COLD does one) lets another process's MADV_PAGEOUT take it.
 */
static char *arena_on_lru(int pages)
{
	cpu_set_t all, one;
	char *a = arena_new(pages);

	if (sched_getaffinity(0, sizeof(all), &all))
		bail("sched_getaffinity");
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		bail("sched_setaffinity");
	fill_distinct(a, pages);
	madvise(a, pages * page_size(), MADV_COLD);
	if (sched_setaffinity(0, sizeof(all), &all))
		bail("sched_setaffinity");
	return a;
}

static void test_pageout_by_another_process(void)
{
	const int pages = 8;
	struct cause_result res;
	char *a = arena_on_lru(pages);

	watch(arena_page(a, 2), page_size(), 104);
	if (!cause_elsewhere(CAUSE_PAGEOUT, a, pages * page_size(), 0, &res))
		res.ret = -1;
	if (res.ret < 0 && (res.err == EINVAL || res.err == ENOSYS))
		skip("process_madvise(MADV_PAGEOUT): %s", strerror(res.err));
	else
		ok(res.ret == pages * page_size() &&
		   (pagemap(arena_page(a, 2)) & PM_SWAP) &&
		   moved_on_return(&res) &&
		   got_inval(104, UMMUNOTIFY_REASON_CLEAR, 0),
		   "process_madvise(MADV_PAGEOUT) to swap from another process: counter moved when it returned, CLEAR for the page");
	if (!(pagemap(arena_page(a, 2)) & PM_SWAP))
		diag("the page was not swapped out (%d of %d pages in swap)",
		     swapped(a, pages), pages);
	unwatch(a, pages * page_size(), 104);
}

/* Moves this process to @dir's cgroup.procs; 0 or -errno. */
static int cgroup_enter(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	return write_file(path, "0");
}

static void test_memcg_reclaim(void)
{
	const int pages = 64;
	struct cause_result res;
	int mounted = 0, n;
	char *a;

	if (!exists(CGROUP_ROOT "/cgroup.controllers")) {
		if (mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL)) {
			skip("memory.reclaim: no cgroup v2 (%s)", strerror(errno));
			return;
		}
		mounted = 1;
	}
	write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
	if (mkdir(CGROUP_TEST, 0755) && errno != EEXIST)
		bail("mkdir " CGROUP_TEST);
	if (!exists(CGROUP_TEST "/memory.reclaim")) {
		skip("memory.reclaim: not in this kernel (5.19+) or no memory controller");
		goto out;
	}
	if (cgroup_enter(CGROUP_TEST))
		bail("enter " CGROUP_TEST);
	/* Charged to the test cgroup: faulted after entering it. */
	a = arena_new(pages);
	fill_distinct(a, pages);
	watch(a, pages * page_size(), 105);
	if (cause_elsewhere(CAUSE_RECLAIM, NULL, 4 * pages * page_size(), 0,
			    &res)) {
		n = swapped(a, pages);
		/* EAGAIN: less than asked was reclaimable; fine if ours went. */
		ok(n > 0 && moved_on_return(&res) &&
		   got_inval(105, UMMUNOTIFY_REASON_CLEAR, 0),
		   "memory.reclaim written by another process: counter moved when it returned, CLEAR (%d of %d pages to swap)",
		   n, pages);
		if (n == 0)
			diag("memory.reclaim: %s; no page swapped",
			     res.ret ? strerror(res.err) : "done");
	} else {
		ok(0, "memory.reclaim written by another process");
	}
	unwatch(a, pages * page_size(), 105);
	if (cgroup_enter(CGROUP_ROOT))
		bail("leave " CGROUP_TEST);
out:
	rmdir(CGROUP_TEST);
	if (mounted)
		umount(CGROUP_ROOT);
}

#define ONE_NODE "one NUMA node (run-tests.sh runs this again on two)"

/* A populated arena, all on one node: *@node. */
static char *arena_on_node(int pages, int *node)
{
	char *a = arena_new(pages);

	if (syscall(SYS_move_pages, 0, 1UL, (void **)&a, NULL, node, 0) ||
	    *node < 0)
		bail("move_pages (query)");
	return a;
}

static void test_move_pages_by_another_process(void)
{
	const int pages = 4;
	struct cause_result res;
	int node;
	char *a;

	if (numa_nodes() < 2) {
		skip("move_pages: " ONE_NODE);
		return;
	}
	/* Whatever node the pages are on, move them to another one. */
	a = arena_on_node(pages, &node);
	watch(arena_page(a, 1), page_size(), 106);
	if (cause_elsewhere(CAUSE_MOVE_PAGES, a, pages * page_size(), !node,
			    &res)) {
		if (res.ret < 0)
			diag("move_pages: %s", strerror(res.err));
		ok(res.ret == 0 && res.status[1] == !node &&
		   moved_on_return(&res) &&
		   got_inval(106, UMMUNOTIFY_REASON_CLEAR, 0),
		   "move_pages to node %d from another process: counter moved when it returned, CLEAR for the page",
		   !node);
	} else {
		ok(0, "move_pages from another process");
	}
	unwatch(a, pages * page_size(), 106);
}

static void test_mbind(void)
{
	const int pages = 4;
	unsigned long mask;
	__u64 before;
	int node;
	char *a;
	long ret;

	if (numa_nodes() < 2) {
		skip("mbind(MPOL_MF_MOVE): " ONE_NODE);
		return;
	}
	a = arena_on_node(pages, &node);
	before = watch(arena_page(a, 2), page_size(), 107);
	mask = 1UL << !node;
	ret = syscall(SYS_mbind, a, pages * page_size(), MPOL_BIND_, &mask,
		      sizeof(mask) * 8, MPOL_MF_MOVE_);
	if (ret)
		diag("mbind: %s", strerror(errno));
	ok(ret == 0 && moved_since(before) &&
	   got_inval(107, UMMUNOTIFY_REASON_CLEAR, 0),
	   "mbind(MPOL_BIND, MPOL_MF_MOVE) to node %d: counter moved when it returned, CLEAR for the page",
	   !node);
	unwatch(a, pages * page_size(), 107);
}

static void test_numa_balancing(void)
{
	const int pages = 64;
	struct setting numa;
	double deadline;
	__u64 before;
	volatile char *a;
	int i;

	if (numa_nodes() < 2 || !exists(NUMA_SYSCTL)) {
		skip("NUMA balancing: %s", numa_nodes() < 2 ? ONE_NODE :
		     "the kernel has no NUMA balancing");
		return;
	}
	a = arena_new(pages);
	before = watch((char *)a, pages * page_size(), 108);
	setting_set(&numa, NUMA_SYSCTL, "1");
	/* The scanner runs as task work of a task that keeps running. */
	deadline = now_s() + WAIT_SECONDS;
	while (umn_counter_load(counter) == before && now_s() < deadline)
		for (i = 0; i < pages; i++)
			(void)a[i * page_size()];
	setting_restore(&numa);
	/* Hinting faults may have migrated pages by now: CLEAR after. */
	ok(moved_since(before) &&
	   got_inval(108, UMMUNOTIFY_REASON_PROTECTION_VMA,
		     (1U << UMMUNOTIFY_REASON_PROTECTION_VMA) |
		     (1U << UMMUNOTIFY_REASON_CLEAR)),
	   "NUMA balancing scan: the range is reported with PROTECTION_VMA");
	unwatch((char *)a, pages * page_size(), 108);
}

/* ------------------------------------------------------------------
 * The race: another thread registers and unregisters ranges, some of
 * them over the page being invalidated, while this one invalidates a
 * registered page again and again.
 */
#define RACE_TRIALS 10000

struct churn {
	char *hit;		/* the page this thread invalidates */
	char *other;		/* pages nobody invalidates */
	int pages;
	volatile int stop;
	long rounds;
	int errors;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	__u64 cookie;
	int i;

	while (!c->stop) {
		for (i = 0; i < c->pages; i++) {
			cookie = 1000000 + i;
			if (umn_register(fd, arena_page(c->other, i),
					 page_size(), cookie) ||
			    umn_unregister(fd, cookie))
				c->errors++;
		}
		if (umn_register(fd, c->hit - page_size(), 3 * page_size(),
				 2000000) || umn_unregister(fd, 2000000))
			c->errors++;
		c->rounds++;
	}
	return NULL;
}

static void test_race_with_registrations(void)
{
	struct churn c = { .pages = 16 };
	int trial, late = 0, unreported = 0, n, i, found;
	pthread_t thread;
	__u64 before;
	char *a = arena_new(3);

	c.hit = arena_page(a, 1);
	c.other = arena_new(c.pages);
	watch(c.hit, page_size(), 109);
	if (pthread_create(&thread, NULL, churn_main, &c))
		bail("pthread_create");
	for (trial = 0; trial < RACE_TRIALS; trial++) {
		c.hit[0] = 1;
		before = umn_counter_load(counter);
		madvise(c.hit, page_size(), MADV_DONTNEED);
		if (umn_counter_load(counter) == before)
			late++;
		n = umn_drain(fd, ev, UMN_MAX_EVENTS);
		for (i = 0, found = 0; i < n; i++)
			found += is_inval(&ev[i], 109) &&
				 UMMUNOTIFY_EVENT_REASON(ev[i].flags) ==
				 UMMUNOTIFY_REASON_CLEAR;
		if (found != 1)
			unreported++;
	}
	c.stop = 1;
	pthread_join(thread, NULL);
	diag("%ld register/unregister rounds of %d ranges during %d trials",
	     c.rounds, c.pages + 1, RACE_TRIALS);
	ok(late == 0 && c.errors == 0 && c.rounds > 0,
	   "race with another thread's REGISTER/UNREGISTER: the counter moved before madvise returned in all %d trials (late: %d)",
	   RACE_TRIALS, late);
	ok(unreported == 0,
	   "race: every trial's read() gave one CLEAR INVAL for the page (missing: %d)",
	   unreported);
	unwatch(a, 3 * page_size(), 109);
	munmap(c.other, c.pages * page_size());
}

int main(void)
{
	struct setting numa = { 0 };
	int swap;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* NUMA balancing would add PROTECTION_VMA reports anywhere. */
	if (exists(NUMA_SYSCTL))
		setting_set(&numa, NUMA_SYSCTL, "0");
	causer_start();
	fd = umn_open(UMMUNOTIFY_FEATURE_REASON);
	counter = umn_map_counter(fd);

	test_race_with_registrations();
	test_collapse_by_another_process();
	test_khugepaged();
	test_ksm();
	swap = swap_up();
	if (swap) {
		test_pageout_by_another_process();
		test_memcg_reclaim();
	} else {
		skip("process_madvise(MADV_PAGEOUT): no swap (load zram: vm-run.sh --modules zram)");
		skip("memory.reclaim: no swap (load zram: vm-run.sh --modules zram)");
	}
	swap_down(swap);
	test_move_pages_by_another_process();
	test_mbind();
	test_numa_balancing();

	causer_stop();
	munmap((void *)counter, page_size());
	close(fd);
	setting_restore(&numa);
	return tap_done();
}
