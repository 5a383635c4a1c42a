// SPDX-License-Identifier: GPL-2.0
/*
 * A registration cache written the way 2010-era libraries wrote theirs
 * (Open MPI 1.5-1.10's memory component, the 2009 test program of the
 * patch series): it must keep working unchanged.
 *
 * What such a library does, and this program does too:
 * - opens the device O_RDONLY | O_NONBLOCK and maps the counter;
 * - builds struct ummunotify_register_ioctl field by field on a stack
 *   that held other data, never setting flags or reserved, and ignores
 *   what REGISTER returns;
 * - checks the mapped counter against the last LAST it read, and when it
 *   moved reads 4096 bytes at a time, releasing every cached entry that
 *   overlaps an INVAL event's hint, until LAST;
 * - optionally (the 2009 test program) passes an uninitialized mask to
 *   EXCHANGE_FEATURES first.
 * If the kernel refuses those REGISTERs, or lets stack garbage switch an
 * extension on, the cache silently keeps stale entries: that is what the
 * checks below look for.
 */
#include "ummunotify_test.h"

#define CACHE_SLOTS	256

struct cache_entry {
	unsigned long	start;
	unsigned long	end;
	__u64		cookie;
	int		valid;
};

struct reg_cache {
	int				fd;
	const volatile __u64		*counter;
	__u64				last_counter;
	__u64				next_cookie;
	__u32				garbage[2];
	struct cache_entry		entries[CACHE_SLOTS];
	unsigned int			nr;
	unsigned int			released;
	int				last_matched_counter;
	/* What the last REGISTER was really passed, and its result. */
	__u32				seen_flags;
	__u32				seen_reserved;
	int				register_errno;
};

/*
 * Leaves the stack below the caller holding the words @even, @odd, ...:
 * what flags and reserved then hold.
 */
static __attribute__((noinline)) void dirty_stack(__u32 even, __u32 odd)
{
	__u32 junk[64];
	unsigned int i;

	for (i = 0; i < 64; i++)
		junk[i] = i & 1 ? odd : even;
	/* Keeps the stores: the compiler must assume junk is read. */
	__asm__ volatile("" : : "r"(junk) : "memory");
}

/* As the 2010 libraries did: only the fields they knew they needed. */
static __attribute__((noinline)) void
cache_register(struct reg_cache *c, struct cache_entry *e)
{
	struct ummunotify_register_ioctl r;

	r.start = e->start;
	r.end = e->end;
	r.user_cookie = e->cookie;
	c->register_errno = ioctl(c->fd, UMMUNOTIFY_REGISTER_REGION, &r) ?
			    errno : 0;
	c->seen_flags = r.flags;
	c->seen_reserved = r.reserved;
}

static struct cache_entry *cache_find(struct reg_cache *c, const void *buf,
				      size_t len)
{
	unsigned long s = (unsigned long)buf, e = s + len;
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (c->entries[i].valid && c->entries[i].start <= s &&
		    e <= c->entries[i].end)
			return &c->entries[i];
	return NULL;
}

static void cache_release_range(struct reg_cache *c, __u64 start, __u64 end)
{
	unsigned int i;

	for (i = 0; i < c->nr; i++) {
		struct cache_entry *e = &c->entries[i];

		if (!e->valid || e->end <= start || end <= e->start)
			continue;
		e->valid = 0;
		c->released++;
		umn_unregister(c->fd, e->cookie);
	}
}

/* The slow path: drain the device 4096 bytes at a time until LAST. */
static void cache_process_events(struct reg_cache *c)
{
	struct ummunotify_event events[4096 / sizeof(struct ummunotify_event)];
	ssize_t n;
	size_t i;

	for (;;) {
		n = read(c->fd, events, sizeof(events));
		if (n <= 0)
			return;
		for (i = 0; i < n / sizeof(events[0]); i++) {
			if (events[i].type == UMMUNOTIFY_EVENT_TYPE_INVAL) {
				cache_release_range(c, events[i].hint_start,
						    events[i].hint_end);
				continue;
			}
			c->last_counter = events[i].user_cookie_counter;
			c->last_matched_counter =
				c->last_counter == umn_counter_load(c->counter);
			return;
		}
	}
}

/* Before trusting a cached registration: the one-load fast path. */
static void cache_check(struct reg_cache *c)
{
	if (umn_counter_load(c->counter) != c->last_counter)
		cache_process_events(c);
}

/* Returns the entry covering buf, registering it on a miss. */
static struct cache_entry *cache_lookup(struct reg_cache *c, void *buf,
					size_t len)
{
	struct cache_entry *e;

	cache_check(c);
	e = cache_find(c, buf, len);
	if (e || c->nr == CACHE_SLOTS)
		return e;
	e = &c->entries[c->nr++];
	e->start = (unsigned long)buf;
	e->end = e->start + len;
	e->cookie = ++c->next_cookie;
	e->valid = 1;
	dirty_stack(c->garbage[0], c->garbage[1]);
	cache_register(c, e);
	return e;
}

static void cache_open(struct reg_cache *c, int exchange_garbage,
		       __u32 garbage_flags, __u32 garbage_reserved)
{
	void *counter;

	memset(c, 0, sizeof(*c));
	c->garbage[0] = garbage_flags;
	c->garbage[1] = garbage_reserved;
	c->fd = open(UMN_DEVICE, O_RDONLY | O_NONBLOCK);
	if (c->fd < 0)
		bail("open " UMN_DEVICE);
	if (exchange_garbage) {
		__u32 mask = ~0U;

		ok(ioctl(c->fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) == 0 &&
		   mask == 0,
		   "EXCHANGE_FEATURES with every bit set succeeds and answers 0");
	}
	counter = mmap(NULL, sizeof(__u64), PROT_READ, MAP_SHARED, c->fd, 0);
	if (counter == MAP_FAILED)
		bail("mmap counter");
	c->counter = counter;
}

static void cache_close(struct reg_cache *c)
{
	munmap((void *)c->counter, sizeof(__u64));
	close(c->fd);
}

static char *buffer_new(size_t pages, void *at)
{
	char *p = mmap(at, pages * page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (at ? MAP_FIXED : 0),
		       -1, 0);

	if (p == MAP_FAILED)
		bail("mmap buffer");
	madvise(p, pages * page_size(), MADV_NOHUGEPAGE);
	memset(p, 1, pages * page_size());
	return p;
}

/*
 * A user of the cache, as an MPI library's send path would be. The stack
 * garbage that lands in flags and reserved is chosen by the caller.
 */
static void test_cache(const char *who, int exchange_garbage,
		       __u32 garbage_flags, __u32 garbage_reserved)
{
	struct reg_cache c;
	char *buf[8];
	struct cache_entry *e, *stale;
	size_t len = 2 * page_size();
	unsigned int i, valid;

	cache_open(&c, exchange_garbage, garbage_flags, garbage_reserved);
	for (i = 0; i < 8; i++) {
		buf[i] = buffer_new(2, NULL);
		cache_lookup(&c, buf[i], len);
	}
	diag("%s: REGISTER saw flags 0x%x reserved 0x%x", who, c.seen_flags,
	     c.seen_reserved);
	ok(c.seen_flags == garbage_flags &&
	   c.seen_reserved == garbage_reserved,
	   "%s: REGISTER was passed the stack garbage in flags and reserved",
	   who);
	ok(c.register_errno == 0,
	   "%s: REGISTER with uninitialized flags and reserved succeeds", who);

	stale = cache_find(&c, buf[3], len);
	munmap(buf[3], len);
	ok(umn_counter_load(c.counter) != c.last_counter,
	   "%s: after free(), the mapped counter tells the cache to look", who);
	buffer_new(2, buf[3]);
	e = cache_lookup(&c, buf[3], len);
	ok(e && e != stale && !stale->valid,
	   "%s: memory mapped again at a freed address misses the cache (the stale registration was released)",
	   who);
	ok(c.last_matched_counter,
	   "%s: the LAST event carries the mapped counter", who);

	madvise(buf[5] + page_size(), page_size(), MADV_DONTNEED);
	cache_check(&c);
	for (i = 0, valid = 0; i < 8; i++)
		valid += !!cache_find(&c, buf[i], len);
	ok(!cache_find(&c, buf[5], len) && valid == 7,
	   "%s: MADV_DONTNEED of one page releases exactly the registration under the hint",
	   who);
	cache_close(&c);
	for (i = 0; i < 8; i++)
		munmap(buf[i], len);
}

/* More reports than one 4096-byte read holds: every one still arrives. */
static void test_many(void)
{
	struct reg_cache c;
	unsigned int pages = 200, i;
	char *arena = buffer_new(pages, NULL);

	cache_open(&c, 0, 1, 0x1eb1f000);
	for (i = 0; i < pages; i++)
		cache_lookup(&c, arena + i * page_size(), page_size());
	ok(c.nr == pages && c.register_errno == 0,
	   "200 one-page registrations with garbage flags succeed");
	munmap(arena, pages * page_size());
	cache_check(&c);
	ok(c.released == pages,
	   "munmap of all of them releases all 200, over several 4096-byte reads (released %u)",
	   c.released);
	ok(c.last_matched_counter &&
	   c.last_counter == umn_counter_load(c.counter),
	   "the LAST event after the drain matches the mapped counter");
	cache_close(&c);
}

int main(void)
{
	/* What an -O3 Open MPI build was seen passing. */
	test_cache("Open MPI pattern", 0, 1, 0x1eb1f000);
	/*
	 * Garbage to EXCHANGE_FEATURES, then flags = 1 << REASON_UNMAP with
	 * reserved 0: had the garbage switched FILTER on, munmap would be
	 * ignored.
	 */
	test_cache("2009 test program pattern", 1,
		   1U << UMMUNOTIFY_REASON_UNMAP, 0);
	test_many();
	return tap_done();
}
