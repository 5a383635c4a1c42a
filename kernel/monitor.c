// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the monitor descriptor. UMMUNOTIFY_MONITOR_OPEN creates it
 * on a watched file; read() and poll() consume its ring (written by
 * monitor_stream.c); UMMUNOTIFY_MONITOR_QUERY snapshots the watched file.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ummunotify_file.h"

#define RECORD_SIZE sizeof(struct ummunotify_monitor_record)

/* Under the watched file's lock, or registration_mutex for a stale hint. */
bool ummunotify_monitor_attached(const struct ummunotify_monitor *mon)
{
	return !list_empty(&mon->node);
}

/* Lockless: a wait condition and poll(). */
static bool ummunotify_monitor_readable(struct ummunotify_monitor *mon)
{
	/* Pairs with the writer's release of published (monitor_stream.c). */
	return smp_load_acquire(&mon->published) != READ_ONCE(mon->tail) ||
	       READ_ONCE(mon->closed);
}

/* Copies @n records from slot @from on, wrapping around the ring. */
static int ummunotify_monitor_copy(struct ummunotify_monitor *mon,
				   char __user *buf, u64 from, u64 n)
{
	u64 first = min(n, mon->mask + 1 - (from & mon->mask));

	if (copy_to_user(buf, &mon->ring[from & mon->mask],
			 first * RECORD_SIZE))
		return -EFAULT;
	if (first < n && copy_to_user(buf + first * RECORD_SIZE, mon->ring,
				      (n - first) * RECORD_SIZE))
		return -EFAULT;
	return 0;
}

/*
 * Under read_mutex: bytes returned, 0 at end of file, -EAGAIN if nothing
 * is there yet. A record leaves the ring only once it reached the user.
 */
static ssize_t ummunotify_monitor_take(struct ummunotify_monitor *mon,
				       char __user *buf, u64 max)
{
	u64 tail = mon->tail, published, n;
	bool closed;

	if (mon->close_read)
		return 0;
	/* Acquire closed first: CLOSE is set after the last publish. */
	closed = smp_load_acquire(&mon->closed);
	/* Pairs with the writer's release: the slots below it are written. */
	published = smp_load_acquire(&mon->published);
	n = min(published - tail, max);
	if (n && ummunotify_monitor_copy(mon, buf, tail, n))
		return -EFAULT;
	/* Pairs with the writer's acquire: it reuses slots only after this. */
	smp_store_release(&mon->tail, tail + n);

	if (closed && tail + n == published && n < max) {
		if (copy_to_user(buf + n * RECORD_SIZE, &mon->close,
				 RECORD_SIZE))
			return n ? n * RECORD_SIZE : -EFAULT;
		WRITE_ONCE(mon->close_read, true);
		wake_up_interruptible_poll(&mon->wait, EPOLLHUP);
		n++;
	}
	return n ? n * RECORD_SIZE : -EAGAIN;
}

static ssize_t ummunotify_monitor_read(struct file *filp, char __user *buf,
				       size_t count, loff_t *pos)
{
	struct ummunotify_monitor *mon = filp->private_data;
	ssize_t ret;

	if (count < RECORD_SIZE)
		return -EINVAL;
	for (;;) {
		if (mutex_lock_interruptible(&mon->read_mutex))
			return -ERESTARTSYS;
		ret = ummunotify_monitor_take(mon, buf, count / RECORD_SIZE);
		mutex_unlock(&mon->read_mutex);
		if (ret != -EAGAIN || (filp->f_flags & O_NONBLOCK))
			return ret;
		if (wait_event_interruptible(mon->wait,
					     ummunotify_monitor_readable(mon)))
			return -ERESTARTSYS;
	}
}

static __poll_t ummunotify_monitor_poll(struct file *filp, poll_table *wait)
{
	struct ummunotify_monitor *mon = filp->private_data;

	poll_wait(filp, &mon->wait, wait);
	if (READ_ONCE(mon->close_read))
		return EPOLLHUP;
	if (ummunotify_monitor_readable(mon))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static long ummunotify_monitor_ioctl(struct file *filp, unsigned int cmd,
				     unsigned long arg)
{
	struct ummunotify_monitor *mon = filp->private_data;

	switch (cmd) {
	case UMMUNOTIFY_MONITOR_QUERY:
		return ummunotify_query_monitor(mon, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static void ummunotify_monitor_free(struct ummunotify_monitor *mon)
{
	kvfree(mon->ring);
	ummunotify_monitor_free_struct(mon);
}

static int ummunotify_monitor_release(struct inode *inode, struct file *filp)
{
	struct ummunotify_monitor *mon = filp->private_data;

	if (mon->file) {
		ummunotify_monitors_detach(mon->file, mon);
		ummunotify_file_put(mon->file);
	}
	ummunotify_monitor_free(mon);
	return 0;
}

static void ummunotify_monitor_show_fdinfo(struct seq_file *m,
					   struct file *filp)
{
	struct ummunotify_monitor *mon = filp->private_data;
	struct ummunotify_file *file = mon->file;
	u64 dropped, unread;
	bool closed;

	spin_lock(&file->lock);
	dropped = mon->dropped;
	unread = mon->published - READ_ONCE(mon->tail);
	closed = mon->closed;
	spin_unlock(&file->lock);
	seq_printf(m, "ring-records:\t%llu\n", mon->mask + 1);
	seq_printf(m, "unread:\t%llu\n", unread);
	seq_printf(m, "dropped:\t%llu\n", dropped);
	seq_printf(m, "misses:\t%d\n",
		   !!(mon->flags & UMMUNOTIFY_MONITOR_MISSES));
	seq_printf(m, "closed:\t%d\n", closed);
}

static const struct file_operations ummunotify_monitor_fops = {
	/* An open monitor keeps the module loaded. */
	.owner		= THIS_MODULE,
	.release	= ummunotify_monitor_release,
	.read		= ummunotify_monitor_read,
	.poll		= ummunotify_monitor_poll,
	.unlocked_ioctl	= ummunotify_monitor_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= ummunotify_monitor_show_fdinfo,
};

static int
ummunotify_monitor_parse(const struct ummunotify_monitor_open *parm,
			 u32 *records)
{
	*records = parm->ring_records ?: UMMUNOTIFY_MONITOR_RING_DEFAULT;
	if (parm->reserved || (parm->flags & ~UMMUNOTIFY_MONITOR_MISSES))
		return -EINVAL;
	if (!is_power_of_2(*records) ||
	    *records > UMMUNOTIFY_MONITOR_RING_MAX)
		return -EINVAL;
	return 0;
}

/*
 * From any memory map: holding the file is the capability. The ring is
 * charged to the caller, the one who asked to watch.
 */
long ummunotify_monitor_open(struct ummunotify_file *file, void __user *arg)
{
	struct ummunotify_monitor_open parm;
	struct ummunotify_monitor *mon;
	struct file *filp;
	u32 records;
	int fd, ret;

	if (copy_from_user(&parm, arg, sizeof(parm)))
		return -EFAULT;
	ret = ummunotify_monitor_parse(&parm, &records);
	if (ret)
		return ret;
	if (READ_ONCE(file->dead))
		return -ENODEV;

	mon = ummunotify_monitor_alloc();
	if (!mon)
		return -ENOMEM;
	mon->ring = kvcalloc(records, RECORD_SIZE, GFP_KERNEL_ACCOUNT);
	if (!mon->ring) {
		ret = -ENOMEM;
		goto err_free;
	}
	mon->mask = records - 1;
	mon->flags = parm.flags;
	INIT_LIST_HEAD(&mon->node);
	mutex_init(&mon->read_mutex);
	init_waitqueue_head(&mon->wait);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_free;
	}
	filp = anon_inode_getfile("[ummunotify-monitor]",
				  &ummunotify_monitor_fops, mon, O_RDONLY);
	if (IS_ERR(filp)) {
		ret = PTR_ERR(filp);
		goto err_fd;
	}
	stream_open(file_inode(filp), filp);

	/* From here on, fput() frees the monitor. */
	ret = ummunotify_monitors_attach(file, mon);
	if (ret) {
		fput(filp);
		put_unused_fd(fd);
		return ret;
	}
	fd_install(fd, filp);
	return fd;

err_fd:
	put_unused_fd(fd);
err_free:
	ummunotify_monitor_free(mon);
	return ret;
}
