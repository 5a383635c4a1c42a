// SPDX-License-Identifier: GPL-2.0
/*
 * The 2010 ABI and semantics: layouts and numbers, registration rules and
 * errnos, INVAL/LAST reporting, hints, the counter, read() rules, the 2010
 * EXCHANGE_FEATURES and NEGOTIATE_FEATURES. Also built with -m32 to cover
 * compat_ioctl.
 */
#include "ummunotify_test.h"

#include <poll.h>
#include <stddef.h>

static struct ummunotify_event ev[UMN_MAX_EVENTS];

static void test_abi(void)
{
	ok(sizeof(struct ummunotify_register_ioctl) == 32 &&
	   sizeof(struct ummunotify_event) == 32,
	   "register argument and event are 32 bytes, as in 2010");
	ok(offsetof(struct ummunotify_event, user_cookie_counter) == 24 &&
	   offsetof(struct ummunotify_register_ioctl, flags) == 24,
	   "field offsets are the 2010 ones");
	ok(UMMUNOTIFY_EXCHANGE_FEATURES == 0xC0045501 &&
	   UMMUNOTIFY_REGISTER_REGION == 0x40205502 &&
	   UMMUNOTIFY_UNREGISTER_REGION == 0x40085503,
	   "ioctl numbers are the 2010 ones");
	ok(sizeof(struct ummunotify_features) == 32 &&
	   UMMUNOTIFY_NEGOTIATE_FEATURES == 0xC0205507,
	   "NEGOTIATE_FEATURES is _IOWR('U', 7) of a 32-byte struct");
}

static void test_open(void)
{
	int fd = open(UMN_DEVICE, O_RDWR);

	ok(fd < 0 && errno == EINVAL, "open for writing fails with EINVAL");
	if (fd >= 0)
		close(fd);
	fd = open(UMN_DEVICE, O_RDONLY);
	ok(fd >= 0, "open read-only succeeds");
	ok(lseek(fd, 0, SEEK_SET) < 0 && errno == ESPIPE,
	   "the file is a stream: lseek fails with ESPIPE");
	ok(ioctl(fd, _IO('U', 99)) < 0 && errno == ENOTTY,
	   "an unknown ioctl fails with ENOTTY");
	close(fd);
}

/* Opens a file on which @use has been done first. */
static int open_after(const char *use)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	__u32 mask = 0;

	if (!strcmp(use, "REGISTER"))
		umn_register(fd, (void *)0x100000, 4096, 1);
	else if (!strcmp(use, "UNREGISTER"))
		umn_unregister(fd, 1);
	else if (!strcmp(use, "read"))
		umn_read(fd, ev, 1);
	else if (!strcmp(use, "mmap"))
		umn_map_counter(fd);
	else if (!strcmp(use, "EXCHANGE_FEATURES"))
		ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask);
	else if (!strcmp(use, "NEGOTIATE_FEATURES"))
		umn_negotiate(fd, 0, NULL);
	return fd;
}

static void test_exchange_features(void)
{
	static const char *const uses[] = { "REGISTER", "read",
		"EXCHANGE_FEATURES", "NEGOTIATE_FEATURES" };
	static const char *const not_uses[] = { "UNREGISTER", "mmap" };
	__u32 mask = ~0U;
	unsigned int i;
	int fd = umn_open(UMN_NO_NEGOTIATE);

	ok(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) == 0 && mask == 0,
	   "EXCHANGE_FEATURES with every bit set succeeds and writes back 0, as in 2010");
	ok(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) < 0 &&
	   errno == EINVAL, "a second EXCHANGE_FEATURES fails with EINVAL");
	close(fd);

	fd = umn_open(UMN_NO_NEGOTIATE);
	ok(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, (void *)8) < 0 &&
	   errno == EFAULT, "EXCHANGE_FEATURES with a bad pointer is EFAULT");
	ok(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) < 0 &&
	   errno == EINVAL,
	   "after an EFAULT, EXCHANGE_FEATURES fails with EINVAL, as in 2010");
	close(fd);

	for (i = 0; i < sizeof(uses) / sizeof(uses[0]); i++) {
		fd = open_after(uses[i]);
		ok(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) < 0 &&
		   errno == EINVAL,
		   "EXCHANGE_FEATURES after %s fails with EINVAL", uses[i]);
		close(fd);
	}
	for (i = 0; i < sizeof(not_uses) / sizeof(not_uses[0]); i++) {
		fd = open_after(not_uses[i]);
		mask = ~0U;
		ok(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) == 0 &&
		   mask == 0,
		   "EXCHANGE_FEATURES after %s still succeeds, as in 2010",
		   not_uses[i]);
		close(fd);
	}
}

/* Every bit passed to EXCHANGE_FEATURES, then garbage flags: all 2010. */
static void test_exchange_enables_nothing(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	struct ummunotify_query q = { 0 };
	struct ummunotify_register_ioctl r;
	__u32 mask = ~0U;
	char *a = arena_new(2);
	int n;

	ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask);
	r = (struct ummunotify_register_ioctl){
		.start = addr_of(a), .end = addr_of(a) + page_size(),
		.user_cookie = 1, .reserved = 0x1eb1f000,
		.flags = 1U << UMMUNOTIFY_REASON_UNMAP,
	};
	ok(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) == 0,
	   "after EXCHANGE_FEATURES(~0), REGISTER with garbage flags and reserved succeeds");
	munmap(a, 2 * page_size());
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 1) &&
	   ev[0].flags == UMMUNOTIFY_EVENT_FLAG_HINT,
	   "munmap is still reported (no FILTER), with HINT alone in flags (no REASON)");
	ok(ioctl(fd, UMMUNOTIFY_QUERY, &q) < 0 && errno == EINVAL,
	   "QUERY fails with EINVAL: EXCHANGE_FEATURES turned nothing on");
	close(fd);
}

static void test_negotiate_features(void)
{
	static const char *const uses[] = { "REGISTER", "UNREGISTER", "read",
		"mmap", "EXCHANGE_FEATURES", "NEGOTIATE_FEATURES" };
	struct ummunotify_features f = { .requested = ~0ULL };
	__u64 granted = 1;
	unsigned int i;
	int fd = umn_open(UMN_NO_NEGOTIATE);

	ok(ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) == 0 &&
	   f.granted == UMMUNOTIFY_FEATURES_ALL &&
	   f.supported == UMMUNOTIFY_FEATURES_ALL && f.reserved == 0,
	   "NEGOTIATE_FEATURES grants the requested features this kernel supports, and says which it supports");
	ok(f.supported & UMMUNOTIFY_FEATURE_MONITOR,
	   "FEATURE_MONITOR is reported as supported (monitors exist)");
	f.requested = 0;
	ok(ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) < 0 && errno == EINVAL,
	   "a second NEGOTIATE_FEATURES fails with EINVAL");
	close(fd);

	fd = umn_open(UMN_NO_NEGOTIATE);
	f = (struct ummunotify_features){ .requested = 1, .reserved = 1 };
	ok(ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) < 0 && errno == EINVAL,
	   "NEGOTIATE_FEATURES with non-zero reserved fails with EINVAL");
	ok(ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, (void *)8) < 0 &&
	   errno == EFAULT, "NEGOTIATE_FEATURES with a bad pointer is EFAULT");
	ok(umn_negotiate(fd, UMMUNOTIFY_FEATURE_REASON, &granted) == 0 &&
	   granted == UMMUNOTIFY_FEATURE_REASON,
	   "a NEGOTIATE_FEATURES that failed changed nothing: it can be made again");
	close(fd);

	for (i = 0; i < sizeof(uses) / sizeof(uses[0]); i++) {
		fd = open_after(uses[i]);
		ok(umn_negotiate(fd, UMMUNOTIFY_FEATURE_REASON, NULL) == -EINVAL,
		   "NEGOTIATE_FEATURES after %s fails with EINVAL", uses[i]);
		close(fd);
	}
}

/* The 2010 rule and the strict one, side by side. */
static void test_register_flags_reserved(void)
{
	struct ummunotify_register_ioctl r = {
		.start = 0x100000, .end = 0x101000, .user_cookie = 9,
		.flags = 0x1, .reserved = 0x1eb1f000,
	};
	int fd = umn_open(UMN_NO_NEGOTIATE);

	ok(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) == 0,
	   "without NEGOTIATE_FEATURES, REGISTER ignores flags and reserved, as in 2010");
	close(fd);

	fd = umn_open(0);
	r.reserved = 0;
	ok(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) < 0 && errno == EINVAL,
	   "a file that negotiated nothing refuses REGISTER flags with EINVAL");
	r.flags = 0;
	r.reserved = 1;
	ok(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) < 0 && errno == EINVAL,
	   "a file that negotiated refuses non-zero reserved with EINVAL");
	close(fd);

	fd = umn_open(UMMUNOTIFY_FEATURE_FILTER);
	r.flags = 1U << UMMUNOTIFY_REASON_CLEAR;
	ok(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) < 0 && errno == EINVAL,
	   "with FILTER, non-zero reserved still fails with EINVAL");
	close(fd);
}

static void test_register_errors(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	__u64 top = sizeof(void *) == 8 ? 1ULL << 56 : 1ULL << 33;

	ok(umn_register_flags(fd, 0x2000, 0x2000, 1, 0) == -EINVAL,
	   "REGISTER of an empty range (start == end) fails with EINVAL");
	ok(umn_register_flags(fd, 0x3000, 0x2000, 1, 0) == -EINVAL,
	   "REGISTER of an inverted range fails with EINVAL");
	ok(umn_register_flags(fd, 0x1000, ~0ULL, 1, 0) == -EINVAL,
	   "REGISTER ending beyond the user address limit fails with EINVAL");
	ok(umn_register_flags(fd, 0x1000, top, 1, 0) == -EINVAL,
	   "REGISTER ending beyond the task's address space fails with EINVAL");
	ok(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, (void *)8) < 0 &&
	   errno == EFAULT, "REGISTER with a bad pointer fails with EFAULT");
	ok(umn_register_flags(fd, 0x1000, 0x2000, 7, 0) == 0,
	   "REGISTER of a valid range succeeds");
	ok(umn_register_flags(fd, 0x5000, 0x6000, 7, 0) == -EINVAL,
	   "REGISTER with a cookie already in use fails with EINVAL");
	ok(umn_register_flags(fd, 0x1000, 0x2000, 8, 0) == 0,
	   "an identical range under another cookie is accepted");
	ok(umn_unregister(fd, 1234) == -EINVAL,
	   "UNREGISTER of an unknown cookie fails with EINVAL");
	ok(ioctl(fd, UMMUNOTIFY_UNREGISTER_REGION, (void *)8) < 0 &&
	   errno == EFAULT, "UNREGISTER with a bad pointer fails with EFAULT");
	ok(umn_unregister(fd, 7) == 0 && umn_unregister(fd, 7) == -EINVAL,
	   "UNREGISTER removes the cookie: a second one fails with EINVAL");
	ok(umn_register_flags(fd, 0x5000, 0x6000, 7, 0) == 0,
	   "a cookie can be reused once unregistered");
	close(fd);
}

static void test_single_hit(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	const volatile __u64 *counter = umn_map_counter(fd);
	char *a = arena_new(8);
	__u64 before = umn_counter_load(counter);
	int n;

	umn_register(fd, arena_page(a, 1), 4 * page_size(), 11);
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN,
	   "nothing to read before any invalidation: EAGAIN with O_NONBLOCK");
	madvise(arena_page(a, 0), 3 * page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 11) &&
	   ev[0].flags == UMMUNOTIFY_EVENT_FLAG_HINT &&
	   has_hint(&ev[0], arena_page(a, 1), arena_page(a, 3)),
	   "one hit gives INVAL with HINT = overlap of registration and invalidation");
	ok(n == 2 && ev[1].type == UMMUNOTIFY_EVENT_TYPE_LAST &&
	   ev[1].user_cookie_counter == before + 1 &&
	   umn_counter_load(counter) == before + 1,
	   "the read that drains ends with LAST carrying the counter");
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN,
	   "after LAST nothing is pending");
	madvise(arena_page(a, 6), page_size(), MADV_DONTNEED);
	ok(umn_counter_load(counter) == before + 1 &&
	   umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN,
	   "an invalidation outside every registration changes nothing");
	munmap(a, 8 * page_size());
	close(fd);
}

static void test_second_hit(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	const volatile __u64 *counter = umn_map_counter(fd);
	char *a = arena_new(8);
	__u64 before = umn_counter_load(counter);
	int n;

	umn_register(fd, arena_page(a, 1), 4 * page_size(), 21);
	madvise(arena_page(a, 1), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 3), page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 21) && ev[0].flags == 0 &&
	   ev[0].hint_start == addr_of(arena_page(a, 1)) &&
	   ev[0].hint_end == addr_of(arena_page(a, 5)),
	   "a second hit before the read clears HINT and reports the whole range");
	ok(n == 2 && ev[1].user_cookie_counter == before + 2,
	   "the counter counts every overlapping invalidation, also of a queued registration");
	munmap(a, 8 * page_size());
	close(fd);
}

static void test_many_registrations(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	const volatile __u64 *counter = umn_map_counter(fd);
	char *a = arena_new(8);
	__u64 before = umn_counter_load(counter);
	int n;

	umn_register(fd, arena_page(a, 4), page_size(), 33);
	umn_register(fd, arena_page(a, 0), 8 * page_size(), 31);
	umn_register(fd, arena_page(a, 2), page_size(), 32);
	umn_register(fd, arena_page(a, 2), page_size(), 34);
	madvise(arena_page(a, 4), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 2), page_size(), MADV_DONTNEED);
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 5 && is_inval(&ev[0], 31) && is_inval(&ev[1], 33) &&
	   ((is_inval(&ev[2], 32) && is_inval(&ev[3], 34)) ||
	    (is_inval(&ev[2], 34) && is_inval(&ev[3], 32))),
	   "one invalidation over N registrations queues N reports, in order of first hit");
	ok(n == 5 && ev[4].type == UMMUNOTIFY_EVENT_TYPE_LAST &&
	   ev[4].user_cookie_counter == before + 2,
	   "the counter increments once per invalidation, not per registration");
	ok(n == 5 && is_inval(&ev[1], 33) &&
	   has_hint(&ev[1], arena_page(a, 4), arena_page(a, 5)) &&
	   ev[0].flags == 0,
	   "each registration keeps its own hint state");

	madvise(arena_page(a, 2), page_size(), MADV_DONTNEED);
	ok(umn_unregister(fd, 32) == 0, "unregister a queued registration");
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 3 && is_inval(&ev[0], 31) && is_inval(&ev[1], 34) &&
	   ev[2].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "UNREGISTER drops the queued report of that cookie");
	munmap(a, 8 * page_size());
	close(fd);
}

static void test_partial_reads(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	char *a = arena_new(8);
	char small[16];
	int i, n;

	for (i = 0; i < 5; i++)
		umn_register(fd, arena_page(a, i), page_size(), 40 + i);
	madvise(a, 5 * page_size(), MADV_DONTNEED);
	ok(read(fd, small, sizeof(small)) < 0 && errno == EINVAL,
	   "a read buffer smaller than one event fails with EINVAL");
	n = umn_read(fd, ev, 2);
	ok(n == 2 && is_inval(&ev[0], 40) && is_inval(&ev[1], 41),
	   "a read returns as many whole events as fit");
	n = read(fd, ev, 3 * sizeof(*ev) + 31) / (int)sizeof(*ev);
	ok(n == 3 && is_inval(&ev[0], 42) && is_inval(&ev[2], 44),
	   "a buffer that is not a multiple of 32 bytes gets whole events only");
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 1 && ev[0].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "when the queue drained exactly at the end of a buffer, the next read gives just LAST");
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == -EAGAIN, "then nothing");

	for (i = 0; i < 5; i++)
		umn_unregister(fd, 40 + i);
	for (i = 0; i < 200; i++)
		umn_register_flags(fd, addr_of(a), addr_of(a) + page_size(),
				   1000 + i, 0);
	madvise(a, page_size(), MADV_DONTNEED);
	n = read(fd, ev, sizeof(ev));
	ok(n == page_size(),
	   "a read returns at most one page worth of events (%d bytes)", n);
	ok(umn_drain(fd, ev, UMN_MAX_EVENTS) == 200 - page_size() / 32 + 1,
	   "the rest follows in the next read, ending with LAST");
	munmap(a, 8 * page_size());
	close(fd);
}

static void test_blocking_and_poll(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char *a = arena_new(2);

	umn_register(fd, a, page_size(), 50);
	ok(poll(&pfd, 1, 0) == 0, "poll reports nothing while nothing is pending");
	munmap(a, page_size());
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN,
	   "poll reports POLLIN once a report is queued");
	ok(read(fd, ev, sizeof(ev)) == 2 * (int)sizeof(*ev),
	   "a blocking read returns at once when something is pending");
	ok(poll(&pfd, 1, 0) == 0, "poll reports nothing after the drain");
	munmap(a + page_size(), page_size());
	close(fd);
}

static void test_counter_mapping(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	long ps = page_size();
	void *p;

	p = mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, 0);
	ok(p != MAP_FAILED && *(volatile __u64 *)p == 0,
	   "the counter page maps read-only and shared, starting at 0");
	ok(mprotect(p, ps, PROT_READ | PROT_WRITE) < 0 && errno == EACCES,
	   "the counter mapping cannot be made writable");
	ok(mremap(p, ps, 2 * ps, MREMAP_MAYMOVE) == MAP_FAILED,
	   "the counter mapping cannot grow");
	ok(mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
	   MAP_FAILED && errno == EACCES,
	   "a writable shared mapping is refused (EACCES)");
	ok(mmap(NULL, ps, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED &&
	   errno == EINVAL, "a private mapping is refused with EINVAL");
	ok(mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) ==
	   MAP_FAILED && errno == EINVAL,
	   "a private writable mapping is refused with EINVAL");
	ok(mmap(NULL, ps, PROT_READ, MAP_SHARED, fd, ps) == MAP_FAILED &&
	   errno == EINVAL, "a mapping at a non-zero offset is refused with EINVAL");
	ok(mmap(NULL, 2 * ps, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	   errno == EINVAL, "a mapping longer than one page is refused with EINVAL");
	munmap(p, ps);
	close(fd);
}

int main(void)
{
	test_abi();
	test_open();
	test_exchange_features();
	test_exchange_enables_nothing();
	test_negotiate_features();
	test_register_flags_reserved();
	test_register_errors();
	test_single_hit();
	test_second_hit();
	test_many_registrations();
	test_partial_reads();
	test_blocking_and_poll();
	test_counter_mapping();
	return tap_done();
}
