// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the invalid queue. A registration is queued at most once,
 * in order of first hit; further hits before it is read only widen its
 * hint (or drop it) and add reasons. Every function here but requeue
 * runs with the file's lock held.
 */

#include <linux/minmax.h>

#include "ummunotify_file.h"

#define HIT_QUEUED	UMMUNOTIFY_QUERY_REG_QUEUED
#define HIT_HINT	UMMUNOTIFY_QUERY_REG_HINT
#define HIT_HINT_UNION	UMMUNOTIFY_QUERY_REG_HINT_UNION

/* Merge @newer into @hit, which was recorded first. */
static void ummunotify_hit_merge(struct ummunotify_hit *hit,
				 const struct ummunotify_hit *newer,
				 u32 features)
{
	hit->reason_mask |= newer->reason_mask;
	if (!(features & UMMUNOTIFY_FEATURE_HINT_UNION)) {
		hit->state &= ~HIT_HINT;
		return;
	}
	hit->hint_start = min(hit->hint_start, newer->hint_start);
	hit->hint_end = max(hit->hint_end, newer->hint_end);
	hit->state |= HIT_HINT | HIT_HINT_UNION;
}

void ummunotify_queue_hit(struct ummunotify_file *file,
			  struct ummunotify_registration *reg,
			  unsigned long start, unsigned long end, u8 reason)
{
	struct ummunotify_hit hit = {
		.hint_start	= max(start, reg->start),
		.hint_end	= min(end, reg->last + 1),
		.state		= HIT_QUEUED | HIT_HINT,
		.first_reason	= reason,
		.reason_mask	= BIT(reason),
	};

	lockdep_assert_held(&file->lock);
	if (reg->hit.state & HIT_QUEUED) {
		ummunotify_hit_merge(&reg->hit, &hit, file->features);
		return;
	}
	reg->hit = hit;
	list_add_tail(&reg->queue_node, &file->invalid_queue);
	file->nr_queued++;
}

void ummunotify_queue_remove(struct ummunotify_file *file,
			     struct ummunotify_registration *reg)
{
	lockdep_assert_held(&file->lock);
	if (reg->hit.state & HIT_QUEUED) {
		list_del_init(&reg->queue_node);
		file->nr_queued--;
	}
	reg->hit.state = 0;
}

/*
 * Take up to @max reports off the queue, ending with LAST when the queue
 * drains after INVAL reports were taken (by this or an earlier read).
 */
unsigned int ummunotify_queue_pop(struct ummunotify_file *file,
				  struct ummunotify_report *reports,
				  unsigned int max)
{
	struct ummunotify_registration *reg;
	unsigned int n = 0;
	bool last = false;

	spin_lock(&file->lock);
	while (n < max && ummunotify_file_readable(file)) {
		struct ummunotify_report *report = &reports[n++];

		reg = list_first_entry_or_null(&file->invalid_queue,
					       struct ummunotify_registration,
					       queue_node);
		if (!reg) {
			report->type = UMMUNOTIFY_EVENT_TYPE_LAST;
			report->user_cookie_counter = *file->counter;
			WRITE_ONCE(file->need_empty, false);
			last = true;
			break;
		}
		report->type = UMMUNOTIFY_EVENT_TYPE_INVAL;
		report->user_cookie_counter = reg->user_cookie;
		report->start = reg->start;
		report->end = reg->last + 1;
		report->hit = reg->hit;
		list_del_init(&reg->queue_node);
		file->nr_queued--;
		reg->hit.state = 0;
		WRITE_ONCE(file->need_empty, true);
	}
	if (n && ummunotify_monitored(file))
		ummunotify_monitors_read(file, n - last, last, false);
	spin_unlock(&file->lock);
	return n;
}

/*
 * Put back reports that never reached the user, at the head and in their
 * order. A registration may have been unregistered meanwhile (skip it)
 * or hit again (the older report comes first; merge as a second hit).
 */
void ummunotify_queue_requeue(struct ummunotify_file *file,
			      const struct ummunotify_report *reports,
			      unsigned int n, bool need_empty_before)
{
	struct ummunotify_registration *reg;
	bool need_empty = need_empty_before;
	bool last = false;
	unsigned int i;

	mutex_lock(&file->registration_mutex);
	spin_lock(&file->lock);
	for (i = n; i-- > 0;) {
		const struct ummunotify_report *report = &reports[i];

		if (report->type == UMMUNOTIFY_EVENT_TYPE_LAST) {
			need_empty = true;
			last = true;
			continue;
		}
		reg = ummunotify_registration_lookup(file,
						     report->user_cookie_counter);
		if (!reg)
			continue;
		if (reg->hit.state & HIT_QUEUED) {
			struct ummunotify_hit newer = reg->hit;

			reg->hit = report->hit;
			ummunotify_hit_merge(&reg->hit, &newer, file->features);
			list_move(&reg->queue_node, &file->invalid_queue);
		} else {
			reg->hit = report->hit;
			list_add(&reg->queue_node, &file->invalid_queue);
			file->nr_queued++;
		}
	}
	WRITE_ONCE(file->need_empty, need_empty);
	if (ummunotify_monitored(file))
		ummunotify_monitors_read(file, n - last, last, true);
	spin_unlock(&file->lock);
	mutex_unlock(&file->registration_mutex);
}

u32 ummunotify_hit_event_flags(const struct ummunotify_hit *hit, u32 features)
{
	u32 flags = 0;

	if (hit->state & HIT_HINT)
		flags |= UMMUNOTIFY_EVENT_FLAG_HINT;
	if (hit->state & HIT_HINT_UNION)
		flags |= UMMUNOTIFY_EVENT_FLAG_HINT_UNION;
	if (features & UMMUNOTIFY_FEATURE_REASON)
		flags |= (u32)hit->first_reason << UMMUNOTIFY_EVENT_REASON_SHIFT |
			 (u32)hit->reason_mask <<
				UMMUNOTIFY_EVENT_REASON_MASK_SHIFT;
	return flags;
}
