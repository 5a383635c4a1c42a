// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the miss check. Most invalidations overlap no registration,
 * and with a million registrations the interval tree takes a descent of
 * some twenty nodes, each a cache miss, to say so. The miss check says it
 * from two smaller structures, and only where it cannot does the notifier
 * walk the tree, so what the notifier reports never depends on it:
 *
 *   - the block map: for each 2 MiB block (UMMUNOTIFY_BLOCK_PAGES pages)
 *     touched by a small registration, a bit per page that may be touched
 *     by one, in a hash table keyed by the block number;
 *   - the large tree: an interval tree of the large registrations only,
 *     usually a handful.
 *
 * A bit is set whenever a small registration touching its page is added.
 * On UNREGISTER it is cleared unless another small registration touches
 * the page, which a bounded walk of the tree checks in the blocks where
 * two ever shared a page; a block goes when its last small registration
 * does. A bit left set with nothing behind it (the walk gave up) only
 * sends the notifier to the tree.
 *
 * The hash table is the file's own, so that the notifier's look-up is a
 * multiplication and a short chain, with no RCU: blocks are linked and
 * unlinked with the lock held, and freed after it is released. It grows
 * and shrinks by building a new table under registration_mutex alone,
 * through the second chain pointer of every block, and swapping it in
 * under the lock.
 */

#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/interval_tree_generic.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "ummunotify_file.h"

/* An invalidation touching more blocks than this goes to the tree. */
#define UMMUNOTIFY_CHECK_BLOCKS		4
/* Registrations UNREGISTER looks at before leaving a block's bits set. */
#define UMMUNOTIFY_DROP_WALK_MAX	64
/* The block map's smallest table: 64 chains. */
#define UMMUNOTIFY_MAP_MIN_BITS		6

#define LARGE_START(lreg) ((lreg)->reg.start)
#define LARGE_LAST(lreg) ((lreg)->reg.last)

INTERVAL_TREE_DEFINE(struct ummunotify_large_registration, rb, unsigned long,
		     subtree_last, LARGE_START, LARGE_LAST, static inline,
		     ummunotify_large)

static struct ummunotify_large_registration *
ummunotify_large(struct ummunotify_registration *reg)
{
	return container_of(reg, struct ummunotify_large_registration, reg);
}

void ummunotify_blocks_init(struct ummunotify_file *file)
{
	file->large = RB_ROOT_CACHED;
	file->blocks = (struct ummunotify_block_map) {};
}

/*
 * Only once the notifier is unregistered. The large tree's nodes belong
 * to the registrations, freed with them.
 */
void ummunotify_blocks_destroy(struct ummunotify_file *file)
{
	struct ummunotify_block_map *map = &file->blocks;
	struct ummunotify_block *blk, *next;
	unsigned long i;

	if (!map->table)
		return;
	for (i = 0; i < BIT(map->bits); i++) {
		for (blk = map->table[i]; blk; blk = next) {
			next = blk->next[map->gen];
			kfree(blk);
		}
		if (!(i & 1023))
			cond_resched();
	}
	kvfree(map->table);
	map->hint = NULL;
}

/* Under the lock or registration_mutex. */
static struct ummunotify_block *
ummunotify_block_lookup(const struct ummunotify_block_map *map,
			unsigned long index)
{
	struct ummunotify_block *blk;

	if (!map->table)
		return NULL;
	for (blk = map->table[hash_long(index, map->bits)]; blk;
	     blk = blk->next[map->gen]) {
		if (blk->index == index)
			return blk;
	}
	return NULL;
}

/* Under registration_mutex: the hint first, then the hash table. */
static struct ummunotify_block *
ummunotify_block_find(const struct ummunotify_block_map *map,
		      unsigned long index)
{
	struct ummunotify_block *blk = map->hint;

	if (blk && blk->index == index)
		return blk;
	return ummunotify_block_lookup(map, index);
}

/* Under the lock and registration_mutex. */
static void ummunotify_block_link(struct ummunotify_block_map *map,
				  struct ummunotify_block *blk)
{
	struct ummunotify_block **head =
		&map->table[hash_long(blk->index, map->bits)];

	blk->next[map->gen] = *head;
	*head = blk;
}

/* Under the lock and registration_mutex. */
static void ummunotify_block_unlink(struct ummunotify_block_map *map,
				    struct ummunotify_block *blk)
{
	struct ummunotify_block **pp =
		&map->table[hash_long(blk->index, map->bits)];

	while (*pp != blk)
		pp = &(*pp)->next[map->gen];
	*pp = blk->next[map->gen];
}

/*
 * Under registration_mutex: a table of 1 << @bits chains with every block,
 * built through the chain pointers the notifier does not follow, then
 * swapped in under the lock.
 */
static int ummunotify_block_map_resize(struct ummunotify_file *file,
				       unsigned int bits)
{
	struct ummunotify_block_map *map = &file->blocks;
	struct ummunotify_block **table, **old = map->table;
	unsigned int gen = map->gen ^ 1;
	struct ummunotify_block *blk;
	unsigned long i, h;

	lockdep_assert_held(&file->registration_mutex);
	table = kvcalloc(BIT(bits), sizeof(*table), GFP_KERNEL_ACCOUNT);
	if (!table)
		return -ENOMEM;
	for (i = 0; old && i < BIT(map->bits); i++) {
		for (blk = old[i]; blk; blk = blk->next[map->gen]) {
			h = hash_long(blk->index, bits);
			blk->next[gen] = table[h];
			table[h] = blk;
		}
		if (!(i & 1023))
			cond_resched();
	}
	spin_lock(&file->lock);
	map->table = table;
	map->bits = bits;
	map->gen = gen;
	spin_unlock(&file->lock);
	kvfree(old);
	return 0;
}

/* The pages [*first, *end) of @blk that the bytes [start, last] touch. */
static void ummunotify_block_span(const struct ummunotify_block *blk,
				  unsigned long start, unsigned long last,
				  unsigned int *first, unsigned int *end)
{
	unsigned long base = blk->index << UMMUNOTIFY_BLOCK_ORDER;

	*first = max(start >> PAGE_SHIFT, base) - base;
	*end = min(last >> PAGE_SHIFT,
		   base + UMMUNOTIFY_BLOCK_PAGES - 1) - base + 1;
}

static __always_inline bool
ummunotify_block_any(const struct ummunotify_block *blk, unsigned int first,
		     unsigned int end)
{
	if (end - first == 1)
		return test_bit(first, blk->pages);
	return find_next_bit(blk->pages, end, first) < end;
}

/*
 * False only if no registration overlaps [start, last]. Called by the
 * notifier with the lock held; never sleeps or allocates.
 */
bool ummunotify_blocks_may_overlap(struct ummunotify_file *file,
				   unsigned long start, unsigned long last)
{
	unsigned long index = start >> UMMUNOTIFY_BLOCK_SHIFT;
	unsigned long last_index = last >> UMMUNOTIFY_BLOCK_SHIFT;
	struct rb_node *root = file->tree.rb_root.rb_node;
	struct ummunotify_registration *reg;
	struct ummunotify_block *blk;
	unsigned int first, end;

	lockdep_assert_held(&file->lock);
	/*
	 * Outside the span of every registration (max_last, not the root's
	 * subtree_last, which may be ULONG_MAX: registration.c).
	 */
	if (!root || file->max_last < start)
		return false;
	reg = rb_entry(rb_first_cached(&file->tree),
		       struct ummunotify_registration, rb);
	if (reg->start > last)
		return false;

	if (last_index - index >= UMMUNOTIFY_CHECK_BLOCKS)
		return true;
	if (ummunotify_large_iter_first(&file->large, start, last))
		return true;
	for (; index <= last_index; index++) {
		blk = ummunotify_block_lookup(&file->blocks, index);
		if (!blk)
			continue;
		ummunotify_block_span(blk, start, last, &first, &end);
		if (ummunotify_block_any(blk, first, end))
			return true;
	}
	return false;
}

/*
 * REGISTER, under registration_mutex: finds the blocks a small
 * registration touches, allocates those not in the map yet and makes room
 * for them. Nothing is visible to the notifier before
 * ummunotify_blocks_add().
 */
int ummunotify_blocks_prepare_add(struct ummunotify_file *file,
				  const struct ummunotify_registration *reg,
				  struct ummunotify_blocks_op *op)
{
	struct ummunotify_block_map *map = &file->blocks;
	unsigned long index = reg->start >> UMMUNOTIFY_BLOCK_SHIFT;
	unsigned long last_index = reg->last >> UMMUNOTIFY_BLOCK_SHIFT;
	struct ummunotify_block *blk;
	unsigned int i;

	lockdep_assert_held(&file->registration_mutex);
	op->nr = 0;
	op->fresh = 0;
	if (reg->large)
		return 0;
	for (; index <= last_index; index++) {
		blk = ummunotify_block_find(map, index);
		if (!blk) {
			blk = kzalloc(sizeof(*blk), GFP_KERNEL_ACCOUNT);
			if (!blk)
				goto err;
			blk->index = index;
			op->fresh |= BIT(op->nr);
		}
		op->blocks[op->nr++] = blk;
	}
	if (!op->fresh)
		return 0;
	/* At most one block per chain on average; a failed growth only slows. */
	if (!map->table) {
		if (ummunotify_block_map_resize(file, UMMUNOTIFY_MAP_MIN_BITS))
			goto err;
	} else if (map->nr + hweight32(op->fresh) > BIT(map->bits)) {
		ummunotify_block_map_resize(file, map->bits + 1);
	}
	return 0;

err:
	for (i = 0; i < op->nr; i++) {
		if (op->fresh & BIT(i))
			kfree(op->blocks[i]);
	}
	return -ENOMEM;
}

/* REGISTER, under the lock, with the registration in the tree. */
void ummunotify_blocks_add(struct ummunotify_file *file,
			   struct ummunotify_registration *reg,
			   struct ummunotify_blocks_op *op)
{
	struct ummunotify_block *blk;
	unsigned int i, first, end;

	lockdep_assert_held(&file->lock);
	if (reg->large) {
		ummunotify_large_insert(ummunotify_large(reg), &file->large);
		return;
	}
	for (i = 0; i < op->nr; i++) {
		blk = op->blocks[i];
		if (op->fresh & BIT(i)) {
			ummunotify_block_link(&file->blocks, blk);
			file->blocks.nr++;
		}
		blk->nr++;
		ummunotify_block_span(blk, reg->start, reg->last, &first, &end);
		if (!blk->shared && ummunotify_block_any(blk, first, end))
			blk->shared = true;
		if (end - first == 1)
			__set_bit(first, blk->pages);
		else
			bitmap_set(blk->pages, first, end - first);
	}
	if (op->nr)
		file->blocks.hint = op->blocks[op->nr - 1];
}

/*
 * UNREGISTER, under registration_mutex: the blocks a small registration
 * touches.
 */
void ummunotify_blocks_prepare_del(struct ummunotify_file *file,
				   const struct ummunotify_registration *reg,
				   struct ummunotify_blocks_op *op)
{
	unsigned long index = reg->start >> UMMUNOTIFY_BLOCK_SHIFT;
	unsigned long last_index = reg->last >> UMMUNOTIFY_BLOCK_SHIFT;
	struct ummunotify_block *blk;

	lockdep_assert_held(&file->registration_mutex);
	op->nr = 0;
	if (reg->large)
		return;
	for (; index <= last_index; index++) {
		blk = ummunotify_block_find(&file->blocks, index);
		if (!WARN_ON_ONCE(!blk || !blk->nr))
			op->blocks[op->nr++] = blk;
	}
}

/*
 * Clears the pages [first, end) of @blk that no small registration in the
 * tree touches any more. Looks at UMMUNOTIFY_DROP_WALK_MAX registrations
 * at most, and clears nothing if that was not enough to tell.
 */
static noinline void ummunotify_block_drop_shared(struct ummunotify_file *file,
						  struct ummunotify_block *blk,
						  unsigned int first,
						  unsigned int end)
{
	DECLARE_BITMAP(drop, UMMUNOTIFY_BLOCK_PAGES);
	unsigned long base = blk->index << UMMUNOTIFY_BLOCK_ORDER;
	unsigned long lo = (base + first) << PAGE_SHIFT;
	unsigned long hi = ((base + end - 1) << PAGE_SHIFT) | ~PAGE_MASK;
	struct ummunotify_registration *other;
	unsigned int from, to, seen = 0;

	bitmap_zero(drop, UMMUNOTIFY_BLOCK_PAGES);
	bitmap_set(drop, first, end - first);
	for (other = ummunotify_registration_first_overlap(file, lo, hi);
	     other;
	     other = ummunotify_registration_next_overlap(other, lo, hi)) {
		if (++seen > UMMUNOTIFY_DROP_WALK_MAX)
			return;
		if (other->large)
			continue;
		ummunotify_block_span(blk, other->start, other->last,
				      &from, &to);
		from = max(from, first);
		to = min(to, end);
		bitmap_clear(drop, from, to - from);
		if (find_next_bit(drop, end, first) >= end)
			return;
	}
	bitmap_andnot(blk->pages, blk->pages, drop, UMMUNOTIFY_BLOCK_PAGES);
}

/*
 * UNREGISTER, under the lock, with the registration out of the tree:
 * clears the bits of the pages no other small registration touches,
 * which needs a walk of the tree only where two ever shared a page.
 * Emptied blocks leave the map here and are freed by
 * ummunotify_blocks_finish_del() once the lock is released.
 */
void ummunotify_blocks_del(struct ummunotify_file *file,
			   struct ummunotify_registration *reg,
			   struct ummunotify_blocks_op *op)
{
	struct ummunotify_block *blk;
	unsigned int i, first, end;

	lockdep_assert_held(&file->lock);
	if (reg->large) {
		ummunotify_large_remove(ummunotify_large(reg), &file->large);
		return;
	}
	for (i = 0; i < op->nr; i++) {
		blk = op->blocks[i];
		if (!--blk->nr) {
			ummunotify_block_unlink(&file->blocks, blk);
			file->blocks.nr--;
			if (file->blocks.hint == blk)
				file->blocks.hint = NULL;
			continue;
		}
		ummunotify_block_span(blk, reg->start, reg->last, &first, &end);
		if (blk->shared)
			ummunotify_block_drop_shared(file, blk, first, end);
		else if (end - first == 1)
			__clear_bit(first, blk->pages);
		else
			bitmap_clear(blk->pages, first, end - first);
	}
}

/* UNREGISTER, under registration_mutex, after the lock. */
void ummunotify_blocks_finish_del(struct ummunotify_file *file,
				  struct ummunotify_blocks_op *op)
{
	struct ummunotify_block_map *map = &file->blocks;
	unsigned int i;

	for (i = 0; i < op->nr; i++) {
		if (!op->blocks[i]->nr)
			kfree(op->blocks[i]);
	}
	/* Shrink at one block per 8 chains; a failure keeps the table. */
	if (map->bits > UMMUNOTIFY_MAP_MIN_BITS &&
	    map->nr < BIT(map->bits) / 8)
		ummunotify_block_map_resize(file, map->bits - 1);
}
