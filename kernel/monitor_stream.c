// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the record stream of a watched file. Every function here
 * runs with the file's lock held, in the critical section of the change
 * it records, and is called only when a monitor is attached (or, for
 * attach, to add one). It never sleeps or allocates: a full ring drops
 * the new record.
 */

#include <linux/kref.h>
#include <linux/poll.h>
#include <linux/timekeeping.h>

#include "ummunotify_file.h"

void ummunotify_monitors_init(struct ummunotify_monitors *m)
{
	INIT_LIST_HEAD(&m->list);
}

/* A free slot, or NULL (and one more dropped) if the ring is full. */
static struct ummunotify_monitor_record *
ummunotify_monitor_slot(struct ummunotify_monitor *mon)
{
	/* Pairs with the reader's release: the slots below tail are copied. */
	if (mon->head - smp_load_acquire(&mon->tail) > mon->mask) {
		mon->dropped++;
		return NULL;
	}
	return &mon->ring[mon->head++ & mon->mask];
}

static void ummunotify_monitors_append(struct ummunotify_file *file,
				       const struct ummunotify_monitor_record *rec,
				       bool misses_only)
{
	struct ummunotify_monitor_record *slot;
	struct ummunotify_monitor *mon;

	list_for_each_entry(mon, &file->monitors.list, node) {
		if (misses_only && !(mon->flags & UMMUNOTIFY_MONITOR_MISSES))
			continue;
		slot = ummunotify_monitor_slot(mon);
		if (slot)
			*slot = *rec;
	}
}

/* Readers see the change's records together, once it is complete. */
static void ummunotify_monitors_publish(struct ummunotify_file *file)
{
	struct ummunotify_monitor *mon;

	list_for_each_entry(mon, &file->monitors.list, node) {
		if (mon->published == mon->head)
			continue;
		/* Pairs with the reader's acquire: the slots are written. */
		smp_store_release(&mon->published, mon->head);
		if (wq_has_sleeper(&mon->wait))
			wake_up_interruptible_poll(&mon->wait,
						   EPOLLIN | EPOLLRDNORM);
	}
}

static struct ummunotify_monitor_record
ummunotify_monitors_next(struct ummunotify_file *file, u32 type)
{
	return (struct ummunotify_monitor_record) {
		.seq		= ++file->monitors.seq,
		.time_ns	= ktime_get_ns(),
		.type		= type,
		.counter	= *file->counter,
	};
}

static void ummunotify_monitors_record(struct ummunotify_file *file,
				       const struct ummunotify_monitor_record *rec)
{
	ummunotify_monitors_append(file, rec, false);
	ummunotify_monitors_publish(file);
}

int ummunotify_monitors_attach(struct ummunotify_file *file,
			       struct ummunotify_monitor *mon)
{
	struct ummunotify_monitors *m = &file->monitors;
	int ret = 0;

	spin_lock(&file->lock);
	if (file->dead || m->closed) {
		ret = -ENODEV;
	} else if (m->nr >= UMMUNOTIFY_MONITOR_MAX) {
		ret = -EBUSY;
	} else {
		kref_get(&file->ref);
		mon->file = file;
		list_add_tail(&mon->node, &m->list);
		WRITE_ONCE(m->nr, m->nr + 1);
		if (mon->flags & UMMUNOTIFY_MONITOR_MISSES)
			m->nr_misses++;
	}
	spin_unlock(&file->lock);
	return ret;
}

static void ummunotify_monitors_unlink(struct ummunotify_file *file,
				       struct ummunotify_monitor *mon)
{
	struct ummunotify_monitors *m = &file->monitors;

	lockdep_assert_held(&file->lock);
	list_del_init(&mon->node);
	WRITE_ONCE(m->nr, m->nr - 1);
	if (mon->flags & UMMUNOTIFY_MONITOR_MISSES)
		m->nr_misses--;
}

void ummunotify_monitors_detach(struct ummunotify_file *file,
				struct ummunotify_monitor *mon)
{
	spin_lock(&file->lock);
	if (!list_empty(&mon->node))
		ummunotify_monitors_unlink(file, mon);
	spin_unlock(&file->lock);
}

/*
 * The end of the stream: once, when the owner's file is released or its
 * memory map goes away. Every monitor gets CLOSE and is detached.
 */
void ummunotify_monitors_close(struct ummunotify_file *file, bool mm_gone)
{
	struct ummunotify_monitor *mon, *next;
	struct ummunotify_monitor_record rec;

	lockdep_assert_held(&file->lock);
	if (file->monitors.closed)
		return;
	file->monitors.closed = true;
	rec = ummunotify_monitors_next(file, UMMUNOTIFY_MONITOR_RECORD_CLOSE);
	if (mm_gone)
		rec.flags = UMMUNOTIFY_MONITOR_CLOSE_MM_GONE;
	list_for_each_entry_safe(mon, next, &file->monitors.list, node) {
		mon->close = rec;
		/* Pairs with the reader's acquire: close and published are final. */
		smp_store_release(&mon->closed, true);
		ummunotify_monitors_unlink(file, mon);
		wake_up_interruptible_poll(&mon->wait, EPOLLIN | EPOLLRDNORM);
	}
}

void ummunotify_monitors_features(struct ummunotify_file *file, u32 features)
{
	struct ummunotify_monitor_record rec =
		ummunotify_monitors_next(file,
					 UMMUNOTIFY_MONITOR_RECORD_FEATURES);

	lockdep_assert_held(&file->lock);
	rec.flags = features;
	ummunotify_monitors_record(file, &rec);
}

void ummunotify_monitors_register(struct ummunotify_file *file,
				  const struct ummunotify_registration *reg)
{
	struct ummunotify_monitor_record rec =
		ummunotify_monitors_next(file,
					 UMMUNOTIFY_MONITOR_RECORD_REGISTER);

	lockdep_assert_held(&file->lock);
	rec.flags = reg->filter;
	rec.start = reg->start;
	rec.end = reg->last + 1;
	rec.cookie = reg->user_cookie;
	ummunotify_monitors_record(file, &rec);
}

void ummunotify_monitors_unregister(struct ummunotify_file *file,
				    const struct ummunotify_registration *reg,
				    bool was_queued)
{
	struct ummunotify_monitor_record rec =
		ummunotify_monitors_next(file,
					 UMMUNOTIFY_MONITOR_RECORD_UNREGISTER);

	lockdep_assert_held(&file->lock);
	if (was_queued)
		rec.flags = UMMUNOTIFY_MONITOR_UNREGISTER_QUEUED;
	rec.start = reg->start;
	rec.end = reg->last + 1;
	rec.cookie = reg->user_cookie;
	ummunotify_monitors_record(file, &rec);
}

/*
 * An invalidation that hits: INVALIDATE before the first HIT, one HIT per
 * registration, then ummunotify_monitors_invalidate_end() once the
 * counter has moved. Until then the records are unpublished, so the
 * INVALIDATE's count of hits can still be written.
 */
static void ummunotify_monitors_invalidate(struct ummunotify_file *file,
					   unsigned long start,
					   unsigned long end, u8 reason)
{
	struct ummunotify_monitors *m = &file->monitors;
	struct ummunotify_monitor_record *slot;
	struct ummunotify_monitor *mon;
	struct ummunotify_monitor_record rec = {
		.seq		= ++m->seq,
		.time_ns	= ktime_get_ns(),
		.type		= UMMUNOTIFY_MONITOR_RECORD_INVALIDATE,
		.flags		= (u32)reason << UMMUNOTIFY_EVENT_REASON_SHIFT,
		.start		= start,
		.end		= end,
		/* A hit moves the counter once, at the end. */
		.counter	= *file->counter + 1,
	};

	m->time_ns = rec.time_ns;
	m->hits = 0;
	list_for_each_entry(mon, &m->list, node) {
		slot = ummunotify_monitor_slot(mon);
		mon->invalidate = slot ? mon->head - 1 : U64_MAX;
		if (slot)
			*slot = rec;
	}
}

void ummunotify_monitors_hit(struct ummunotify_file *file,
			     struct ummunotify_registration *reg,
			     unsigned long start, unsigned long end, u8 reason,
			     bool first)
{
	struct ummunotify_monitors *m = &file->monitors;
	bool was_queued = reg->hit.state & UMMUNOTIFY_QUERY_REG_QUEUED;
	struct ummunotify_monitor_record rec;

	lockdep_assert_held(&file->lock);
	if (first)
		ummunotify_monitors_invalidate(file, start, end, reason);
	ummunotify_queue_hit(file, reg, start, end, reason);

	rec = (struct ummunotify_monitor_record) {
		.seq		= ++m->seq,
		.time_ns	= m->time_ns,
		.type		= UMMUNOTIFY_MONITOR_RECORD_HIT,
		.flags		= ummunotify_hit_event_flags(&reg->hit,
							     file->features) &
				  ~UMMUNOTIFY_MONITOR_HIT_QUEUED,
		.cookie		= reg->user_cookie,
		.counter	= *file->counter + 1,
	};
	if (was_queued)
		rec.flags |= UMMUNOTIFY_MONITOR_HIT_QUEUED;
	if (reg->hit.state & UMMUNOTIFY_QUERY_REG_HINT) {
		rec.start = reg->hit.hint_start;
		rec.end = reg->hit.hint_end;
	} else {
		rec.start = reg->start;
		rec.end = reg->last + 1;
	}
	m->hits++;
	ummunotify_monitors_append(file, &rec, false);
}

void ummunotify_monitors_invalidate_end(struct ummunotify_file *file)
{
	struct ummunotify_monitor *mon;

	lockdep_assert_held(&file->lock);
	list_for_each_entry(mon, &file->monitors.list, node) {
		if (mon->invalidate != U64_MAX)
			mon->ring[mon->invalidate & mon->mask].aux =
				file->monitors.hits;
	}
	ummunotify_monitors_publish(file);
}

/* Changes nothing in the file, so it takes no seq of its own. */
void ummunotify_monitors_miss(struct ummunotify_file *file,
			      unsigned long start, unsigned long end,
			      u8 reason)
{
	struct ummunotify_monitor_record rec;

	lockdep_assert_held(&file->lock);
	if (!file->monitors.nr_misses)
		return;
	rec = (struct ummunotify_monitor_record) {
		.seq		= file->monitors.seq,
		.time_ns	= ktime_get_ns(),
		.type		= UMMUNOTIFY_MONITOR_RECORD_INVALIDATE,
		.flags		= (u32)reason << UMMUNOTIFY_EVENT_REASON_SHIFT,
		.start		= start,
		.end		= end,
		.counter	= *file->counter,
	};
	ummunotify_monitors_append(file, &rec, true);
	ummunotify_monitors_publish(file);
}

void ummunotify_monitors_read(struct ummunotify_file *file,
			      unsigned int invals, bool last, bool fault)
{
	struct ummunotify_monitor_record rec =
		ummunotify_monitors_next(file, UMMUNOTIFY_MONITOR_RECORD_READ);

	lockdep_assert_held(&file->lock);
	rec.aux = invals;
	if (last)
		rec.flags |= UMMUNOTIFY_MONITOR_READ_LAST;
	if (fault)
		rec.flags |= UMMUNOTIFY_MONITOR_READ_FAULT;
	ummunotify_monitors_record(file, &rec);
}
