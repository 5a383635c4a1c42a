// SPDX-License-Identifier: GPL-2.0
/*
 * Every figure of a registration cache's use of the module, at 10k, 100k
 * and 1M registrations (issue 13's list), one line per figure:
 *
 *   null <ns>                        a null system call (getppid), the unit
 *   N bulk <ns> <null calls>         mean REGISTER while growing 0 -> N,
 *                                    and in null system calls timed
 *                                    between its chunks (both means, so
 *                                    time the VM lost to the host weighs
 *                                    on both alike)
 *   N memory <bytes>                 kernel memory per registration at N
 *                                    (Slab + VmallocUsed of /proc/meminfo)
 *   N single <ns> <ratio>            one REGISTER with N registered (the
 *                                    range is unregistered untimed); ratio
 *                                    to the same in an empty file
 *   N miss <ns> <ratio>              madvise(MADV_DONTNEED) of a page
 *                                    between registered ones; ratio to the
 *                                    same call with nothing registered
 *   N hit <ns> <ratio>               the hit cycle: madvise of a registered
 *                                    page, then read() of INVAL and LAST;
 *                                    ratio to the same in a file with
 *                                    that range registered alone
 *   N slothit <ratio>                a hit on a REGISTER_SLOT range over one
 *                                    on a REGISTER range
 *   N check <ns>                     the generation check: one acquire load
 *                                    of a registration's word
 *   N close <ns>                     close() with N registered
 *
 * Times are the median of 15 batches of 200 calls (bench.h); the figures
 * with nothing registered come from a child process with its own file,
 * in batches alternating with ours. Each N uses a fresh file, negotiated
 * for GENERATIONS (REGISTER is then strict; flags and reserved are 0).
 * summary.sh runs this in rounds and prints the table.
 */
#define _GNU_SOURCE
#include "bench.h"

static const unsigned long sizes[] = { 10000, 100000, 1000000 };
#define NR_SIZES	(sizeof(sizes) / sizeof(sizes[0]))
#define CHECK_LOADS	1000000
#define BULK_CHUNK	1000
#define SINGLE_COOKIE	(~0ull - 10)

enum { P_SINGLE, P_MISS, P_HIT, P_SLOTHIT, NR_PROBES };

/*
 * Pages of one 2 MiB block, each its own VMA (PROT_NONE pages between
 * them), so that an mprotect() never splits a VMA around a block.
 */
struct pages {
	char *low;	/* registered: the miss lies inside the span */
	char *miss;
	char *hit;	/* registered with REGISTER_REGION */
	char *slot;	/* registered with REGISTER_SLOT */
	char *single;	/* registered and unregistered by P_SINGLE */
};

static struct pages pages_map(void)
{
	size_t block = 512 * page_size;
	char *area = map_pages(2 * 512, PROT_NONE);
	char *base = (char *)(((uintptr_t)area + block - 1) & ~(block - 1));
	struct pages p = {
		.low = base, .miss = base + 2 * page_size,
		.hit = base + 4 * page_size, .slot = base + 6 * page_size,
		.single = base + 8 * page_size,
	};
	char *each[] = { p.low, p.miss, p.hit, p.slot, p.single };
	unsigned int i;

	if (madvise(area, 2 * block, MADV_NOHUGEPAGE))
		die("madvise(MADV_NOHUGEPAGE)");
	for (i = 0; i < sizeof(each) / sizeof(each[0]); i++)
		if (mprotect(each[i], page_size, PROT_READ | PROT_WRITE))
			die("mprotect");
	return p;
}

static void unregister(int fd, uint64_t cookie)
{
	if (ioctl(fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie))
		die("UMMUNOTIFY_UNREGISTER_REGION");
}

static void single_prepare(struct probe *p)
{
	if (p->toggle)
		unregister(p->fd, SINGLE_COOKIE);
	p->toggle = 1;
}

static void single_call(struct probe *p)
{
	register_range(p->fd, (uintptr_t)p->page,
		       (uintptr_t)p->page + page_size, SINGLE_COOKIE);
}

static void hit_cycle(struct probe *p)
{
	struct ummunotify_event ev[4];

	call_dontneed(p);
	if (read(p->fd, ev, sizeof(ev)) != 2 * sizeof(ev[0]))
		die("read of INVAL and LAST");
}

/* The probes of @fd; every one but P_SLOTHIT works on an empty file too. */
static void probes_init(struct probe *probes, const struct pages *pg, int fd)
{
	probes[P_SINGLE] = (struct probe) {
		.prepare = single_prepare, .call = single_call,
		.page = pg->single, .fd = fd,
	};
	probes[P_MISS] = (struct probe) {
		.prepare = drain_queue, .call = call_dontneed,
		.page = pg->miss, .fd = fd,
	};
	probes[P_HIT] = (struct probe) {
		.prepare = drain_queue, .call = hit_cycle,
		.page = pg->hit, .fd = fd,
	};
	probes[P_SLOTHIT] = (struct probe) {
		.prepare = drain_queue, .call = call_dontneed,
		.page = pg->slot, .fd = fd,
	};
}

/*
 * A process with its own file, in which the hit range is the only
 * registration (none while it measures misses).
 */
static void empty_worker_loop(int request, int reply, void *arg)
{
	const struct pages *pg = arg;
	struct probe probes[NR_PROBES];
	double ns;
	int fd, i;

	fd = open_generations();
	register_range(fd, (uintptr_t)pg->hit, (uintptr_t)pg->hit + page_size,
		       1);
	probes_init(probes, pg, fd);
	while (read(request, &i, sizeof(i)) == sizeof(i)) {
		/* A miss with nothing registered at all, as the "none". */
		if (i == P_MISS && probes[i].toggle++ == 0)
			unregister(fd, 1);
		if (i == P_HIT && probes[P_MISS].toggle) {
			register_range(fd, (uintptr_t)pg->hit,
				       (uintptr_t)pg->hit + page_size, 1);
			probes[P_MISS].toggle = 0;
		}
		ns = measure_batch(&probes[i]);
		if (write(reply, &ns, sizeof(ns)) != sizeof(ns))
			die("write");
	}
}

/* Medians of ours and of the empty file's, in alternating batches. */
static void measure_pair(struct worker *w, struct probe *p, int i,
			 double *mine, double *empty)
{
	double a[BATCHES], b[BATCHES];
	int n;

	for (n = 0; n < BATCHES; n++) {
		b[n] = w ? worker_batch(w, i) : 0;
		a[n] = measure_batch(p);
	}
	*mine = summarize(a, BATCHES).median_ns;
	*empty = summarize(b, BATCHES).median_ns;
}

static double check_ns(const volatile uint64_t *word)
{
	uint64_t t = now_ns(), sum = 0;
	int i;

	for (i = 0; i < CHECK_LOADS; i++)
		sum += __atomic_load_n(word, __ATOMIC_ACQUIRE);
	t = now_ns() - t;
	if (sum == 1)
		printf("#\n");
	return (double)t / CHECK_LOADS;
}

static void run_size(unsigned long n, char *reserve, const struct pages *pg,
		     struct worker *w)
{
	struct probe probes[NR_PROBES];
	double mine, empty, slot_ns;
	long mem_before, mem_after;
	const uint64_t *words;
	uint64_t t, start, bulk_ns = 0, null_ns = 0;
	unsigned long i, j, nulls = 0;
	uint32_t slot;
	int fd;

	mem_before = kernel_memory_kb();
	fd = open_generations();
	for (i = 0; i < n;) {
		unsigned long end = i + BULK_CHUNK < n ? i + BULK_CHUNK : n;

		t = now_ns();
		for (; i < end; i++) {
			start = (uintptr_t)reserve + 2 * i * page_size;
			register_range(fd, start, start + page_size, i + 1);
		}
		bulk_ns += now_ns() - t;
		t = now_ns();
		for (j = 0; j < BULK_CHUNK; j++)
			getppid();
		null_ns += now_ns() - t;
		nulls += BULK_CHUNK;
	}
	printf("%lu bulk %.1f %.2f\n", n, (double)bulk_ns / n,
	       ((double)bulk_ns / n) / ((double)null_ns / nulls));
	mem_after = kernel_memory_kb();
	printf("%lu memory %.1f\n", n, (mem_after - mem_before) * 1024.0 / n);

	register_range(fd, (uintptr_t)pg->low, (uintptr_t)pg->low + page_size,
		       ~0ull);
	register_range(fd, (uintptr_t)pg->hit, (uintptr_t)pg->hit + page_size,
		       ~0ull - 1);
	slot = register_slot(fd, (uintptr_t)pg->slot,
			     (uintptr_t)pg->slot + page_size, ~0ull - 2);
	probes_init(probes, pg, fd);

	measure_pair(w, &probes[P_SINGLE], P_SINGLE, &mine, &empty);
	printf("%lu single %.1f %.3f\n", n, mine, mine / empty);
	measure_pair(w, &probes[P_MISS], P_MISS, &mine, &empty);
	printf("%lu miss %.1f %.3f\n", n, mine, mine / empty);
	measure_pair(w, &probes[P_HIT], P_HIT, &mine, &empty);
	printf("%lu hit %.1f %.3f\n", n, mine, mine / empty);
	measure_pair(NULL, &probes[P_SLOTHIT], P_SLOTHIT, &slot_ns, &empty);
	probes[P_HIT].call = call_dontneed;
	measure_pair(NULL, &probes[P_HIT], P_HIT, &mine, &empty);
	printf("%lu slothit %.3f\n", n, slot_ns / mine);

	words = mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd,
		     UMMUNOTIFY_GENERATIONS_PGOFF * page_size);
	if (words == MAP_FAILED)
		die("mmap of the generation words");
	printf("%lu check %.2f\n", n, check_ns(&words[slot]));
	munmap((void *)words, page_size);

	t = now_ns();
	close(fd);
	printf("%lu close %.0f\n", n, (double)(now_ns() - t));
}

int main(void)
{
	struct probe getppid_probe = { .call = call_getppid };
	struct worker w;
	struct pages pg;
	char *reserve;
	unsigned int s;

	bench_setup();
	pg = pages_map();
	reserve = map_pages(2 * sizes[NR_SIZES - 1], PROT_NONE);
	w = worker_start(empty_worker_loop, &pg);
	printf("null %.1f\n", measure(&getppid_probe).median_ns);
	fflush(stdout);
	for (s = 0; s < NR_SIZES; s++) {
		run_size(sizes[s], reserve, &pg, &w);
		fflush(stdout);
	}
	worker_stop(&w);
	return 0;
}
