// SPDX-License-Identifier: GPL-2.0
/*
 * Invalidations near registrations, where the kernel's miss check (a bit
 * per page in each 2 MiB block for small registrations, a tree of the
 * large ones) decides before the interval tree: registrations straddling
 * a block boundary, invalidations over many blocks, large and small
 * registrations together, UNREGISTER followed by a miss, and ranges at
 * the top of the address space. Each case asserts exactly the events and
 * the counter userspace sees, which do not depend on the miss check.
 * Last, random steps checked against a list of what is registered.
 */
#include "ummunotify_test.h"

#define BLOCK (2UL << 20)

static struct ummunotify_event ev[UMN_MAX_EVENTS];
static long ps;

struct file_state {
	int fd;
	const volatile __u64 *counter;
	__u64 seen;
};

static struct file_state file_open(__u32 features)
{
	struct file_state f;

	f.fd = umn_open(features);
	f.counter = umn_map_counter(f.fd);
	f.seen = umn_counter_load(f.counter);
	return f;
}

static void file_close(struct file_state *f)
{
	munmap((void *)f->counter, ps);
	close(f->fd);
}

struct blocks {
	char *map;
	size_t len;
	char *a;
};

/*
 * @n 2 MiB blocks of anonymous memory at .a, THP off, starting at a block
 * boundary, with a populated block of margin on either side: every
 * invalidation below stays inside one VMA.
 */
static struct blocks blocks_new(size_t n)
{
	struct blocks b = { .len = (n + 3) * BLOCK };

	b.map = mmap(NULL, b.len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (b.map == MAP_FAILED)
		bail("mmap blocks");
	if (madvise(b.map, b.len, MADV_NOHUGEPAGE))
		bail("madvise(MADV_NOHUGEPAGE)");
	b.a = (char *)(((uintptr_t)b.map + 2 * BLOCK - 1) & ~(BLOCK - 1));
	memset(b.a - BLOCK, 1, (n + 2) * BLOCK);
	return b;
}

static void blocks_free(struct blocks *b)
{
	munmap(b->map, b->len);
}

/* madvise(MADV_DONTNEED): one CLEAR over exactly [p, p + len). */
static void inval(char *p, size_t len)
{
	memset(p, 1, len);
	if (madvise(p, len, MADV_DONTNEED))
		bail("madvise(MADV_DONTNEED)");
}

/*
 * Exactly @n INVAL events for @cookies in that order then LAST, and the
 * counter up by one; or, with @n 0, nothing readable and the counter
 * unchanged.
 */
static int expect(struct file_state *f, const __u64 *cookies, int n)
{
	int got = umn_drain(f->fd, ev, UMN_MAX_EVENTS), i, good;
	__u64 now = umn_counter_load(f->counter);

	if (n == 0) {
		good = got == 0 && now == f->seen;
	} else {
		good = got == n + 1 &&
		       ev[n].type == UMMUNOTIFY_EVENT_TYPE_LAST &&
		       now == f->seen + 1;
		for (i = 0; good && i < n; i++)
			good = is_inval(&ev[i], cookies[i]);
	}
	if (!good) {
		diag("expected %d INVAL, counter +%d; read %d events, counter +%llu",
		     n, n ? 1 : 0, got, (unsigned long long)(now - f->seen));
		for (i = 0; i < got; i++)
			diag("  type %u cookie/counter %llu", ev[i].type,
			     (unsigned long long)ev[i].user_cookie_counter);
	}
	f->seen = now;
	return good;
}

static int expect_none(struct file_state *f)
{
	return expect(f, NULL, 0);
}

static int expect1(struct file_state *f, __u64 cookie, const void *hs,
		   const void *he)
{
	return expect(f, &cookie, 1) && has_hint(&ev[0], hs, he);
}

static int reg(struct file_state *f, const char *start, size_t len,
	       __u64 cookie)
{
	return umn_register(f->fd, start, len, cookie);
}

static void test_straddle(void)
{
	struct file_state f = file_open(UMN_NO_NEGOTIATE);
	struct blocks arena = blocks_new(2);
	char *a = arena.a, *b = a + BLOCK;
	const char *p;
	int all = 1;

	ok(reg(&f, b - ps, 2 * ps, 1) == 0,
	   "a two-page registration straddles a 2 MiB boundary");
	inval(b - 2 * ps, ps);
	ok(expect_none(&f), "the page before it misses");
	inval(b - ps, ps);
	ok(expect1(&f, 1, b - ps, b), "its page below the boundary hits");
	inval(b, ps);
	ok(expect1(&f, 1, b, b + ps), "its page above the boundary hits");
	inval(b + ps, ps);
	ok(expect_none(&f), "the page after it misses");
	inval(b - 2 * ps, 4 * ps);
	ok(expect1(&f, 1, b - ps, b + ps),
	   "a range over both sides hits once with the whole hint");
	inval(a, BLOCK - ps);
	inval(b + ps, BLOCK - ps);
	ok(expect_none(&f), "the rest of both blocks misses");

	/* Unaligned bytes: a registration touches every page it overlaps. */
	p = a + 7 * ps;
	ok(reg(&f, p + 100, 100, 2) == 0 &&
	   reg(&f, a + 10 * ps - 1, 2, 3) == 0,
	   "registrations of a few bytes, one across a page boundary");
	inval((char *)p, ps);
	ok(expect1(&f, 2, p + 100, p + 200), "100 bytes in a page: the page hits");
	inval((char *)p - ps, ps);
	inval((char *)p + ps, ps);
	ok(expect_none(&f), "the pages around it miss");
	inval(a + 9 * ps, ps);
	all &= expect1(&f, 3, a + 10 * ps - 1, a + 10 * ps);
	inval(a + 10 * ps, ps);
	all &= expect1(&f, 3, a + 10 * ps, a + 10 * ps + 1);
	inval(a + 11 * ps, ps);
	all &= expect_none(&f);
	ok(all, "two bytes across a page boundary: both pages hit, the next misses");
	file_close(&f);
	blocks_free(&arena);
}

static void test_wide(void)
{
	struct file_state f = file_open(UMN_NO_NEGOTIATE);
	struct blocks arena = blocks_new(12);
	char *a = arena.a;
	char *r1 = a + BLOCK + 5 * ps, *r2 = a + 6 * BLOCK - ps;
	char *r3 = a + 10 * BLOCK + 300 * ps;
	const __u64 all3[] = { 1, 2, 3 }, two[] = { 2 };

	ok(reg(&f, r1, ps, 1) == 0 && reg(&f, r2, 2 * ps, 2) == 0 &&
	   reg(&f, r3, ps, 3) == 0,
	   "registrations in blocks 1, 5-6 and 10 of 12");
	inval(a, 12 * BLOCK);
	ok(expect(&f, all3, 3), "an invalidation over 12 blocks reports all three in order");
	inval(a + 2 * BLOCK, 3 * BLOCK);
	ok(expect_none(&f), "3 empty blocks between them miss");
	inval(a + 3 * BLOCK, 3 * BLOCK);
	ok(expect(&f, two, 1), "3 blocks of which the last holds one report it");
	inval(a + 4 * BLOCK, 2 * BLOCK);
	ok(expect(&f, two, 1), "so do 2 blocks ending on its first page");
	inval(r1 + ps, r2 - r1 - ps);
	ok(expect_none(&f), "5 blocks between the first two, bounds excluded, miss");
	inval(r1 + ps, r3 - r1 - ps);
	ok(expect(&f, two, 1), "9 blocks between the first and the last report the middle one");
	inval(r2 + 2 * ps, (12 * BLOCK) - (r2 + 2 * ps - a));
	ok(expect(&f, all3 + 2, 1), "from after the middle one to the end reports the last");
	inval(a - BLOCK, 2 * BLOCK + 5 * ps);
	ok(expect_none(&f), "from the margin below up to the first one, nothing");
	file_close(&f);
	blocks_free(&arena);
}

static void test_large_and_small(void)
{
	struct file_state f = file_open(UMN_NO_NEGOTIATE);
	struct blocks arena = blocks_new(10);
	char *a = arena.a;
	char *l = a + BLOCK + 3 * ps, *l_end = a + 5 * BLOCK;
	char *s1 = a + 2 * BLOCK + 7 * ps, *s2 = a + 6 * BLOCK + 2 * ps;
	char *two = a + 8 * BLOCK;
	const __u64 at_start[] = { 9, 10, 13 }, in_l[] = { 10, 11 };
	const __u64 everything[] = { 9, 10, 13, 11, 12, 14 };

	/* Registration order at one start: 9 before the large one, 13 after. */
	ok(reg(&f, l, ps, 9) == 0 && reg(&f, l, l_end - l, 10) == 0 &&
	   reg(&f, s1, ps, 11) == 0 && reg(&f, s2, ps, 12) == 0 &&
	   reg(&f, l, ps, 13) == 0 && reg(&f, two, 2 * BLOCK, 14) == 0,
	   "a registration over 4 blocks, one over 2, small ones inside and outside");
	inval(l, ps);
	ok(expect(&f, at_start, 3),
	   "equal starts report in registration order, large or small");
	inval(s1, ps);
	ok(expect(&f, in_l, 2), "a small one inside the large one: both, large first");
	inval(a + 3 * BLOCK + 100 * ps, ps);
	ok(expect1(&f, 10, a + 3 * BLOCK + 100 * ps, a + 3 * BLOCK + 101 * ps),
	   "a page of the large one alone reports it alone");
	inval(l_end - ps, ps);
	ok(expect1(&f, 10, l_end - ps, l_end), "its last page reports it");
	inval(l_end, ps);
	inval(l - ps, ps);
	ok(expect_none(&f), "the pages just outside it miss");
	inval(s2 - ps, ps);
	inval(s2 + ps, ps);
	inval(a + 7 * BLOCK, BLOCK);
	ok(expect_none(&f), "around the small one outside it, nothing");
	inval(two, ps);
	ok(expect1(&f, 14, two, two + ps), "the first page of a 4 MiB one over 2 blocks hits");
	inval(two + 2 * BLOCK - ps, ps);
	ok(expect1(&f, 14, two + 2 * BLOCK - ps, two + 2 * BLOCK),
	   "so does its last page");
	inval(two + 2 * BLOCK, ps);
	inval(two - ps, ps);
	ok(expect_none(&f), "the pages around the 2-block one miss");
	inval(a, 10 * BLOCK);
	ok(expect(&f, everything, 6), "the whole arena: everything in start order");

	ok(umn_unregister(f.fd, 10) == 0, "the large one unregisters");
	inval(a + 3 * BLOCK + 100 * ps, ps);
	inval(l_end - ps, ps);
	ok(expect_none(&f), "its pages now miss");
	inval(s1, ps);
	ok(expect1(&f, 11, s1, s1 + ps), "the small one inside it still hits");
	file_close(&f);
	blocks_free(&arena);
}

static void test_unregister(void)
{
	struct file_state f = file_open(UMN_NO_NEGOTIATE);
	struct blocks arena = blocks_new(4);
	char *a = arena.a;
	char *x = a + 10 * ps, *y = a + BLOCK + 20 * ps, *z = a + 2 * BLOCK;
	char *w = a + 3 * BLOCK;
	__u64 even[32], bytes[100];
	int i, all = 1;

	ok(reg(&f, x, ps, 1) == 0 && umn_unregister(f.fd, 1) == 0,
	   "the only registration of a block comes and goes");
	inval(x, ps);
	ok(expect_none(&f), "its page then misses");
	ok(reg(&f, x, ps, 2) == 0, "the block takes a registration again");
	inval(x, ps);
	ok(expect1(&f, 2, x, x + ps), "which hits");

	ok(reg(&f, x, ps, 3) == 0 && umn_unregister(f.fd, 2) == 0,
	   "of two identical registrations one unregisters");
	inval(x, ps);
	ok(expect1(&f, 3, x, x + ps), "the other still hits");

	ok(reg(&f, y, 2 * ps, 4) == 0 && reg(&f, y + ps, 2 * ps, 5) == 0 &&
	   umn_unregister(f.fd, 4) == 0,
	   "of two overlapping registrations the first unregisters");
	inval(y, ps);
	ok(expect_none(&f), "the page only it covered misses");
	inval(y + ps, ps);
	ok(expect1(&f, 5, y + ps, y + 2 * ps), "the shared page hits the other");

	for (i = 0; i < 64; i++)
		all &= reg(&f, z + i * ps, ps, 100 + i) == 0;
	for (i = 1; i < 64; i += 2)
		all &= umn_unregister(f.fd, 100 + i) == 0;
	ok(all, "64 one-page registrations in a block, the odd ones unregistered");
	for (i = 0; i < 32; i++)
		even[i] = 100 + 2 * i;
	inval(z, 64 * ps);
	ok(expect(&f, even, 32), "the block reports the 32 even ones in order");
	all = 1;
	for (i = 1; i < 64; i += 2) {
		inval(z + i * ps, ps);
		all &= expect_none(&f);
	}
	ok(all, "each odd page misses");

	/*
	 * More neighbours than the kernel looks at on UNREGISTER: the
	 * second page of the unregistered range may keep its bit, but
	 * still misses.
	 */
	all = reg(&f, w, 2 * ps, 200) == 0;
	for (i = 0; i < 100; i++)
		all &= reg(&f, w + i, 1, 300 + i) == 0;
	all &= umn_unregister(f.fd, 200) == 0;
	ok(all, "two pages under 100 one-byte registrations, unregistered");
	inval(w + ps, ps);
	ok(expect_none(&f), "its second page misses");
	for (i = 0; i < 100; i++)
		bytes[i] = 300 + i;
	inval(w, ps);
	ok(expect(&f, bytes, 100), "its first page reports the 100 in order");
	file_close(&f);
	blocks_free(&arena);
}

static void test_filtered(void)
{
	struct file_state f = file_open(UMMUNOTIFY_FEATURE_FILTER);
	struct blocks arena = blocks_new(1);
	char *a = arena.a;

	ok(umn_register_flags(f.fd, addr_of(a + ps), addr_of(a + 2 * ps), 1,
			      1U << UMMUNOTIFY_REASON_CLEAR) == 0,
	   "a registration ignoring CLEAR");
	inval(a + ps, ps);
	inval(a, ps);
	ok(expect_none(&f), "CLEAR on it and next to it: nothing, counter unchanged");
	munmap(a + ps, ps);
	ok(expect1(&f, 1, a + ps, a + 2 * ps), "UNMAP on it still hits");
	file_close(&f);
	blocks_free(&arena);
}

/* The user address limit: REGISTER accepts [limit - page, limit), not past. */
static __u64 task_size(int fd)
{
	static const __u64 candidates[] = { 1ULL << 56, 1ULL << 47 };
	unsigned int i;
	__u64 top;

	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		top = candidates[i] - ps;
		if (umn_register_flags(fd, top - ps, top, 1, 0))
			continue;
		umn_unregister(fd, 1);
		if (umn_register_flags(fd, top, top + ps, 1, 0) == -EINVAL)
			return top;
		umn_unregister(fd, 1);
	}
	return 0;
}

static void test_top(void)
{
	struct file_state f = file_open(UMN_NO_NEGOTIATE);
	__u64 limit = task_size(f.fd);
	size_t len = 3 * BLOCK;
	const __u64 low_first[] = { 2, 1 }, large_first[] = { 3, 2, 1 };
	char *top, *base;

	if (!limit) {
		ok(1, "# SKIP the user address limit is neither 2^47 nor 2^56 less a page");
		file_close(&f);
		return;
	}
	top = (char *)(uintptr_t)limit;
	base = mmap(top - len, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (base != top - len) {
		ok(1, "# SKIP cannot map the top of the address space (%s)",
		   strerror(errno));
		file_close(&f);
		return;
	}
	madvise(base, len, MADV_NOHUGEPAGE);
	memset(base, 1, len);
	diag("user address limit 0x%llx", (unsigned long long)limit);

	ok(reg(&f, top - ps, ps, 1) == 0 && reg(&f, top - 3 * ps, ps, 2) == 0,
	   "registrations of the last page and of the third last");
	inval(top - 2 * ps, ps);
	ok(expect_none(&f), "the second last page misses");
	inval(top - ps, ps);
	ok(expect1(&f, 1, top - ps, top), "the last page hits");
	inval(top - 4 * ps, 4 * ps);
	ok(expect(&f, low_first, 2), "the last four pages report both in order");
	ok(reg(&f, top - 5 * (BLOCK / 2), 5 * (BLOCK / 2), 3) == 0,
	   "a 5 MiB registration up to the limit");
	inval(top - 2 * ps, ps);
	ok(expect1(&f, 3, top - 2 * ps, top - ps), "the second last page hits it");
	inval(base, len);
	ok(expect(&f, large_first, 3), "the top 6 MiB report all three in start order");
	ok(umn_unregister(f.fd, 3) == 0 && umn_unregister(f.fd, 1) == 0,
	   "the large one and the last page unregister");
	inval(top - ps, ps);
	inval(top - 2 * ps, ps);
	inval(base, BLOCK);
	ok(expect_none(&f), "the top pages and the lowest block miss");
	inval(top - 3 * ps, ps);
	ok(expect1(&f, 2, top - 3 * ps, top - 2 * ps), "the third last still hits");
	munmap(base, len);
	file_close(&f);
}

/*
 * Registrations added mostly at the top of those there (the kernel's
 * shortcut for an insert at the right end of its tree) and elsewhere,
 * small and large, removed at random and from the top, with an
 * invalidation after every change: each must report exactly the
 * registrations it overlaps, as a list kept here says.
 */
#define MODEL_PAGES	(8 * 512)
#define MODEL_REGS	256
#define MODEL_STEPS	3000

struct model_reg {
	size_t first, pages;
	__u64 cookie;
};

static unsigned int model_rnd(unsigned int *seed)
{
	*seed = *seed * 1103515245 + 12345;
	return (*seed >> 8) & 0xffffff;
}

static void test_model(void)
{
	struct file_state f = file_open(UMN_NO_NEGOTIATE);
	struct blocks arena = blocks_new(8);
	static struct model_reg regs[MODEL_REGS];
	unsigned int seed = 13, nr = 0, step, i, top, op;
	size_t first, pages, want, got, bad = 0, top_first = 0;
	__u64 cookie = 1;
	char hit[MODEL_REGS];
	int n, j;

	for (step = 0; step < MODEL_STEPS && !bad; step++) {
		op = model_rnd(&seed) % 8;
		if (nr && (op < 2 || nr == MODEL_REGS)) {
			/* Unregister: the top one or any. */
			top = 0;
			for (i = 1; i < nr; i++)
				if (regs[i].first >= regs[top].first)
					top = i;
			i = op == 0 ? top : model_rnd(&seed) % nr;
			if (umn_unregister(f.fd, regs[i].cookie)) {
				diag("step %u: UNREGISTER failed", step);
				bad++;
			}
			regs[i] = regs[--nr];
		} else {
			pages = model_rnd(&seed) % 16 ? 1 + model_rnd(&seed) % 4 :
				1 + model_rnd(&seed) % 1200;
			first = op < 6 ? top_first + model_rnd(&seed) % 3 :
				model_rnd(&seed) % MODEL_PAGES;
			if (first + pages > MODEL_PAGES)
				first = model_rnd(&seed) % (MODEL_PAGES - pages);
			if (op < 6 && first >= top_first)
				top_first = first;
			regs[nr] = (struct model_reg) { first, pages, cookie++ };
			if (reg(&f, arena.a + first * ps, pages * ps,
				regs[nr].cookie)) {
				diag("step %u: REGISTER failed", step);
				bad++;
			}
			nr++;
		}
		if (!nr)
			top_first = 0;

		first = model_rnd(&seed) % MODEL_PAGES;
		pages = model_rnd(&seed) % 8 ? 1 + model_rnd(&seed) % 8 :
			1 + model_rnd(&seed) % 2000;
		if (first + pages > MODEL_PAGES)
			pages = MODEL_PAGES - first;
		inval(arena.a + first * ps, pages * ps);
		want = 0;
		for (i = 0; i < nr; i++) {
			hit[i] = regs[i].first < first + pages &&
				 first < regs[i].first + regs[i].pages;
			want += hit[i];
		}
		n = umn_drain(f.fd, ev, UMN_MAX_EVENTS);
		got = 0;
		for (j = 0; j < n; j++) {
			if (ev[j].type != UMMUNOTIFY_EVENT_TYPE_INVAL)
				continue;
			for (i = 0; i < nr; i++)
				if (regs[i].cookie == ev[j].user_cookie_counter)
					break;
			if (i == nr || hit[i] != 1) {
				diag("step %u: cookie %llu reported, not hit",
				     step,
				     (unsigned long long)ev[j].user_cookie_counter);
				bad++;
			} else {
				hit[i] = 2;
				got++;
			}
		}
		if (got != want || n != (want ? (int)want + 1 : 0)) {
			diag("step %u: %zu of %zu hits reported, %d events",
			     step, got, want, n);
			bad++;
		}
	}
	ok(!bad, "%u steps of REGISTER, UNREGISTER and invalidation agree with a model",
	   step);
	file_close(&f);
	blocks_free(&arena);
}

int main(void)
{
	ps = page_size();
	test_straddle();
	test_wide();
	test_large_and_small();
	test_unregister();
	test_filtered();
	test_top();
	test_model();
	return tap_done();
}
