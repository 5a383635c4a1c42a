// SPDX-License-Identifier: GPL-2.0
/*
 * Scale smoke test: a million registrations are registered, invalidated
 * in part, half unregistered and closed; the registration limit is
 * enforced. Times are printed, never asserted.
 */
#include "ummunotify_test.h"

#include <time.h>

#define NR_REGS (1U << 20)
#define LIMIT_PARAM "/sys/module/ummunotify/parameters/max_registrations"

static struct ummunotify_event ev[UMN_MAX_EVENTS];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_param(const char *value)
{
	FILE *f = fopen(LIMIT_PARAM, "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(value, f) < 0 ? -1 : 0;
	return fclose(f) ? -1 : ret;
}

static void test_limit(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	unsigned int i;
	int all = 1;

	if (write_param("10")) {
		ok(0, "set max_registrations (%s)", strerror(errno));
		close(fd);
		return;
	}
	for (i = 0; i < 10; i++)
		all &= umn_register_flags(fd, 0x100000, 0x101000, i, 0) == 0;
	ok(all, "registrations up to max_registrations succeed");
	ok(umn_register_flags(fd, 0x100000, 0x101000, 10, 0) == -ENOSPC,
	   "REGISTER past max_registrations fails with ENOSPC");
	ok(umn_unregister(fd, 3) == 0 &&
	   umn_register_flags(fd, 0x100000, 0x101000, 10, 0) == 0,
	   "an UNREGISTER makes room again");
	write_param("4194304");
	close(fd);
}

/*
 * The cookie table grows past one registration per chain and shrinks
 * below one per eight: through both, every cookie is still found (a
 * duplicate is refused, UNREGISTER finds it) and no other is. Once with
 * consecutive cookies, which the table keeps in runs of adjacent chains
 * until it shrinks; once with cookies apart in their high or low bits: the
 * even ones consecutive, the odd ones all ending in 40 zero bits, so
 * they crowd one chain of each run until the table hashes whole cookies
 * instead.
 */
#define TABLE_REGS	65536
#define TABLE_KEEP	8

static __u64 consecutive_cookie(unsigned int i)
{
	return 1000 + i;
}

static __u64 high_or_low_cookie(unsigned int i)
{
	return i % 2 ? (__u64)i << 40 : i;
}

static void test_cookie_table(const char *what, __u64 (*cookie)(unsigned int))
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	int all = 1, dup = 1, kept = 1;
	unsigned int i;

	for (i = 0; i < TABLE_REGS; i++)
		all &= umn_register_flags(fd, 0x100000, 0x101000,
					  cookie(i), 0) == 0;
	for (i = 0; i < TABLE_REGS; i += 97)
		dup &= umn_register_flags(fd, 0x200000, 0x201000,
					  cookie(i), 0) == -EINVAL;
	ok(all && dup, "%d registrations, %s cookies; duplicates refused",
	   TABLE_REGS, what);
	all = 1;
	for (i = TABLE_KEEP; i < TABLE_REGS; i++)
		all &= umn_unregister(fd, cookie(i)) == 0;
	for (i = 0; i < TABLE_KEEP; i++)
		kept &= umn_register_flags(fd, 0x200000, 0x201000,
					   cookie(i), 0) == -EINVAL;
	ok(all && kept && umn_unregister(fd, cookie(TABLE_KEEP)) == -EINVAL &&
	   umn_unregister(fd, cookie(TABLE_REGS)) == -EINVAL,
	   "%s cookies: all but %d unregister (the table shrinks); those are still found, the others not",
	   what, TABLE_KEEP);
	all = 1;
	for (i = 0; i < TABLE_KEEP; i++)
		all &= umn_unregister(fd, cookie(i)) == 0 &&
		       umn_unregister(fd, cookie(i)) == -EINVAL;
	for (i = 0; i < TABLE_KEEP; i++)
		all &= umn_register_flags(fd, 0x100000, 0x101000,
					  cookie(i), 0) == 0;
	ok(all, "%s cookies: the last ones unregister once each, and register again",
	   what);
	close(fd);
}

static void test_million(void)
{
	long ps = page_size();
	size_t len = (size_t)NR_REGS * ps;
	int fd = umn_open(UMMUNOTIFY_FEATURE_QUERY);
	const volatile __u64 *counter = umn_map_counter(fd);
	struct ummunotify_query_reg *regs;
	struct ummunotify_query q = { .regs_cap = NR_REGS };
	char *base = mmap(NULL, len, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	double t0, t1, t2, t3, t4, tq;
	unsigned int i;
	int n, all = 1, odd = 1, sorted = 1;

	if (base == MAP_FAILED)
		bail("reserve address space");
	t0 = now_s();
	for (i = 0; i < NR_REGS; i++)
		all &= umn_register(fd, base + (size_t)i * ps, ps, i) == 0;
	t1 = now_s();
	ok(all, "a million registrations succeed");

	regs = calloc(NR_REGS, sizeof(*regs));
	q.regs_ptr = addr_of(regs);
	tq = now_s();
	all = regs && ioctl(fd, UMMUNOTIFY_QUERY, &q) == 0;
	tq = now_s() - tq;
	for (i = 0; all && i < NR_REGS; i++)
		sorted &= regs[i].user_cookie == i;
	ok(all && q.nr_regs == NR_REGS && sorted,
	   "QUERY lists a million registrations in order");
	free(regs);
	all = 1;

	/*
	 * madvise, not munmap: splitting the VMA inside a 2 MiB block it
	 * covers makes the kernel report CLEAR over that whole block.
	 */
	madvise(base + (size_t)1000 * ps, 16 * ps, MADV_DONTNEED);
	n = umn_drain(fd, ev, UMN_MAX_EVENTS);
	ok(n == 17 && is_inval(&ev[0], 1000) && is_inval(&ev[15], 1015) &&
	   umn_counter_load(counter) == 1,
	   "an invalidation among a million registrations reports exactly the 16 it overlaps");
	t2 = now_s();
	for (i = 0; i < 1000; i++)
		madvise(base + (size_t)(i * 1000 + 7) * ps, ps, MADV_DONTNEED);
	t3 = now_s();
	n = umn_drain(fd, ev, UMN_MAX_EVENTS);
	ok(umn_counter_load(counter) == 1001,
	   "a thousand invalidations each count once (counter %llu)",
	   (unsigned long long)umn_counter_load(counter));
	while (umn_read(fd, ev, UMN_MAX_EVENTS) > 0)
		;

	for (i = 0; i < NR_REGS; i += 2)
		all &= umn_unregister(fd, i) == 0;
	t4 = now_s();
	ok(all, "half of them unregister");
	madvise(base + (size_t)2000 * ps, 8 * ps, MADV_DONTNEED);
	n = umn_drain(fd, ev, UMN_MAX_EVENTS);
	for (i = 0; i + 1 < (unsigned int)n; i++)
		odd &= (ev[i].user_cookie_counter & 1) == 1;
	ok(n == 5 && odd,
	   "only the remaining registrations are reported afterwards");
	diag("register 1M: %.2f s (%.2f us each); QUERY of 1M: %.3f s; 1000 invalidations: %.1f us each; unregister 512K: %.2f s",
	     t1 - t0, (t1 - t0) * 1e6 / NR_REGS, tq, (t3 - t2) * 1e3,
	     t4 - t3);
	munmap((void *)counter, ps);
	t0 = now_s();
	close(fd);
	diag("close with 512K registrations: %.3f s", now_s() - t0);
	ok(1, "close with half a million registrations returns (soft lockups would show in the kernel log)");
	munmap(base, len);
}

int main(void)
{
	test_limit();
	test_cookie_table("consecutive", consecutive_cookie);
	test_cookie_table("high or low", high_or_low_cookie);
	test_million();
	return tap_done();
}
