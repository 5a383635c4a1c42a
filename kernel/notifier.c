// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: what happens on an invalidation and when the owner's
 * memory map goes away. Runs in any context that changes the mapping
 * (the task, kswapd, khugepaged, the OOM reaper...), so it never sleeps
 * or allocates, whatever mmu_notifier_range_blockable() says.
 */

#include <linux/fs.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/signal.h>

#include "ummunotify_file.h"

static u8 ummunotify_reason(enum mmu_notifier_event event)
{
	switch (event) {
	case MMU_NOTIFY_UNMAP:
		return UMMUNOTIFY_REASON_UNMAP;
	case MMU_NOTIFY_CLEAR:
		return UMMUNOTIFY_REASON_CLEAR;
	case MMU_NOTIFY_PROTECTION_VMA:
		return UMMUNOTIFY_REASON_PROTECTION_VMA;
	case MMU_NOTIFY_PROTECTION_PAGE:
		return UMMUNOTIFY_REASON_PROTECTION_PAGE;
	case MMU_NOTIFY_SOFT_DIRTY:
		return UMMUNOTIFY_REASON_SOFT_DIRTY;
	case MMU_NOTIFY_RELEASE:
		return UMMUNOTIFY_REASON_RELEASE;
	case MMU_NOTIFY_MIGRATE:
		return UMMUNOTIFY_REASON_MIGRATE;
	case MMU_NOTIFY_EXCLUSIVE:
		return UMMUNOTIFY_REASON_EXCLUSIVE;
	default:
		return UMMUNOTIFY_REASON_UNKNOWN;
	}
}

static int ummunotify_invalidate_range_start(struct mmu_notifier *mn,
					     const struct mmu_notifier_range *range)
{
	struct ummunotify_file *file =
		container_of(mn, struct ummunotify_file, notifier);
	struct ummunotify_registration *reg = NULL;
	u8 reason = ummunotify_reason(range->event);
	bool filter, monitored, hit = false;

	if (range->start >= range->end)
		return 0;

	spin_lock(&file->lock);
	monitored = ummunotify_monitored(file);
	filter = file->features & UMMUNOTIFY_FEATURE_FILTER;
	/* Most invalidations miss: the miss check says so without the tree. */
	if (ummunotify_blocks_may_overlap(file, range->start, range->end - 1))
		reg = ummunotify_registration_first_overlap(file, range->start,
							    range->end - 1);
	for (; reg;
	     reg = ummunotify_registration_next_overlap(reg, range->start,
							range->end - 1)) {
		if (filter && (reg->filter & BIT(reason)))
			continue;
		if (monitored)
			ummunotify_monitors_hit(file, reg, range->start,
						range->end, reason, !hit);
		else
			ummunotify_queue_hit(file, reg, range->start,
					     range->end, reason);
		ummunotify_generation_bump(file, reg);
		hit = true;
	}
	if (hit)
		ummunotify_counter_bump(file);
	if (monitored) {
		if (hit)
			ummunotify_monitors_invalidate_end(file);
		else
			ummunotify_monitors_miss(file, range->start,
						 range->end, reason);
	}
	spin_unlock(&file->lock);

	if (hit) {
		wake_up_interruptible(&file->read_wait);
		kill_fasync(&file->async_queue, SIGIO, POLL_IN);
	}
	return 0;
}

/*
 * Called once from exit_mmap(), or from mmu_notifier_unregister() in
 * close() while the memory map still lives: must be idempotent.
 */
static void ummunotify_release_mm(struct mmu_notifier *mn,
				  struct mm_struct *mm)
{
	struct ummunotify_file *file =
		container_of(mn, struct ummunotify_file, notifier);

	spin_lock(&file->lock);
	WRITE_ONCE(file->dead, true);
	ummunotify_monitors_close(file, true);
	spin_unlock(&file->lock);

	wake_up_interruptible(&file->read_wait);
	kill_fasync(&file->async_queue, SIGIO, POLL_HUP);
}

const struct mmu_notifier_ops ummunotify_notifier_ops = {
	.release		= ummunotify_release_mm,
	.invalidate_range_start	= ummunotify_invalidate_range_start,
};
