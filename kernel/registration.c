// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the registration index. An interval tree finds the
 * registrations an invalidation overlaps in O(log n + k); a hash table
 * finds a registration by its cookie in O(1) expected. The miss check
 * (blocks.c) is kept in step with the tree here.
 *
 * Registrations mostly come in rising address order (a heap, the
 * benchmarks), and an insert at the right end of the tree would descend
 * its right spine, the longest path of a red-black tree grown that way
 * (37 nodes at 1M), raising every node's subtree_last on the way. So the
 * nodes of the right spine may carry ULONG_MAX in subtree_last instead
 * of their subtree's largest last, and an insert at the right end starts
 * from the cached rightmost node and sets ULONG_MAX upward only until a
 * node has it already: O(1) amortized. Searches stay exact: a search
 * reaches a spine node only as a right child (or the root), where a
 * bound too high only makes it look further down the spine; it follows
 * a left child by its subtree_last, and left children and their subtrees
 * are never on the spine, so those values are exact (a rotation that
 * takes a node off the spine recomputes it from its children). Every
 * node's subtree_last is still at least its children's, so the walk up
 * can stop at the first ULONG_MAX. The span of the registrations, which
 * the root's subtree_last gave, is kept in max_last.
 */

#include <linux/interval_tree_generic.h>
#include <linux/mm.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include "ummunotify_file.h"

#define REG_START(reg) ((reg)->start)
#define REG_LAST(reg) ((reg)->last)

INTERVAL_TREE_DEFINE(struct ummunotify_registration, rb, unsigned long,
		     subtree_last, REG_START, REG_LAST, static,
		     ummunotify_itree)

/* ULONG_MAX on @node, on the right spine, and its ancestors. */
static void ummunotify_tree_mark_spine(struct ummunotify_registration *node)
{
	struct rb_node *rb;

	for (rb = &node->rb; rb; rb = rb_parent(rb)) {
		node = rb_entry(rb, struct ummunotify_registration, rb);
		if (node->subtree_last == ULONG_MAX)
			break;
		node->subtree_last = ULONG_MAX;
	}
}

/* Under the lock and registration_mutex: see the top of the file. */
static void ummunotify_tree_insert(struct ummunotify_file *file,
				   struct ummunotify_registration *reg)
{
	struct ummunotify_registration *right = file->rightmost;

	if (file->max_last < reg->last)
		file->max_last = reg->last;
	if (!right || reg->start < right->start) {
		ummunotify_itree_insert(reg, &file->tree);
		if (!right)
			file->rightmost = reg;
		return;
	}
	/* Where the descent would go: right at every node, equal starts too. */
	ummunotify_tree_mark_spine(right);
	reg->subtree_last = reg->last;
	rb_link_node(&reg->rb, &right->rb, &right->rb.rb_right);
	rb_insert_augmented_cached(&reg->rb, &file->tree, false,
				   &ummunotify_itree_augment);
	file->rightmost = reg;
}

/*
 * Under the lock and registration_mutex. Removing the rightmost node
 * recomputes the spine exactly (the erase propagates up from its
 * parent); marking it again while it is in the cache keeps the next
 * insert at the right end from walking it cold.
 */
static void ummunotify_tree_remove(struct ummunotify_file *file,
				   struct ummunotify_registration *reg)
{
	struct rb_node *prev;

	if (file->rightmost != reg) {
		ummunotify_itree_remove(reg, &file->tree);
		return;
	}
	prev = rb_prev(&reg->rb);
	file->rightmost = prev ? rb_entry(prev, struct ummunotify_registration,
					  rb) : NULL;
	ummunotify_itree_remove(reg, &file->tree);
	if (file->rightmost)
		ummunotify_tree_mark_spine(file->rightmost);
	else
		file->max_last = 0;	/* a bound until then, now exact */
}

/* Registrations freed at once by ummunotify_registrations_destroy(). */
#define UMMUNOTIFY_FREE_BATCH	64

void ummunotify_registrations_init(struct ummunotify_file *file)
{
	ummunotify_blocks_init(file);
	ummunotify_cookies_init(&file->cookies);
}

/*
 * Only once the notifier is unregistered: nothing else looks at the tree,
 * the queue or the tables. The tree is taken apart in post-order, which
 * rebalances nothing and meets the registrations in about address order,
 * so that neighbours in a slab are freed in one batch; it reschedules
 * between batches, so a million registrations do not stall the CPU.
 */
void ummunotify_registrations_destroy(struct ummunotify_file *file)
{
	struct ummunotify_registration *batch[UMMUNOTIFY_FREE_BATCH];
	struct ummunotify_registration *reg, *next;
	size_t nr = 0;

	rbtree_postorder_for_each_entry_safe(reg, next, &file->tree.rb_root,
					     rb) {
		batch[nr++] = reg;
		if (nr == UMMUNOTIFY_FREE_BATCH) {
			ummunotify_registrations_free_bulk(batch, nr);
			nr = 0;
			cond_resched();
		}
	}
	ummunotify_registrations_free_bulk(batch, nr);
	ummunotify_spare_regs_free(&file->spare);
	file->tree = RB_ROOT_CACHED;
	file->rightmost = NULL;
	file->max_last = 0;
	ummunotify_cookies_destroy(&file->cookies);
	ummunotify_blocks_destroy(file);
}

struct ummunotify_registration *
ummunotify_registration_lookup(struct ummunotify_file *file, u64 cookie)
{
	lockdep_assert_held(&file->registration_mutex);
	return ummunotify_cookies_lookup(&file->cookies, cookie);
}

/*
 * Tree walks, under the lock or under registration_mutex (which every
 * change of the tree holds too).
 */
struct ummunotify_registration *
ummunotify_registration_first_overlap(struct ummunotify_file *file,
				      unsigned long start, unsigned long last)
{
	return ummunotify_itree_iter_first(&file->tree, start, last);
}

struct ummunotify_registration *
ummunotify_registration_next_overlap(struct ummunotify_registration *reg,
				     unsigned long start, unsigned long last)
{
	return ummunotify_itree_iter_next(reg, start, last);
}

/*
 * A file that did not negotiate ignores flags and reserved, as the 2010
 * driver did: Open MPI 1.5-1.10 leaves flags uninitialized and ignores
 * what REGISTER returns, so refusing it would leave its cache unprotected.
 */
static int
ummunotify_registration_validate(const struct ummunotify_register_ioctl *parm,
				 u32 features, bool strict)
{
	if (parm->start >= parm->end || parm->end > TASK_SIZE)
		return -EINVAL;
	if (!strict)
		return 0;
	if (parm->reserved)
		return -EINVAL;
	if (!(features & UMMUNOTIFY_FEATURE_FILTER))
		return parm->flags ? -EINVAL : 0;
	return parm->flags & ~UMMUNOTIFY_REASON_VALID_MASK ? -EINVAL : 0;
}

/*
 * Adds a registration. With @out, it also gets a slot, and @out the slot
 * and its generation as the registration became visible to the notifier.
 */
static __always_inline long
ummunotify_register(struct ummunotify_file *file,
		    const struct ummunotify_register_ioctl *parm, u32 features,
		    struct ummunotify_register_slot *out)
{
	struct ummunotify_registration *reg;
	struct ummunotify_blocks_op op;
	bool large;
	int ret;

	large = ummunotify_blocks_is_large(parm->start, parm->end - 1);
	mutex_lock(&file->registration_mutex);
	ret = -ENOSPC;
	if (file->nr_registrations >= READ_ONCE(ummunotify_max_registrations))
		goto err_unlock;
	ret = -ENOMEM;
	reg = ummunotify_registration_alloc(&file->spare, large);
	if (!reg)
		goto err_unlock;
	/*
	 * Field by field, not as a compound literal: that clears all of it
	 * first (a rep stos, slow under emulation), although rb,
	 * subtree_last and cookie_next are set when it is linked.
	 */
	reg->start = parm->start;
	reg->last = parm->end - 1;
	reg->user_cookie = parm->user_cookie;
	reg->filter = features & UMMUNOTIFY_FEATURE_FILTER ? parm->flags : 0;
	reg->large = large;
	reg->slot = UMMUNOTIFY_NO_SLOT;
	INIT_LIST_HEAD(&reg->queue_node);
	reg->hit = (struct ummunotify_hit) {};

	if (out) {
		ret = ummunotify_slot_alloc(file, &reg->slot);
		if (ret)
			goto err_free;
	}
	ret = ummunotify_cookies_insert(&file->cookies, reg);
	if (ret) {
		ret = ret == -EEXIST ? -EINVAL : -ENOMEM;
		goto err_slot;
	}
	ret = ummunotify_blocks_prepare_add(file, reg, &op);
	if (ret) {
		ummunotify_cookies_remove(&file->cookies, reg);
		goto err_slot;
	}
	spin_lock(&file->lock);
	ummunotify_tree_insert(file, reg);
	ummunotify_blocks_add(file, reg, &op);
	if (ummunotify_monitored(file))
		ummunotify_monitors_register(file, reg);
	if (out) {
		out->slot = reg->slot;
		out->generation = *ummunotify_generation_word(file, reg->slot);
	}
	spin_unlock(&file->lock);
	file->nr_registrations++;
	mutex_unlock(&file->registration_mutex);
	return 0;

err_slot:
	if (out)
		ummunotify_slot_free(file, reg->slot);
err_free:
	ummunotify_registration_free(&file->spare, reg);
err_unlock:
	mutex_unlock(&file->registration_mutex);
	return ret;
}

long ummunotify_register_region(struct ummunotify_file *file,
				void __user *arg)
{
	struct ummunotify_register_ioctl parm;
	u32 features;
	int ret;

	if (copy_from_user(&parm, arg, sizeof(parm)))
		return -EFAULT;
	features = ummunotify_file_use(file);
	ret = ummunotify_registration_validate(&parm, features,
					       ummunotify_file_strict(file));
	if (ret)
		return ret;
	return ummunotify_register(file, &parm, features, NULL);
}

/*
 * Removes the registration of @cookie; with @only, only if it is that
 * one. A registration with a slot gets its last bump before the slot
 * can be reused (uapi header, "Generations").
 */
static long ummunotify_unregister(struct ummunotify_file *file, u64 cookie,
				  const struct ummunotify_registration *only)
{
	struct ummunotify_registration *reg;
	struct ummunotify_blocks_op op;

	mutex_lock(&file->registration_mutex);
	reg = ummunotify_registration_lookup(file, cookie);
	if (!reg || (only && reg != only)) {
		mutex_unlock(&file->registration_mutex);
		return -EINVAL;
	}
	ummunotify_cookies_remove(&file->cookies, reg);
	ummunotify_blocks_prepare_del(file, reg, &op);
	spin_lock(&file->lock);
	ummunotify_tree_remove(file, reg);
	ummunotify_blocks_del(file, reg, &op);
	if (ummunotify_monitored(file))
		ummunotify_monitors_unregister(file, reg, reg->hit.state &
					       UMMUNOTIFY_QUERY_REG_QUEUED);
	ummunotify_queue_remove(file, reg);
	ummunotify_generation_bump(file, reg);
	spin_unlock(&file->lock);
	ummunotify_blocks_finish_del(file, &op);
	if (reg->slot != UMMUNOTIFY_NO_SLOT)
		ummunotify_slot_free(file, reg->slot);
	file->nr_registrations--;
	ummunotify_registration_free(&file->spare, reg);
	mutex_unlock(&file->registration_mutex);
	return 0;
}

long ummunotify_unregister_region(struct ummunotify_file *file,
				  u64 __user *arg)
{
	u64 cookie;

	if (get_user(cookie, arg))
		return -EFAULT;
	ummunotify_file_settle(file);
	return ummunotify_unregister(file, cookie, NULL);
}

/*
 * REGISTER_REGION on a negotiated file, plus a slot. The result cannot
 * be copied out while registration_mutex is held: if that copy fails,
 * the registration is taken back and nothing is left registered.
 */
long ummunotify_register_slot(struct ummunotify_file *file,
			      struct ummunotify_register_slot __user *arg)
{
	struct ummunotify_registration *reg;
	struct ummunotify_register_slot parm;
	u32 features;
	long ret;

	if (copy_from_user(&parm, arg, sizeof(parm)))
		return -EFAULT;
	features = ummunotify_file_use(file);
	if (!(features & UMMUNOTIFY_FEATURE_GENERATIONS) || parm.reserved)
		return -EINVAL;
	ret = ummunotify_registration_validate(&parm.region, features, true);
	if (ret)
		return ret;
	ret = ummunotify_register(file, &parm.region, features, &parm);
	if (ret)
		return ret;
	if (!copy_to_user(arg, &parm, sizeof(parm)))
		return 0;

	mutex_lock(&file->registration_mutex);
	reg = ummunotify_registration_lookup(file, parm.region.user_cookie);
	if (reg && reg->slot != parm.slot)
		reg = NULL;
	mutex_unlock(&file->registration_mutex);
	if (reg)
		ummunotify_unregister(file, parm.region.user_cookie, reg);
	return -EFAULT;
}
