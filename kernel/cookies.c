// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the cookie table, a hash table of the registrations by
 * cookie for UNREGISTER and duplicate detection, O(1) expected.
 *
 * It is the file's own and changes only under registration_mutex, which
 * every user of it holds, so it needs no locking, RCU or deferred
 * freeing of its own: a chain through each registration, at most one
 * registration per chain on average, doubled (and halved below one per
 * eight chains) by rehashing everything under the mutex. A failed
 * growth only makes chains longer.
 *
 * A table starts in runs: the low bits of the cookie pick its chain,
 * so cookies numbered one after the other (as libraries number their
 * registrations) lie in adjacent chains, eight to a cache line of chain
 * heads, each alone in its chain up to one registration per chain, and
 * a doubling, which splits chain i into i and i + the old size, meets
 * their registrations (allocated one after the other) in memory order:
 * REGISTER and growth walk memory in order instead of a random line per
 * registration. (Runs of 64 chains placed by Fibonacci hashing of the
 * cookie's upper bits did almost as well, but two runs still met: at a
 * million consecutive cookies, 23% of inserts walked a chain of one.)
 *
 * That hash is no secret, and cookies that agree in their low bits
 * crowd one chain, so the first insert that meets a long
 * chain ends the runs for the file: the table is rehashed on the whole
 * cookie, multiply-shift with a random odd multiplier per table, a
 * universal family: whatever cookies a process chooses, without knowing
 * the multiplier it cannot expect to pile them into one chain (look-ups
 * also run under the lock, in ummunotify_queue_requeue()). Before that,
 * no chain is longer than UMMUNOTIFY_COOKIES_LONG_CHAIN: inserts stop
 * there and doublings split chains; a halving, which joins them (and
 * could join many chains chosen to meet), ends the runs too.
 */

#include <linux/prefetch.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "ummunotify_file.h"

/* The smallest table: 64 chains. */
#define UMMUNOTIFY_COOKIES_MIN_BITS	6
/*
 * Longer chains end the runs. Consecutive cookies never make one (each
 * has a chain up to one registration per chain), random ones rarely
 * (about one chain of a million).
 */
#define UMMUNOTIFY_COOKIES_LONG_CHAIN	8

static u32 ummunotify_cookie_hash(const struct ummunotify_cookie_table *t,
				  u64 cookie)
{
	if (!t->runs)
		return (cookie * t->multiplier) >> (64 - t->bits);
	return (u32)cookie & (BIT(t->bits) - 1);
}

void ummunotify_cookies_init(struct ummunotify_cookie_table *t)
{
	*t = (struct ummunotify_cookie_table) {
		.multiplier = get_random_u64() | 1,
		.runs = true,
	};
}

/* The chains only; the registrations are freed by their owner. */
void ummunotify_cookies_destroy(struct ummunotify_cookie_table *t)
{
	kvfree(t->chains);
	t->chains = NULL;
}

struct ummunotify_registration *
ummunotify_cookies_lookup(const struct ummunotify_cookie_table *t, u64 cookie)
{
	struct ummunotify_registration *reg;

	if (!t->chains)
		return NULL;
	for (reg = t->chains[ummunotify_cookie_hash(t, cookie)]; reg;
	     reg = reg->cookie_next) {
		if (reg->user_cookie == cookie)
			return reg;
	}
	return NULL;
}

/* Rehashes into 2^@bits chains, in runs or not. */
static int ummunotify_cookies_resize(struct ummunotify_cookie_table *t,
				     unsigned int bits, bool runs)
{
	struct ummunotify_registration **chains, **old = t->chains;
	struct ummunotify_registration *reg, *next;
	unsigned int old_nr = old ? 1U << t->bits : 0;
	unsigned int i;
	u32 h;

	chains = kvcalloc(1UL << bits, sizeof(*chains), GFP_KERNEL_ACCOUNT);
	if (!chains)
		return -ENOMEM;
	t->chains = chains;
	t->bits = bits;
	t->runs = runs;
	for (i = 0; i < old_nr; i++) {
		for (reg = old[i]; reg; reg = next) {
			next = reg->cookie_next;
			prefetch(next);
			h = ummunotify_cookie_hash(t, reg->user_cookie);
			reg->cookie_next = chains[h];
			chains[h] = reg;
		}
		if (!(i & 1023))
			cond_resched();
	}
	kvfree(old);
	return 0;
}

/*
 * A long chain: cookies crowding some chains, which the whole cookie's
 * hash spreads. If that table cannot be had now, the
 * next long chain tries again.
 */
static void ummunotify_cookies_spread(struct ummunotify_cookie_table *t)
{
	ummunotify_cookies_resize(t, t->bits, 0);
}

/* -EEXIST if the cookie is in use, -ENOMEM if there is no table. */
int ummunotify_cookies_insert(struct ummunotify_cookie_table *t,
			      struct ummunotify_registration *reg)
{
	struct ummunotify_registration *other;
	unsigned int len = 0;
	u32 h;

	if (!t->chains &&
	    ummunotify_cookies_resize(t, UMMUNOTIFY_COOKIES_MIN_BITS, t->runs))
		return -ENOMEM;
	h = ummunotify_cookie_hash(t, reg->user_cookie);
	for (other = t->chains[h]; other; other = other->cookie_next) {
		if (other->user_cookie == reg->user_cookie)
			return -EEXIST;
		len++;
	}
	/* The chain moves only if the table was rehashed. */
	if (unlikely(t->runs && len >= UMMUNOTIFY_COOKIES_LONG_CHAIN)) {
		ummunotify_cookies_spread(t);
		h = ummunotify_cookie_hash(t, reg->user_cookie);
	}
	if (unlikely(t->nr >= 1U << t->bits && t->bits < 31)) {
		ummunotify_cookies_resize(t, t->bits + 1, t->runs);
		h = ummunotify_cookie_hash(t, reg->user_cookie);
	}
	reg->cookie_next = t->chains[h];
	t->chains[h] = reg;
	t->nr++;
	return 0;
}

void ummunotify_cookies_remove(struct ummunotify_cookie_table *t,
			       struct ummunotify_registration *reg)
{
	struct ummunotify_registration **pp =
		&t->chains[ummunotify_cookie_hash(t, reg->user_cookie)];

	while (*pp != reg)
		pp = &(*pp)->cookie_next;
	*pp = reg->cookie_next;
	t->nr--;
	/* A failure keeps the bigger table. */
	if (t->bits > UMMUNOTIFY_COOKIES_MIN_BITS && t->nr < (1U << t->bits) / 8)
		ummunotify_cookies_resize(t, t->bits - 1, false);
}
