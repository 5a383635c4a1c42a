// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: UMMUNOTIFY_QUERY, a snapshot of the registrations, the
 * invalid queue and the counter that consumes nothing, and
 * UMMUNOTIFY_MONITOR_QUERY, the same snapshot for a monitor, stamped
 * with its record stream's seq. The snapshot is taken under the lock
 * into kernel buffers and copied out after.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>

#include "ummunotify_file.h"

struct ummunotify_snapshot {
	struct ummunotify_query_reg	*regs;
	u64				*queue;
	u32				nr_regs;
	u32				nr_queued;
	u32				queue_cap;
	u64				counter;
	u32				flags;
	/* For a monitor: its stream's position at the snapshot. */
	struct ummunotify_monitor	*monitor;
	u64				seq;
	u64				dropped;
};

static void ummunotify_snapshot_reg(const struct ummunotify_registration *reg,
				    struct ummunotify_query_reg *out,
				    u32 features)
{
	const struct ummunotify_hit *hit = &reg->hit;

	*out = (struct ummunotify_query_reg) {
		.start		= reg->start,
		.end		= reg->last + 1,
		.user_cookie	= reg->user_cookie,
		.state		= hit->state,
		.filter		= reg->filter,
	};
	if (!(hit->state & UMMUNOTIFY_QUERY_REG_QUEUED))
		return;
	if (features & UMMUNOTIFY_FEATURE_REASON)
		out->reason_flags =
			ummunotify_hit_event_flags(hit, features) & ~0xffU;
	if (hit->state & UMMUNOTIFY_QUERY_REG_HINT) {
		out->hint_start = hit->hint_start;
		out->hint_end = hit->hint_end;
	} else {
		out->hint_start = out->start;
		out->hint_end = out->end;
	}
}

/* -ENODEV if the monitor was detached: the registrations may be gone. */
static int ummunotify_snapshot_take(struct ummunotify_file *file,
				    struct ummunotify_snapshot *snap)
{
	struct ummunotify_registration *reg;
	struct rb_node *node;
	u32 i = 0;

	spin_lock(&file->lock);
	if (snap->monitor) {
		if (!ummunotify_monitor_attached(snap->monitor)) {
			spin_unlock(&file->lock);
			return -ENODEV;
		}
		snap->seq = file->monitors.seq;
		snap->dropped = snap->monitor->dropped;
	}
	if (snap->regs) {
		for (node = rb_first_cached(&file->tree); node;
		     node = rb_next(node)) {
			reg = rb_entry(node, struct ummunotify_registration, rb);
			ummunotify_snapshot_reg(reg, &snap->regs[i++],
						file->features);
		}
	}
	list_for_each_entry(reg, &file->invalid_queue, queue_node) {
		if (snap->nr_queued < snap->queue_cap)
			snap->queue[snap->nr_queued] = reg->user_cookie;
		snap->nr_queued++;
	}
	snap->counter = *file->counter;
	if (file->need_empty)
		snap->flags |= UMMUNOTIFY_QUERY_NEED_EMPTY;
	if (file->dead)
		snap->flags |= UMMUNOTIFY_QUERY_DEAD;
	spin_unlock(&file->lock);
	return 0;
}

static int ummunotify_query_reg_cmp(const void *a, const void *b)
{
	const struct ummunotify_query_reg *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->user_cookie != y->user_cookie)
		return x->user_cookie < y->user_cookie ? -1 : 1;
	return 0;
}

/* The tree is ordered by start only: order each run of equal starts. */
static void ummunotify_snapshot_sort(struct ummunotify_snapshot *snap)
{
	u32 i, run;

	for (i = 0; i < snap->nr_regs; i += run) {
		for (run = 1; i + run < snap->nr_regs &&
		     snap->regs[i + run].start == snap->regs[i].start; run++)
			;
		if (run > 1)
			sort(&snap->regs[i], run, sizeof(*snap->regs),
			     ummunotify_query_reg_cmp, NULL);
		cond_resched();
	}
}

/* Fills @query's outputs and the arrays it points to. */
static long ummunotify_query_fill(struct ummunotify_file *file,
				  struct ummunotify_query *query,
				  struct ummunotify_snapshot *snap)
{
	long ret = 0;

	/* Holding registration_mutex keeps the number of registrations. */
	mutex_lock(&file->registration_mutex);
	snap->nr_regs = file->nr_registrations;
	snap->queue_cap = min(query->queue_cap, snap->nr_regs);
	if (query->regs_cap && snap->nr_regs)
		snap->regs = kvmalloc_array(snap->nr_regs, sizeof(*snap->regs),
					    GFP_KERNEL_ACCOUNT);
	if (snap->queue_cap)
		snap->queue = kvmalloc_array(snap->queue_cap,
					     sizeof(*snap->queue),
					     GFP_KERNEL_ACCOUNT);
	if ((query->regs_cap && snap->nr_regs && !snap->regs) ||
	    (snap->queue_cap && !snap->queue))
		ret = -ENOMEM;
	else
		ret = ummunotify_snapshot_take(file, snap);
	mutex_unlock(&file->registration_mutex);
	if (ret)
		goto out;

	if (snap->regs) {
		ummunotify_snapshot_sort(snap);
		if (copy_to_user(u64_to_user_ptr(query->regs_ptr), snap->regs,
				 min(query->regs_cap, snap->nr_regs) *
				 sizeof(*snap->regs))) {
			ret = -EFAULT;
			goto out;
		}
	}
	if (snap->queue &&
	    copy_to_user(u64_to_user_ptr(query->queue_ptr), snap->queue,
			 min(snap->queue_cap, snap->nr_queued) *
			 sizeof(*snap->queue))) {
		ret = -EFAULT;
		goto out;
	}

	query->nr_regs = snap->nr_regs;
	query->nr_queued = snap->nr_queued;
	query->counter = snap->counter;
	query->flags = snap->flags;
out:
	kvfree(snap->queue);
	kvfree(snap->regs);
	return ret;
}

long ummunotify_query(struct ummunotify_file *file, void __user *arg)
{
	struct ummunotify_snapshot snap = {};
	struct ummunotify_query query;
	u32 features;
	long ret;

	if (copy_from_user(&query, arg, sizeof(query)))
		return -EFAULT;
	features = ummunotify_file_use(file);
	if (!(features & UMMUNOTIFY_FEATURE_QUERY) || query.reserved)
		return -EINVAL;
	ret = ummunotify_query_fill(file, &query, &snap);
	if (!ret && copy_to_user(arg, &query, sizeof(query)))
		ret = -EFAULT;
	return ret;
}

/* Whatever the owner negotiated, and without touching its file's rules. */
long ummunotify_query_monitor(struct ummunotify_monitor *mon,
			      void __user *arg)
{
	struct ummunotify_snapshot snap = { .monitor = mon };
	struct ummunotify_monitor_query mq;
	long ret;

	if (copy_from_user(&mq, arg, sizeof(mq)))
		return -EFAULT;
	if (mq.query.reserved)
		return -EINVAL;
	ret = ummunotify_query_fill(mon->file, &mq.query, &snap);
	if (ret)
		return ret;
	mq.seq = snap.seq;
	mq.dropped = snap.dropped;
	if (copy_to_user(arg, &mq, sizeof(mq)))
		return -EFAULT;
	return 0;
}
