// SPDX-License-Identifier: GPL-2.0
/*
 * The negotiated extensions: REASON, FILTER, HINT_UNION and QUERY.
 */
#include "ummunotify_test.h"

static struct ummunotify_event ev[UMN_MAX_EVENTS];

static void test_reason(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_REASON);
	char *a = arena_new(4);
	int n;

	umn_register(fd, a, 4 * page_size(), 1);
	mprotect(a, page_size(), PROT_READ);
	madvise(arena_page(a, 2), page_size(), MADV_DONTNEED);
	munmap(arena_page(a, 3), page_size());
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 1) &&
	   UMMUNOTIFY_EVENT_REASON(ev[0].flags) ==
		UMMUNOTIFY_REASON_PROTECTION_VMA,
	   "REASON: bits 8-15 give the reason of the first hit");
	ok(n == 2 && UMMUNOTIFY_EVENT_REASON_MASK(ev[0].flags) ==
		((1U << UMMUNOTIFY_REASON_PROTECTION_VMA) |
		 (1U << UMMUNOTIFY_REASON_CLEAR) |
		 (1U << UMMUNOTIFY_REASON_UNMAP)),
	   "REASON: bits 16-31 give every reason since the last read");
	ok(n == 2 && (ev[0].flags & 0xff) == 0,
	   "REASON without HINT_UNION: several hits still clear HINT");
	munmap(a, 4 * page_size());
	close(fd);
}

static void test_filter(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_FILTER);
	const volatile __u64 *counter = umn_map_counter(fd);
	__u32 ignore_prot = (1U << UMMUNOTIFY_REASON_PROTECTION_VMA) |
			    (1U << UMMUNOTIFY_REASON_PROTECTION_PAGE);
	char *a = arena_new(4);
	__u64 before;
	int n;

	ok(umn_register_flags(fd, addr_of(a), addr_of(a) + page_size(), 1,
			      0x100) == -EINVAL,
	   "FILTER: an unknown reason bit in REGISTER flags fails with EINVAL");
	ok(umn_register_flags(fd, addr_of(a), addr_of(a) + 4 * page_size(), 1,
			      ignore_prot) == 0,
	   "FILTER: REGISTER flags are a mask of ignored reasons");
	umn_register(fd, arena_page(a, 3), page_size(), 2);
	before = umn_counter_load(counter);
	mprotect(a, page_size(), PROT_READ);
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN &&
	   umn_counter_load(counter) == before,
	   "FILTER: an ignored invalidation neither queues nor counts");
	mprotect(a, 4 * page_size(), PROT_READ);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 2) &&
	   umn_counter_load(counter) == before + 1,
	   "FILTER: the same invalidation still reaches a registration that does not ignore it");
	madvise(a, page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 1) &&
	   ev[0].flags == UMMUNOTIFY_EVENT_FLAG_HINT,
	   "FILTER: reasons not in the mask are reported (without REASON bits unless negotiated)");
	munmap(a, 4 * page_size());
	close(fd);
}

static void test_hint_union(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_HINT_UNION);
	char *a = arena_new(16);
	int n;

	umn_register(fd, a, 16 * page_size(), 1);
	madvise(arena_page(a, 3), page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && ev[0].flags == UMMUNOTIFY_EVENT_FLAG_HINT &&
	   has_hint(&ev[0], arena_page(a, 3), arena_page(a, 4)),
	   "HINT_UNION: a single hit is reported as in 2010");
	madvise(arena_page(a, 9), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 5), 2 * page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && ev[0].flags == (UMMUNOTIFY_EVENT_FLAG_HINT |
				     UMMUNOTIFY_EVENT_FLAG_HINT_UNION) &&
	   has_hint(&ev[0], arena_page(a, 5), arena_page(a, 10)),
	   "HINT_UNION: several hits report the union of the hit ranges, flagged HINT|HINT_UNION");
	umn_unregister(fd, 1);
	umn_register(fd, arena_page(a, 1), 14 * page_size(), 2);
	madvise(arena_page(a, 13), 3 * page_size(), MADV_DONTNEED);
	madvise(a, 2 * page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && has_hint(&ev[0], arena_page(a, 1), arena_page(a, 15)),
	   "HINT_UNION: the union is clipped to the registration");
	munmap(a, 16 * page_size());
	close(fd);
}

static int query(int fd, struct ummunotify_query *q,
		 struct ummunotify_query_reg *regs, __u32 regs_cap,
		 __u64 *queue, __u32 queue_cap)
{
	memset(q, 0, sizeof(*q));
	q->regs_ptr = addr_of(regs);
	q->regs_cap = regs_cap;
	q->queue_ptr = addr_of(queue);
	q->queue_cap = queue_cap;
	return ioctl(fd, UMMUNOTIFY_QUERY, q) ? -errno : 0;
}

static void test_query(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_QUERY | UMMUNOTIFY_FEATURE_REASON);
	struct ummunotify_query_reg regs[8];
	struct ummunotify_query q;
	__u64 queue[8];
	char *a = arena_new(8);
	int plain;

	plain = umn_open(0);
	ok(query(plain, &q, regs, 8, queue, 8) == -EINVAL,
	   "QUERY without FEATURE_QUERY fails with EINVAL");
	close(plain);

	umn_register(fd, arena_page(a, 4), page_size(), 40);
	umn_register(fd, arena_page(a, 0), 2 * page_size(), 30);
	umn_register(fd, arena_page(a, 0), page_size(), 31);
	umn_register(fd, arena_page(a, 0), page_size(), 20);
	madvise(arena_page(a, 4), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 1), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 1), page_size(), MADV_DONTNEED);

	ok(query(fd, &q, regs, 8, queue, 8) == 0 && q.nr_regs == 4 &&
	   q.nr_queued == 2 && q.counter == 3,
	   "QUERY returns the totals and the counter");
	ok(regs[0].user_cookie == 20 && regs[1].user_cookie == 31 &&
	   regs[2].user_cookie == 30 && regs[3].user_cookie == 40,
	   "QUERY lists registrations by start, then end, then cookie");
	ok(queue[0] == 40 && queue[1] == 30,
	   "QUERY lists the invalid queue in read order");
	ok(regs[3].state == (UMMUNOTIFY_QUERY_REG_QUEUED |
			     UMMUNOTIFY_QUERY_REG_HINT) &&
	   regs[3].hint_start == addr_of(arena_page(a, 4)) &&
	   regs[3].hint_end == addr_of(arena_page(a, 5)) &&
	   UMMUNOTIFY_EVENT_REASON(regs[3].reason_flags) ==
		UMMUNOTIFY_REASON_CLEAR,
	   "QUERY shows a queued registration's hint and reason");
	ok(regs[2].state == UMMUNOTIFY_QUERY_REG_QUEUED &&
	   regs[2].hint_start == addr_of(a) &&
	   regs[2].hint_end == addr_of(arena_page(a, 2)) &&
	   regs[0].state == 0 && regs[0].hint_start == 0,
	   "QUERY shows the whole range for a twice-hit registration, zero when not queued");
	ok(query(fd, &q, regs, 1, queue, 0) == 0 && q.nr_regs == 4 &&
	   q.nr_queued == 2 && regs[0].user_cookie == 20,
	   "QUERY with small capacities fills what fits and still returns the totals");
	ok(umn_read(fd, ev, 1) == 1 && query(fd, &q, regs, 8, queue, 8) == 0 &&
	   q.nr_queued == 1 && (q.flags & UMMUNOTIFY_QUERY_NEED_EMPTY),
	   "QUERY after a partial read shows the rest of the queue and need-empty");
	ok(umn_read(fd, ev, 8) == 2 && query(fd, &q, regs, 8, queue, 8) == 0 &&
	   q.nr_queued == 0 && q.flags == 0,
	   "QUERY consumes nothing: the reads saw every report");
	q.reserved = 1;
	ok(ioctl(fd, UMMUNOTIFY_QUERY, &q) < 0 && errno == EINVAL,
	   "QUERY with non-zero reserved fails with EINVAL");
	ok(query(fd, &q, (void *)8, 8, queue, 8) == -EFAULT,
	   "QUERY with a bad array pointer fails with EFAULT");
	munmap(a, 8 * page_size());
	close(fd);
}

int main(void)
{
	test_reason();
	test_filter();
	test_hint_union();
	test_query();
	return tap_done();
}
