/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ummunotify tests: TAP output, the device calls,
 * and an arena of anonymous pages whose invalidations are exact (no
 * transparent huge pages, every page populated).
 */
#ifndef UMMUNOTIFY_TEST_H
#define UMMUNOTIFY_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/ummunotify.h>

#define UMN_DEVICE "/dev/ummunotify"
#define UMN_NO_NEGOTIATE 0xffffffffU
#define UMN_MAX_EVENTS 512

static int tap_count;
static int tap_failures;

static inline void __attribute__((format(printf, 2, 3)))
ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!pass)
		tap_failures++;
}

static inline void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

static inline void __attribute__((noreturn)) bail(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

static inline long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static inline __u64 addr_of(const void *p)
{
	return (__u64)(uintptr_t)p;
}

/* 0 or -errno; on success *granted (if given) is what is in force. */
static inline int umn_negotiate(int fd, __u64 requested, __u64 *granted)
{
	struct ummunotify_features f = { .requested = requested };

	if (ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f))
		return -errno;
	if (granted)
		*granted = f.granted;
	return 0;
}

/*
 * Opens the device; negotiates @features (0: none, but strict REGISTER)
 * unless UMN_NO_NEGOTIATE, which leaves the file following the 2010 rules.
 */
static inline int umn_open(__u32 features)
{
	int fd = open(UMN_DEVICE, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		bail("open " UMN_DEVICE);
	if (features != UMN_NO_NEGOTIATE && umn_negotiate(fd, features, NULL))
		bail("NEGOTIATE_FEATURES");
	return fd;
}

/* 0 or -errno. */
static inline int umn_register_flags(int fd, __u64 start, __u64 end,
				     __u64 cookie,
			      __u32 flags)
{
	struct ummunotify_register_ioctl r = {
		.start = start, .end = end, .user_cookie = cookie,
		.flags = flags,
	};

	return ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) ? -errno : 0;
}

static inline int umn_register(int fd, const void *start, size_t len, __u64 cookie)
{
	return umn_register_flags(fd, addr_of(start),
				  addr_of(start) + len, cookie, 0);
}

static inline int umn_unregister(int fd, __u64 cookie)
{
	return ioctl(fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie) ? -errno : 0;
}

/* Number of @size-byte records read, or -errno; never blocks. */
static inline int read_records(int fd, void *buf, size_t size, size_t max)
{
	int flags = fcntl(fd, F_GETFL);
	ssize_t n;

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	n = read(fd, buf, max * size);
	fcntl(fd, F_SETFL, flags);
	if (n < 0)
		return -errno;
	return (int)(n / (ssize_t)size);
}

/* Number of events read, or -errno; never blocks. */
static inline int umn_read(int fd, struct ummunotify_event *ev, size_t max)
{
	return read_records(fd, ev, sizeof(*ev), max);
}

/* Reads until LAST (or nothing is left); returns the number of events. */
static inline int umn_drain(int fd, struct ummunotify_event *ev, size_t max)
{
	size_t total = 0;
	int n;

	while (total < max) {
		n = umn_read(fd, ev + total, max - total);
		if (n <= 0)
			break;
		total += n;
		if (ev[total - 1].type == UMMUNOTIFY_EVENT_TYPE_LAST)
			break;
	}
	return (int)total;
}

static inline __u64 umn_counter_load(const volatile __u64 *counter)
{
	return __atomic_load_n(counter, __ATOMIC_ACQUIRE);
}

static inline const volatile __u64 *umn_map_counter(int fd)
{
	void *p = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		bail("mmap counter");
	return p;
}

/* An anonymous arena of @pages pages, THP off, every page populated. */
static inline char *arena_new(size_t pages)
{
	size_t len = pages * page_size();
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		bail("mmap arena");
	madvise(p, len, MADV_NOHUGEPAGE);
	memset(p, 1, len);
	return p;
}

static inline char *arena_page(char *arena, size_t page)
{
	return arena + page * page_size();
}

static inline int is_inval(const struct ummunotify_event *ev, __u64 cookie)
{
	return ev->type == UMMUNOTIFY_EVENT_TYPE_INVAL &&
	       ev->user_cookie_counter == cookie;
}

static inline int has_hint(const struct ummunotify_event *ev, const void *start,
		    const void *end)
{
	return (ev->flags & UMMUNOTIFY_EVENT_FLAG_HINT) &&
	       ev->hint_start == addr_of(start) && ev->hint_end == addr_of(end);
}

#endif /* UMMUNOTIFY_TEST_H */
