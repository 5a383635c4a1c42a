// SPDX-License-Identifier: GPL-2.0
/*
 * FEATURE_GENERATIONS: REGISTER_SLOT, the read-only mapping of the
 * generation words, exactly which words a hit and an UNREGISTER move,
 * slot reuse without ABA, growth past one page, the errors, and that the
 * 2010 calls are unchanged on the same file.
 */
#include "ummunotify_test.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/wait.h>

#define MAX_EVENTS 64

static sigjmp_buf sigbus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(sigbus_jmp, 1);
}

/* Whether reading *@word gives SIGBUS. */
static int sigbus_on_read(const volatile __u64 *word)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int faulted;

	sigaction(SIGBUS, &sa, &old);
	faulted = sigsetjmp(sigbus_jmp, 1);
	if (!faulted)
		(void)*word;
	sigaction(SIGBUS, &old, NULL);
	return faulted;
}

static size_t words_per_page(void)
{
	return page_size() / sizeof(__u64);
}

static size_t max_map_len(void)
{
	return (size_t)UMMUNOTIFY_GENERATIONS_MAX_SLOTS * sizeof(__u64);
}

static off_t words_offset(void)
{
	return (off_t)UMMUNOTIFY_GENERATIONS_PGOFF * page_size();
}

/* 0 or -errno; fills *slot and *gen on success. */
static int reg_slot(int fd, const void *start, size_t len, __u64 cookie,
		    __u32 flags, __u32 *slot, __u64 *gen)
{
	struct ummunotify_register_slot r = {
		.region = {
			.start = addr_of(start),
			.end = addr_of(start) + len,
			.user_cookie = cookie,
			.flags = flags,
		},
		.slot = 0xdeadbeef,
		.generation = 0xdeadbeef,
	};

	int ret = ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &r) ? -errno : 0;

	*slot = r.slot;
	*gen = r.generation;
	return ret;
}

/* The whole area of words: address space only, pages come later. */
static const volatile __u64 *map_words(int fd)
{
	void *p = mmap(NULL, max_map_len(), PROT_READ, MAP_SHARED, fd,
		       words_offset());

	if (p == MAP_FAILED)
		bail("mmap generations");
	return p;
}

static __u64 load(const volatile __u64 *words, __u32 slot)
{
	return __atomic_load_n(&words[slot], __ATOMIC_ACQUIRE);
}

/* -errno of mmap at the words' offset, 0 if it worked (then unmapped). */
static int try_map(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

static void test_abi(void)
{
	struct ummunotify_features f = {
		.requested = UMMUNOTIFY_FEATURE_GENERATIONS,
	};
	int fd = open(UMN_DEVICE, O_RDONLY | O_CLOEXEC);

	ok(sizeof(struct ummunotify_register_slot) == 48,
	   "struct ummunotify_register_slot is 48 bytes");
	ok(UMMUNOTIFY_REGISTER_SLOT == 0xc0305508,
	   "UMMUNOTIFY_REGISTER_SLOT is 0xc0305508");
	ok(UMMUNOTIFY_FEATURE_GENERATIONS == 1U << 5,
	   "UMMUNOTIFY_FEATURE_GENERATIONS is bit 5");
	ok(ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) == 0 &&
	   (f.supported & UMMUNOTIFY_FEATURE_GENERATIONS) &&
	   f.granted == UMMUNOTIFY_FEATURE_GENERATIONS,
	   "GENERATIONS is supported and granted");
	close(fd);
}

static void test_errors(char *arena)
{
	long ps = page_size();
	__u32 slot;
	__u64 gen;
	int fd;

	fd = umn_open(UMN_NO_NEGOTIATE);
	ok(reg_slot(fd, arena, ps, 1, 0, &slot, &gen) == -EINVAL,
	   "REGISTER_SLOT without negotiating: EINVAL");
	ok(try_map(fd, ps, PROT_READ, MAP_SHARED, words_offset()) == -EINVAL,
	   "mapping the words without negotiating: EINVAL (as in 2010)");
	ok(umn_register(fd, arena, ps, 1) == 0 && umn_unregister(fd, 1) == 0,
	   "the file still works the 2010 way");
	close(fd);

	fd = umn_open(UMMUNOTIFY_FEATURE_QUERY);
	ok(reg_slot(fd, arena, ps, 1, 0, &slot, &gen) == -EINVAL,
	   "REGISTER_SLOT when GENERATIONS was not granted: EINVAL");
	ok(try_map(fd, ps, PROT_READ, MAP_SHARED, words_offset()) == -EINVAL,
	   "mapping the words when GENERATIONS was not granted: EINVAL");
	close(fd);

	fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS);
	ok(try_map(fd, ps, PROT_READ, MAP_PRIVATE, words_offset()) == -EINVAL,
	   "MAP_PRIVATE of the words: EINVAL");
	ok(try_map(fd, ps, PROT_READ | PROT_WRITE, MAP_SHARED,
		   words_offset()) == -EACCES,
	   "PROT_WRITE, MAP_SHARED of the words: EACCES (the file is read-only)");
	ok(try_map(fd, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		   words_offset()) == -EINVAL,
	   "PROT_WRITE, MAP_PRIVATE of the words: EINVAL");
	ok(try_map(fd, max_map_len() + ps, PROT_READ, MAP_SHARED,
		   words_offset()) == -EINVAL,
	   "mapping past UMMUNOTIFY_GENERATIONS_MAX_SLOTS: EINVAL");
	ok(try_map(fd, ps, PROT_READ, MAP_SHARED,
		   words_offset() + (off_t)max_map_len()) == -EINVAL,
	   "mapping from the end of the area: EINVAL");
	ok(try_map(fd, 2 * ps, PROT_READ, MAP_SHARED, 0) == -EINVAL,
	   "the counter is still exactly one page");
	ok(try_map(fd, ps, PROT_READ, MAP_SHARED,
		   words_offset() + (off_t)max_map_len() - ps) == 0,
	   "the last page of the area can be mapped alone");
	{
		struct ummunotify_register_ioctl r = {
			.start = addr_of(arena), .end = addr_of(arena) + ps,
			.user_cookie = 1,
		};
		struct ummunotify_register_slot s = { .region = r };

		s.reserved = 1;
		ok(ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &s) < 0 &&
		   errno == EINVAL, "REGISTER_SLOT with reserved set: EINVAL");
		s.reserved = 0;
		s.region.reserved = 1;
		ok(ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &s) < 0 &&
		   errno == EINVAL,
		   "REGISTER_SLOT with region.reserved set: EINVAL (strict)");
		s.region.reserved = 0;
		s.region.flags = 1;
		ok(ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &s) < 0 &&
		   errno == EINVAL,
		   "REGISTER_SLOT with flags and no FILTER: EINVAL");
		s.region.flags = 0;
		s.region.end = s.region.start;
		ok(ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, &s) < 0 &&
		   errno == EINVAL, "REGISTER_SLOT of an empty range: EINVAL");
	}
	ok(reg_slot(fd, arena, ps, 7, 0, &slot, &gen) == 0 &&
	   reg_slot(fd, arena, ps, 7, 0, &slot, &gen) == -EINVAL,
	   "REGISTER_SLOT of a duplicate cookie: EINVAL");
	ok(umn_unregister(fd, 7) == 0 && umn_unregister(fd, 1) == -EINVAL,
	   "the failed calls registered nothing");
	{
		/* The argument is readable but not writable: EFAULT. */
		struct ummunotify_register_slot *ro =
			mmap(NULL, ps, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (ro == MAP_FAILED)
			bail("mmap");
		ro->region.start = addr_of(arena);
		ro->region.end = addr_of(arena) + ps;
		ro->region.user_cookie = 9;
		mprotect(ro, ps, PROT_READ);
		ok(ioctl(fd, UMMUNOTIFY_REGISTER_SLOT, ro) < 0 &&
		   errno == EFAULT,
		   "REGISTER_SLOT whose result cannot be written: EFAULT");
		ok(umn_unregister(fd, 9) == -EINVAL,
		   "... and nothing is left registered");
		munmap(ro, ps);
	}
	close(fd);
}

/* Hits move the words of the registrations hit, and only those. */
static void test_hits(char *arena)
{
	struct ummunotify_event ev[MAX_EVENTS];
	const volatile __u64 *words, *counter;
	long ps = page_size();
	__u32 a, b, c, d;
	__u64 ga, gb, gc, gd, before;
	int fd, n;

	fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS);
	words = map_words(fd);
	counter = umn_map_counter(fd);
	ok(reg_slot(fd, arena_page(arena, 0), ps, 10, 0, &a, &ga) == 0 &&
	   reg_slot(fd, arena_page(arena, 1), ps, 11, 0, &b, &gb) == 0 &&
	   reg_slot(fd, arena_page(arena, 2), ps, 12, 0, &c, &gc) == 0,
	   "three REGISTER_SLOTs");
	ok(a == 0 && b == 1 && c == 2, "slots are handed out lowest first (%u %u %u)",
	   a, b, c);
	ok(load(words, a) == ga && load(words, b) == gb &&
	   load(words, c) == gc,
	   "each word holds the generation REGISTER_SLOT returned");
	ok(umn_register(fd, arena_page(arena, 1), ps, 13) == 0,
	   "REGISTER_REGION works beside them");

	before = umn_counter_load(counter);
	madvise(arena_page(arena, 1), ps, MADV_DONTNEED);
	ok(load(words, b) == gb + 1,
	   "a hit adds 1 to the word before madvise returns");
	ok(load(words, a) == ga && load(words, c) == gc,
	   "the words of the registrations not hit are unchanged");
	ok(load(words, 3) == 0, "a word with no registration is untouched");
	ok(umn_counter_load(counter) == before + 1,
	   "the file's counter moves as before");
	memset(arena_page(arena, 1), 1, ps);
	madvise(arena_page(arena, 1), ps, MADV_DONTNEED);
	ok(load(words, b) == gb + 2,
	   "a second hit while the report is queued adds 1 again");
	n = umn_drain(fd, ev, MAX_EVENTS);
	ok(n == 3 && ((is_inval(&ev[0], 11) && is_inval(&ev[1], 13)) ||
		      (is_inval(&ev[0], 13) && is_inval(&ev[1], 11))) &&
	   ev[2].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "the events are the 2010 ones (%d)", n);
	ok(load(words, b) == gb + 2, "reading changes no word");

	memset(arena, 1, 3 * ps);
	madvise(arena, 3 * ps, MADV_DONTNEED);
	ok(load(words, a) == ga + 1 && load(words, b) == gb + 3 &&
	   load(words, c) == gc + 1,
	   "one invalidation over three registrations adds 1 to each");
	umn_drain(fd, ev, MAX_EVENTS);

	gb = load(words, b);
	ok(umn_unregister(fd, 11) == 0 && load(words, b) == gb + 1,
	   "UNREGISTER adds 1 to the word");
	ok(load(words, a) == ga + 1 && load(words, c) == gc + 1,
	   "... and only to its own");
	ok(reg_slot(fd, arena_page(arena, 3), ps, 14, 0, &d, &gd) == 0 &&
	   d == b, "a new REGISTER_SLOT reuses the freed slot");
	ok(gd == gb + 1 && gd != gb && load(words, d) == gd,
	   "... starting from the word's current value, never the stale one");
	memset(arena, 1, 4 * ps);
	madvise(arena_page(arena, 1), ps, MADV_DONTNEED);
	ok(load(words, d) == gd, "a hit on the old range leaves the new one's word");
	ok(umn_unregister(fd, 13) == 0 && umn_unregister(fd, 10) == 0 &&
	   umn_unregister(fd, 12) == 0 && umn_unregister(fd, 14) == 0,
	   "UNREGISTER by cookie works for both kinds");
	close(fd);
}

/* A freed-and-reused slot never gives back a value a stale copy holds. */
static void test_reuse(char *arena)
{
	const volatile __u64 *words;
	long ps = page_size();
	__u64 gen, last = 0;
	int fd, i, bad = 0, stale = 0;
	__u32 slot;

	fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS);
	words = map_words(fd);
	for (i = 0; i < 1000; i++) {
		if (reg_slot(fd, arena, ps, 100 + i, 0, &slot, &gen) ||
		    slot != 0 || (i && gen <= last))
			bad++;
		if (i && load(words, 0) == last)
			stale++;
		if (i % 3 == 0) {
			memset(arena, 1, ps);
			madvise(arena, ps, MADV_DONTNEED);
		}
		last = gen;
		if (umn_unregister(fd, 100 + i))
			bad++;
	}
	ok(!bad, "1000 reuses of one slot: every generation is greater");
	ok(!stale, "no stale copy ever matched the reused slot's word");
	close(fd);
}

/* More slots than one page holds; pages appear as they are needed. */
static void test_growth(char *arena)
{
	const volatile __u64 *words;
	size_t per_page = words_per_page(), i, nr = per_page + 8;
	long ps = page_size();
	int fd, bad = 0;
	__u32 slot;
	__u64 gen;

	fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS);
	words = map_words(fd);

	ok(sigbus_on_read(&words[0]), "touching a page of words not allocated yet: SIGBUS");

	for (i = 0; i < nr; i++) {
		if (reg_slot(fd, arena_page(arena, i % 2), ps, 1000 + i, 0,
			     &slot, &gen) || slot != i || gen != 0)
			bad++;
	}
	ok(!bad, "%zu slots, numbered in order, all starting at 0", nr);
	ok(!sigbus_on_read(&words[per_page]) &&
	   !sigbus_on_read(&words[nr - 1]),
	   "the second page is readable in the mapping made before it");
	ok(sigbus_on_read(&words[2 * per_page]),
	   "the third page still gives SIGBUS");

	memset(arena, 1, 2 * ps);
	madvise(arena_page(arena, 1), ps, MADV_DONTNEED);
	for (i = 0; i < nr; i++) {
		if (load(words, i) != (i % 2 ? 1 : 0))
			bad++;
	}
	ok(!bad, "a hit moves exactly the words of the odd slots, both pages");

	{
		const volatile __u64 *second =
			mmap(NULL, ps, PROT_READ, MAP_SHARED, fd,
			     words_offset() + ps);

		ok(second != MAP_FAILED && load(second, 1) == 1 &&
		   load(second, 0) == 0,
		   "a mapping at a later offset starts at that page's slots");
		if (second != MAP_FAILED)
			munmap((void *)second, ps);
	}
	ok(mprotect((void *)words, ps, PROT_READ | PROT_WRITE) < 0 &&
	   errno == EACCES, "mprotect to writable is refused (EACCES)");
	ok(mremap((void *)words, max_map_len(), max_map_len() + ps,
		  MREMAP_MAYMOVE) == MAP_FAILED, "the mapping cannot grow");
	close(fd);
	munmap((void *)words, max_map_len());
}

/* FILTER: an ignored reason leaves the word as it leaves the queue. */
static void test_filter(char *arena)
{
	const volatile __u64 *words;
	long ps = page_size();
	__u32 slot;
	__u64 gen;
	int fd;

	fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS |
		      UMMUNOTIFY_FEATURE_FILTER);
	words = map_words(fd);
	ok(reg_slot(fd, arena, ps, 1, 1U << UMMUNOTIFY_REASON_CLEAR, &slot,
		    &gen) == 0, "REGISTER_SLOT with a filter");
	memset(arena, 1, ps);
	madvise(arena, ps, MADV_DONTNEED);
	ok(load(words, slot) == gen, "a filtered reason does not move the word");
	mprotect(arena, ps, PROT_READ);
	ok(load(words, slot) == gen + 1, "another reason does");
	mprotect(arena, ps, PROT_READ | PROT_WRITE);
	close(fd);
}

/* The words are not inherited by fork and the child cannot register. */
static void test_fork(char *arena)
{
	const volatile __u64 *words;
	long ps = page_size();
	int fd, status;
	__u32 slot;
	__u64 gen;
	pid_t pid;

	fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS);
	words = map_words(fd);
	if (reg_slot(fd, arena, ps, 1, 0, &slot, &gen))
		bail("REGISTER_SLOT");
	pid = fork();
	if (pid == 0) {
		__u32 s;
		__u64 g;

		if (reg_slot(fd, arena, ps, 2, 0, &s, &g) != -EBADF)
			_exit(2);
		signal(SIGSEGV, SIG_DFL);
		(void)load(words, slot);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
	   "a fork child gets EBADF and has no mapping of the words");
	close(fd);
}

#define CHURN_SLOTS	20000
#define RACE_ROUNDS	3
#define RACE_TRIALS	2000

struct churn {
	int fd;
	char *page;
	volatile int stop;
	volatile int grown;
	int errors;
	__u32 top;
};

/*
 * Grows the file to CHURN_SLOTS slots (the table of pages is swapped at
 * 16 and 32 pages), then unregisters and registers them until stopped.
 */
static void *churn_slots(void *arg)
{
	struct churn *c = arg;
	long ps = page_size();
	__u32 slot;
	__u64 gen;
	size_t i;

	for (i = 0; i < CHURN_SLOTS; i++) {
		if (reg_slot(c->fd, c->page, ps, 1000000 + i, 0, &slot, &gen))
			c->errors++;
		else if (slot > c->top)
			c->top = slot;
	}
	c->grown = 1;
	for (i = 0; !c->stop; i = (i + 1) % CHURN_SLOTS) {
		if (umn_unregister(c->fd, 1000000 + i) ||
		    reg_slot(c->fd, c->page, ps, 1000000 + i, 0, &slot, &gen))
			c->errors++;
	}
	return NULL;
}

/*
 * Another thread registers (growing the pages of words) and unregisters
 * while this one invalidates: the word has moved every time madvise
 * returns.
 */
static void test_race(char *arena)
{
	const volatile __u64 *words;
	int fd, round, trial, trials = 0, late = 0, errors = 0;
	long ps = page_size();
	__u32 top = 0, slot;
	pthread_t thread;
	__u64 gen;

	for (round = 0; round < RACE_ROUNDS; round++) {
		struct churn c = { .page = arena_page(arena, 2) };

		fd = umn_open(UMMUNOTIFY_FEATURE_GENERATIONS);
		c.fd = fd;
		words = map_words(fd);
		if (reg_slot(fd, arena, ps, 1, 0, &slot, &gen))
			bail("REGISTER_SLOT");
		if (pthread_create(&thread, NULL, churn_slots, &c))
			bail("pthread_create");
		for (trial = 0; trial < RACE_TRIALS || !c.grown; trial++) {
			arena[0] = 1;
			madvise(arena, ps, MADV_DONTNEED);
			if (load(words, slot) != ++gen)
				late++;
		}
		trials += trial;
		c.stop = 1;
		pthread_join(thread, NULL);
		errors += c.errors;
		if (c.top > top)
			top = c.top;
		munmap((void *)words, max_map_len());
		close(fd);
	}
	ok(!errors, "the other thread's REGISTER_SLOTs and UNREGISTERs worked");
	ok(top + 1 >= CHURN_SLOTS, "it grew the file to %u slots", top + 1);
	ok(!late, "%d hits racing them: the word had moved every time madvise returned (%d late)",
	   trials, late);
}

int main(void)
{
	char *arena = arena_new(8);

	test_abi();
	test_errors(arena);
	test_hits(arena);
	test_reuse(arena);
	test_growth(arena);
	test_filter(arena);
	test_fork(arena);
	test_race(arena);
	return tap_done();
}
