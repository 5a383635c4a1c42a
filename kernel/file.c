// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: file operations other than read(): open, close, poll,
 * SIGIO, ioctl and mmap dispatch and /proc/PID/fdinfo.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ummunotify_file.h"

/*
 * Where ioctl() and mmap() get ENODEV and EBADF: the file only ever acts
 * on the memory map that opened it. read() and poll() differ only in
 * letting anyone drain the file once that memory map is gone.
 */
int ummunotify_file_check_caller(struct ummunotify_file *file)
{
	if (READ_ONCE(file->dead))
		return -ENODEV;
	if (current->mm != file->mm)
		return -EBADF;
	return 0;
}

/* Lockless: used as a wait condition and by poll(). */
bool ummunotify_file_readable(struct ummunotify_file *file)
{
	return READ_ONCE(file->need_empty) ||
	       !list_empty_careful(&file->invalid_queue);
}

static long ummunotify_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	struct ummunotify_file *file = filp->private_data;
	void __user *argp = (void __user *)arg;
	int ret;

	/* Holding the file is enough: the owner need not know it is watched. */
	if (cmd == UMMUNOTIFY_MONITOR_OPEN)
		return ummunotify_monitor_open(file, argp);
	ret = ummunotify_file_check_caller(file);
	if (ret)
		return ret;

	switch (cmd) {
	case UMMUNOTIFY_EXCHANGE_FEATURES:
		return ummunotify_exchange_features(file, argp);
	case UMMUNOTIFY_NEGOTIATE_FEATURES:
		return ummunotify_negotiate_features(file, argp);
	case UMMUNOTIFY_REGISTER_REGION:
		return ummunotify_register_region(file, argp);
	case UMMUNOTIFY_UNREGISTER_REGION:
		return ummunotify_unregister_region(file, argp);
	case UMMUNOTIFY_REGISTER_SLOT:
		return ummunotify_register_slot(file, argp);
	case UMMUNOTIFY_QUERY:
		return ummunotify_query(file, argp);
	default:
		return -ENOTTY;
	}
}

/*
 * A process that does not own the file sees nothing until the owner's
 * memory map goes away: it cannot read, so readiness would only make its
 * event loop spin.
 */
static __poll_t ummunotify_poll(struct file *filp, poll_table *wait)
{
	struct ummunotify_file *file = filp->private_data;
	bool dead;
	__poll_t mask = 0;

	poll_wait(filp, &file->read_wait, wait);

	dead = READ_ONCE(file->dead);
	if (!dead && current->mm != file->mm)
		return 0;
	if (ummunotify_file_readable(file))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (dead)
		mask |= EPOLLHUP;
	return mask;
}

static int ummunotify_fasync(int fd, struct file *filp, int on)
{
	struct ummunotify_file *file = filp->private_data;

	return fasync_helper(fd, filp, on, &file->async_queue);
}

/*
 * Offset 0 is the counter page, the generation words follow it. A private
 * copy would silently go stale and a writable one could lie to the owner,
 * so only read-only shared mappings are allowed.
 */
static int ummunotify_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct ummunotify_file *file = filp->private_data;
	int ret;

	ret = ummunotify_file_check_caller(file);
	if (ret)
		return ret;
	if ((vma->vm_flags & VM_WRITE) || !(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_pgoff)
		return ummunotify_generations_mmap(file, vma);
	return ummunotify_counter_mmap(file, vma);
}

static void ummunotify_file_free(struct ummunotify_file *file)
{
	kfree(file->events);
	kfree(file->reports);
	ummunotify_generations_destroy(file);
	ummunotify_counter_free(file);
	ummunotify_file_free_struct(file);
}

static void ummunotify_file_release_ref(struct kref *ref)
{
	ummunotify_file_free(container_of(ref, struct ummunotify_file, ref));
}

void ummunotify_file_put(struct ummunotify_file *file)
{
	kref_put(&file->ref, ummunotify_file_release_ref);
}

static int ummunotify_open(struct inode *inode, struct file *filp)
{
	struct ummunotify_file *file;
	int ret;

	if (filp->f_mode & FMODE_WRITE)
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;

	file = ummunotify_file_alloc();
	if (!file)
		return -ENOMEM;

	kref_init(&file->ref);
	spin_lock_init(&file->lock);
	ummunotify_generations_init(file);
	ummunotify_monitors_init(&file->monitors);
	file->tree = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&file->invalid_queue);
	mutex_init(&file->registration_mutex);
	mutex_init(&file->read_mutex);
	init_waitqueue_head(&file->read_wait);

	ret = -ENOMEM;
	file->reports = kcalloc(UMMUNOTIFY_READ_MAX_EVENTS,
				sizeof(*file->reports), GFP_KERNEL_ACCOUNT);
	file->events = kcalloc(UMMUNOTIFY_READ_MAX_EVENTS,
			       sizeof(*file->events), GFP_KERNEL_ACCOUNT);
	if (!file->reports || !file->events)
		goto err_free;
	ret = ummunotify_counter_alloc(file);
	if (ret)
		goto err_free;
	ummunotify_registrations_init(file);

	/* Last: invalidations can arrive as soon as this returns. */
	file->notifier.ops = &ummunotify_notifier_ops;
	ret = mmu_notifier_register(&file->notifier, current->mm);
	/*
	 * mm_take_all_locks() gives up with -EINTR when a signal is pending;
	 * restart open() after the handler instead of failing it.
	 */
	if (ret == -EINTR)
		ret = -ERESTARTSYS;
	if (ret)
		goto err_registrations;
	file->mm = current->mm;

	filp->private_data = file;
	stream_open(inode, filp);
	return 0;

err_registrations:
	ummunotify_registrations_destroy(file);
err_free:
	ummunotify_file_free(file);
	return ret;
}

static int ummunotify_release(struct inode *inode, struct file *filp)
{
	struct ummunotify_file *file = filp->private_data;

	/*
	 * A monitor's QUERY walks the registrations under
	 * registration_mutex: once detached under it, none is walking them.
	 */
	mutex_lock(&file->registration_mutex);
	spin_lock(&file->lock);
	ummunotify_monitors_close(file, false);
	spin_unlock(&file->lock);
	mutex_unlock(&file->registration_mutex);

	/* Waits out every running callback; none can start afterwards. */
	mmu_notifier_unregister(&file->notifier, file->mm);
	ummunotify_registrations_destroy(file);
	ummunotify_file_put(file);
	return 0;
}

/* What a viewer looks for in /proc/PID/fdinfo (uapi header, "Monitors"). */
static void ummunotify_show_fdinfo(struct seq_file *m, struct file *filp)
{
	struct ummunotify_file *file = filp->private_data;
	unsigned int queued, monitors;
	u32 features;
	u64 counter;
	bool alive;

	spin_lock(&file->lock);
	queued = file->nr_queued;
	counter = *file->counter;
	features = file->features;
	monitors = file->monitors.nr;
	alive = !file->dead;
	spin_unlock(&file->lock);

	seq_printf(m, "registrations:\t%u\n", READ_ONCE(file->nr_registrations));
	seq_printf(m, "queued:\t%u\n", queued);
	seq_printf(m, "counter:\t%llu\n", counter);
	seq_printf(m, "features:\t0x%x\n", features);
	seq_printf(m, "monitors:\t%u\n", monitors);
	seq_printf(m, "owner-alive:\t%d\n", alive);
}

const struct file_operations ummunotify_fops = {
	.owner		= THIS_MODULE,
	.open		= ummunotify_open,
	.release	= ummunotify_release,
	.read		= ummunotify_read,
	.poll		= ummunotify_poll,
	.unlocked_ioctl	= ummunotify_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= ummunotify_mmap,
	.fasync		= ummunotify_fasync,
	.show_fdinfo	= ummunotify_show_fdinfo,
};
