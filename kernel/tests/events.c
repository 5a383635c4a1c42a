// SPDX-License-Identifier: GPL-2.0
/*
 * Which user operations invalidate a registration, with which reason
 * (FEATURE_REASON) and which hint. Every arena is anonymous, THP off and
 * populated, so the ranges are exact.
 */
#include "ummunotify_test.h"

#include <sys/wait.h>

static struct ummunotify_event ev[UMN_MAX_EVENTS];

static int reason_of(const struct ummunotify_event *e)
{
	return UMMUNOTIFY_EVENT_REASON(e->flags);
}

/* One INVAL for @cookie with @reason and hint [@hs, @he), then LAST. */
static int expect_one(int fd, __u64 cookie, int reason, const void *hs,
		      const void *he)
{
	int n = umn_read(fd, ev, UMN_MAX_EVENTS);

	if (n != 2 || !is_inval(&ev[0], cookie) ||
	    ev[1].type != UMMUNOTIFY_EVENT_TYPE_LAST) {
		diag("expected 1 INVAL + LAST, read %d events", n);
		return 0;
	}
	if (reason_of(&ev[0]) != reason ||
	    UMMUNOTIFY_EVENT_REASON_MASK(ev[0].flags) != (1U << reason)) {
		diag("flags 0x%x, expected reason %d", ev[0].flags, reason);
		return 0;
	}
	if (hs && !has_hint(&ev[0], hs, he)) {
		diag("hint [0x%llx, 0x%llx) flags 0x%x, expected [%p, %p)",
		     (unsigned long long)ev[0].hint_start,
		     (unsigned long long)ev[0].hint_end, ev[0].flags, hs, he);
		return 0;
	}
	return 1;
}

static void test_munmap(int fd)
{
	char *a = arena_new(8);

	umn_register(fd, arena_page(a, 2), 4 * page_size(), 1);
	munmap(arena_page(a, 1), 2 * page_size());
	ok(expect_one(fd, 1, UMMUNOTIFY_REASON_UNMAP, arena_page(a, 2),
		      arena_page(a, 3)), "munmap gives UNMAP with the unmapped part as hint");
	umn_unregister(fd, 1);
	munmap(a, 8 * page_size());
}

static void test_munmap_untouched(int fd)
{
	char *a = mmap(NULL, 4 * page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	umn_register(fd, a, 4 * page_size(), 2);
	munmap(a, 4 * page_size());
	ok(expect_one(fd, 2, UMMUNOTIFY_REASON_UNMAP, a,
		      a + 4 * page_size()),
	   "munmap of never-touched pages still gives UNMAP");
	umn_unregister(fd, 2);
}

static void test_map_fixed(int fd)
{
	char *a = arena_new(4);

	umn_register(fd, a, 4 * page_size(), 3);
	mmap(arena_page(a, 1), page_size(), PROT_READ,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ok(expect_one(fd, 3, UMMUNOTIFY_REASON_UNMAP, arena_page(a, 1),
		      arena_page(a, 2)),
	   "mmap(MAP_FIXED) over a registration gives UNMAP for the replaced pages");
	umn_unregister(fd, 3);
	munmap(a, 4 * page_size());
}

static void test_madvise(int fd)
{
	char *a = arena_new(4);

	umn_register(fd, a, 4 * page_size(), 4);
	madvise(arena_page(a, 1), 2 * page_size(), MADV_DONTNEED);
	ok(expect_one(fd, 4, UMMUNOTIFY_REASON_CLEAR, arena_page(a, 1),
		      arena_page(a, 3)), "madvise(MADV_DONTNEED) gives CLEAR");
	memset(a, 2, 4 * page_size());
	umn_read(fd, ev, UMN_MAX_EVENTS);
	madvise(arena_page(a, 3), page_size(), MADV_FREE);
	ok(expect_one(fd, 4, UMMUNOTIFY_REASON_CLEAR, arena_page(a, 3),
		      arena_page(a, 4)), "madvise(MADV_FREE) gives CLEAR");
	madvise(a, 4 * page_size(), MADV_COLD);
	madvise(a, 4 * page_size(), MADV_DONTFORK);
	madvise(a, 4 * page_size(), MADV_DOFORK);
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN,
	   "madvise COLD, DONTFORK and DOFORK invalidate nothing");
	umn_unregister(fd, 4);
	munmap(a, 4 * page_size());
}

static void test_mprotect(int fd)
{
	char *a = arena_new(4);

	umn_register(fd, a, 4 * page_size(), 5);
	mprotect(arena_page(a, 1), page_size(), PROT_READ);
	ok(expect_one(fd, 5, UMMUNOTIFY_REASON_PROTECTION_VMA,
		      arena_page(a, 1), arena_page(a, 2)),
	   "mprotect (downgrade) gives PROTECTION_VMA");
	mprotect(arena_page(a, 1), page_size(), PROT_READ | PROT_WRITE);
	ok(expect_one(fd, 5, UMMUNOTIFY_REASON_PROTECTION_VMA,
		      arena_page(a, 1), arena_page(a, 2)),
	   "mprotect (upgrade) also gives PROTECTION_VMA");
	umn_unregister(fd, 5);
	munmap(a, 4 * page_size());
}

static void test_mremap(int fd)
{
	char *a = arena_new(8);
	char *b;
	int n;

	umn_register(fd, a, 4 * page_size(), 6);
	mremap(a, 4 * page_size(), 2 * page_size(), 0);
	ok(expect_one(fd, 6, UMMUNOTIFY_REASON_UNMAP, arena_page(a, 2),
		      arena_page(a, 4)), "mremap shrink gives UNMAP for the tail");
	b = mremap(a, 2 * page_size(), 2 * page_size(),
		   MREMAP_MAYMOVE | MREMAP_FIXED, arena_page(a, 5));
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(b == arena_page(a, 5) && n == 2 && is_inval(&ev[0], 6) &&
	   reason_of(&ev[0]) == UMMUNOTIFY_REASON_UNMAP &&
	   ev[0].hint_start == addr_of(a) &&
	   ev[0].hint_end <= addr_of(arena_page(a, 4)),
	   "mremap move gives UNMAP for the old place");
	umn_unregister(fd, 6);
	munmap(a, 8 * page_size());
}

static void test_fork(int fd)
{
	char *a = arena_new(8);
	char *skip = arena_new(2);
	int to_child[2];
	char c = 0;
	pid_t pid;
	int n;

	madvise(skip, 2 * page_size(), MADV_DONTFORK);
	umn_register(fd, arena_page(a, 1), page_size(), 7);
	umn_register(fd, arena_page(a, 6), page_size(), 8);
	umn_register(fd, skip, page_size(), 9);
	if (pipe(to_child))
		bail("pipe");
	pid = fork();
	if (pid == 0) {
		ssize_t r = read(to_child[0], &c, 1);

		_exit(r == 1 ? 0 : 1);
	}
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 3 && is_inval(&ev[0], 7) && is_inval(&ev[1], 8) &&
	   reason_of(&ev[0]) == UMMUNOTIFY_REASON_PROTECTION_PAGE &&
	   reason_of(&ev[1]) == UMMUNOTIFY_REASON_PROTECTION_PAGE,
	   "fork write-protects the whole VMA: PROTECTION_PAGE for every registration in it");
	ok(n == 3 && ev[2].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "fork skips a MADV_DONTFORK range");
	arena_page(a, 6)[0] = 5;
	ok(expect_one(fd, 8, UMMUNOTIFY_REASON_CLEAR, arena_page(a, 6),
		      arena_page(a, 7)),
	   "a parent write while the child lives gives CLEAR for the copied page");
	if (write(to_child[1], &c, 1) != 1)
		bail("write");
	waitpid(pid, NULL, 0);
	arena_page(a, 1)[0] = 5;
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN,
	   "after the child exits a write reuses the page: no event");
	close(to_child[0]);
	close(to_child[1]);
	umn_unregister(fd, 7);
	umn_unregister(fd, 8);
	umn_unregister(fd, 9);
	munmap(a, 8 * page_size());
	munmap(skip, 2 * page_size());
}

static void test_zero_page_cow(int fd)
{
	char *a = mmap(NULL, 2 * page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char sink;

	madvise(a, 2 * page_size(), MADV_NOHUGEPAGE);
	umn_register(fd, a, 2 * page_size(), 10);
	sink = a[0];
	(void)sink;
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN,
	   "a read fault (zero page) invalidates nothing");
	a[0] = 1;
	ok(expect_one(fd, 10, UMMUNOTIFY_REASON_CLEAR, a, a + page_size()),
	   "the first write after a read fault gives CLEAR for that page");
	umn_unregister(fd, 10);
	munmap(a, 2 * page_size());
}

static void test_soft_dirty(int fd)
{
	char *a = arena_new(4);
	int clear_refs = open("/proc/self/clear_refs", O_WRONLY);

	if (clear_refs < 0) {
		ok(0, "open /proc/self/clear_refs (%s)", strerror(errno));
		return;
	}
	umn_register(fd, arena_page(a, 1), page_size(), 11);
	if (write(clear_refs, "4", 1) != 1)
		bail("write clear_refs");
	ok(expect_one(fd, 11, UMMUNOTIFY_REASON_SOFT_DIRTY, arena_page(a, 1),
		      arena_page(a, 2)),
	   "a soft-dirty reset (clear_refs 4) gives SOFT_DIRTY over every registration");
	close(clear_refs);
	umn_unregister(fd, 11);
	munmap(a, 4 * page_size());
}

/*
 * Not this driver's doing but what users see: splitting a VMA inside a
 * 2 MiB block that the VMA covers makes the kernel check for a huge page
 * there, and it notifies CLEAR over the whole block first (even with THP
 * off), then UNMAP for what is actually unmapped.
 */
static void test_vma_split_widening(int fd)
{
	const size_t block = 2UL << 20;
	char *raw = arena_new(3 * block / page_size());
	char *b = (char *)(((uintptr_t)raw + block - 1) & ~(block - 1));
	int n;

	umn_register(fd, b, page_size(), 12);
	umn_register(fd, b + 16 * page_size(), page_size(), 13);
	munmap(b + 16 * page_size(), page_size());
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 3 && is_inval(&ev[0], 12) &&
	   reason_of(&ev[0]) == UMMUNOTIFY_REASON_CLEAR &&
	   has_hint(&ev[0], b, b + page_size()),
	   "a munmap splitting a VMA inside a 2 MiB block reports CLEAR over the whole block");
	ok(n == 3 && is_inval(&ev[1], 13) &&
	   UMMUNOTIFY_EVENT_REASON_MASK(ev[1].flags) ==
		((1U << UMMUNOTIFY_REASON_CLEAR) |
		 (1U << UMMUNOTIFY_REASON_UNMAP)),
	   "then UNMAP for the unmapped page");
	umn_unregister(fd, 12);
	umn_unregister(fd, 13);
	munmap(raw, 3 * block);
}

int main(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_REASON);

	test_munmap(fd);
	test_munmap_untouched(fd);
	test_map_fixed(fd);
	test_madvise(fd);
	test_mprotect(fd);
	test_mremap(fd);
	test_fork(fd);
	test_zero_page_cow(fd);
	test_soft_dirty(fd);
	test_vma_split_widening(fd);
	close(fd);
	return tap_done();
}
