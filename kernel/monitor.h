/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ummunotify: monitors, readers of a file's record stream (uapi header,
 * "Monitors").
 *
 * Locking: a monitor's ring is written only under the watched file's
 * lock (one writer at a time) and read only under the monitor's
 * read_mutex (one reader at a time). The two meet at @published and
 * @tail, which each side stores with release and loads with acquire
 * ordering: the writer fills slots below @head and publishes them once
 * the change they describe is complete; the reader copies published
 * slots to the user and only then moves @tail, which frees them.
 *
 * Lifetime: a monitor holds a reference on the watched file's context
 * (struct ummunotify_file), not on its struct file, so the owner's
 * close() still releases the file. That release, or the owner's memory
 * map going away, detaches every monitor with a CLOSE record.
 */
#ifndef _UMMUNOTIFY_MONITOR_H
#define _UMMUNOTIFY_MONITOR_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/ummunotify.h>

struct ummunotify_file;
struct ummunotify_registration;

/*
 * struct ummunotify_monitors - the monitors of one file, embedded in it;
 * every field is protected by the file's lock.
 * @list:      attached monitors (struct ummunotify_monitor.node).
 * @nr:        monitors on @list: the one check every path makes.
 * @nr_misses: those of them that asked for UMMUNOTIFY_MONITOR_MISSES.
 * @seq:       the seq of the newest record.
 * @hits:      HIT records of the invalidation being recorded.
 * @time_ns:   its time, shared by its INVALIDATE and HIT records.
 * @closed:    CLOSE was recorded: no monitor may attach any more.
 */
struct ummunotify_monitors {
	struct list_head	list;
	unsigned int		nr;
	unsigned int		nr_misses;
	u64			seq;
	u64			hits;
	u64			time_ns;
	bool			closed;
};

/*
 * struct ummunotify_monitor - one monitor descriptor.
 * @file:      the watched file's context (a reference); never changes.
 * @ring, @mask, @flags: the ring of @mask + 1 records and the
 *             UMMUNOTIFY_MONITOR_* flags; never change.
 * @node:      on file->monitors.list while attached; under the file's lock.
 * @head:      next slot the writer fills; under the file's lock.
 * @invalidate: slot of the INVALIDATE record being completed, or
 *             U64_MAX if it was dropped; under the file's lock.
 * @dropped:   records dropped; under the file's lock.
 * @published: slots below it are readable; written under the file's lock.
 * @closed:    @close is set and the ring final; written under the file's
 *             lock, after the last @published.
 * @close:     the CLOSE record, kept out of the ring so it is never dropped.
 * @read_mutex: serializes readers; protects @close_read.
 * @tail:      next slot to read; written under @read_mutex.
 * @close_read: CLOSE was returned: end of file.
 * @wait:      readers and pollers.
 */
struct ummunotify_monitor {
	struct ummunotify_file			*file;
	struct ummunotify_monitor_record	*ring;
	u64					mask;
	u32					flags;

	struct list_head			node;
	u64					head;
	u64					invalidate;
	u64					dropped;
	u64					published;
	bool					closed;
	struct ummunotify_monitor_record	close;

	/* Serializes readers; protects tail and close_read. */
	struct mutex				read_mutex;
	u64					tail;
	bool					close_read;
	wait_queue_head_t			wait;
};

/* monitor.c: the monitor descriptor */
long ummunotify_monitor_open(struct ummunotify_file *file, void __user *arg);
bool ummunotify_monitor_attached(const struct ummunotify_monitor *mon);

/* monitor_stream.c: the records, each appended under the file's lock */
void ummunotify_monitors_init(struct ummunotify_monitors *m);
int ummunotify_monitors_attach(struct ummunotify_file *file,
			       struct ummunotify_monitor *mon);
void ummunotify_monitors_detach(struct ummunotify_file *file,
				struct ummunotify_monitor *mon);
void ummunotify_monitors_close(struct ummunotify_file *file, bool mm_gone);
void ummunotify_monitors_features(struct ummunotify_file *file, u32 features);
void ummunotify_monitors_register(struct ummunotify_file *file,
				  const struct ummunotify_registration *reg);
void ummunotify_monitors_unregister(struct ummunotify_file *file,
				    const struct ummunotify_registration *reg,
				    bool was_queued);
void ummunotify_monitors_hit(struct ummunotify_file *file,
			     struct ummunotify_registration *reg,
			     unsigned long start, unsigned long end, u8 reason,
			     bool first);
void ummunotify_monitors_invalidate_end(struct ummunotify_file *file);
void ummunotify_monitors_miss(struct ummunotify_file *file,
			      unsigned long start, unsigned long end,
			      u8 reason);
void ummunotify_monitors_read(struct ummunotify_file *file,
			      unsigned int invals, bool last, bool fault);

#endif /* _UMMUNOTIFY_MONITOR_H */
