// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: read(). Readers are serialized by read_mutex, which the
 * notifier never takes; a report leaves the kernel only once it has
 * reached the user buffer.
 */

#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "ummunotify_file.h"

static void ummunotify_report_format(const struct ummunotify_report *report,
				     struct ummunotify_event *event,
				     u32 features)
{
	memset(event, 0, sizeof(*event));
	event->type = report->type;
	event->user_cookie_counter = report->user_cookie_counter;
	if (report->type == UMMUNOTIFY_EVENT_TYPE_LAST)
		return;
	event->flags = ummunotify_hit_event_flags(&report->hit, features);
	if (report->hit.state & UMMUNOTIFY_QUERY_REG_HINT) {
		event->hint_start = report->hit.hint_start;
		event->hint_end = report->hit.hint_end;
	} else {
		event->hint_start = report->start;
		event->hint_end = report->end;
	}
}

/*
 * Returns the number of reports taken (with read_mutex held), 0 at end
 * of file, or an errno.
 */
static ssize_t ummunotify_read_wait(struct ummunotify_file *file,
				    bool nonblock, unsigned int max,
				    bool *need_empty_before)
{
	unsigned int n;

	for (;;) {
		if (mutex_lock_interruptible(&file->read_mutex))
			return -ERESTARTSYS;
		*need_empty_before = READ_ONCE(file->need_empty);
		n = ummunotify_queue_pop(file, file->reports, max);
		if (n)
			return n;
		mutex_unlock(&file->read_mutex);

		if (READ_ONCE(file->dead) && !ummunotify_file_readable(file))
			return 0;
		if (nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(file->read_wait,
					     ummunotify_file_readable(file) ||
					     READ_ONCE(file->dead)))
			return -ERESTARTSYS;
	}
}

ssize_t ummunotify_read(struct file *filp, char __user *buf, size_t count,
			loff_t *pos)
{
	struct ummunotify_file *file = filp->private_data;
	bool need_empty_before;
	unsigned int i, max;
	ssize_t n, ret;
	u32 features;

	/* After the owner is gone, anyone holding the file may drain it. */
	if (!READ_ONCE(file->dead) && current->mm != file->mm)
		return -EBADF;
	features = ummunotify_file_use(file);
	if (count < sizeof(struct ummunotify_event))
		return -EINVAL;
	max = min_t(size_t, count, PAGE_SIZE) / sizeof(struct ummunotify_event);

	n = ummunotify_read_wait(file, filp->f_flags & O_NONBLOCK, max,
				 &need_empty_before);
	if (n <= 0)
		return n;

	for (i = 0; i < n; i++)
		ummunotify_report_format(&file->reports[i], &file->events[i],
					 features);
	ret = n * sizeof(struct ummunotify_event);
	if (copy_to_user(buf, file->events, ret)) {
		ummunotify_queue_requeue(file, file->reports, n,
					 need_empty_before);
		ret = -EFAULT;
	}
	mutex_unlock(&file->read_mutex);

	if (ret == -EFAULT)
		wake_up_interruptible(&file->read_wait);
	return ret;
}
