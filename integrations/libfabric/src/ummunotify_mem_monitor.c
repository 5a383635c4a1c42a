/*
 * Copyright (c) 2026 The ummunotify authors. All rights reserved.
 *
 * This software is available to you under a choice of one of two
 * licenses.  You may choose to be licensed under the terms of the GNU
 * General Public License (GPL) Version 2, available from the file
 * COPYING in the main directory of this source tree, or the
 * BSD license below:
 *
 *     Redistribution and use in source and binary forms, with or
 *     without modification, are permitted provided that the following
 *     conditions are met:
 *
 *      - Redistributions of source code must retain the above
 *        copyright notice, this list of conditions and the following
 *        disclaimer.
 *
 *      - Redistributions in binary form must reproduce the above
 *        copyright notice, this list of conditions and the following
 *        disclaimer in the documentation and/or other materials
 *        provided with the distribution.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
 * EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
 * MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 * NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS
 * BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN
 * ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 * CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 * SOFTWARE.
 */

/*
 * ummunotify memory monitor: the kernel's MMU notifications through
 * /dev/ummunotify (2010 ABI).  Every subscribed range is one registration
 * (its cookie identifies the subscription); a thread drains the invalidation
 * events and notifies the caches with the hinted ranges; the validity check
 * is one load of the mapped generation counter.
 *
 * Ordering: the counter moves before munmap() & co. return, while the thread
 * notifies the caches later.  valid() therefore compares the counter with the
 * value of the last LAST event, which the thread publishes under mm_lock only
 * after it has notified every range read with it: a search between an
 * invalidation and its notification misses instead of returning a stale
 * registration.
 */

#include "config.h"

#include <ofi_mr.h>

#ifdef __linux__
#define HAVE_UMMUNOTIFY_MONITOR 1
#endif

#if HAVE_UMMUNOTIFY_MONITOR

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The frozen 2010 ABI (include/uapi/linux/ummunotify.h of the module). */
struct ummunotify_register_ioctl {
	uint64_t	start;
	uint64_t	end;
	uint64_t	user_cookie;
	uint32_t	flags;
	uint32_t	reserved;
};

struct ummunotify_event {
	uint32_t	type;
	uint32_t	flags;
	uint64_t	hint_start;
	uint64_t	hint_end;
	uint64_t	user_cookie_counter;
};

#define UMMUNOTIFY_REGISTER_REGION	_IOW('U', 2, struct ummunotify_register_ioctl)
#define UMMUNOTIFY_UNREGISTER_REGION	_IOW('U', 3, uint64_t)
#define UMMUNOTIFY_EVENT_TYPE_INVAL	0
#define UMMUNOTIFY_EVENT_TYPE_LAST	1
#define UMMUNOTIFY_EVENT_FLAG_HINT	(1 << 0)

#define UMMUNOTIFY_DEVICE	"/dev/ummunotify"
#define UMMUNOTIFY_READ_EVENTS	128

/* One registration with the kernel; its address is the cookie. */
struct ummunotify_sub {
	struct dlist_entry	entry;
	uintptr_t		start;
	uintptr_t		end;
	int			refcnt;
};

struct ofi_ummunotify {
	struct ofi_mem_monitor	monitor;
	pthread_t		thread;
	int			fd;
	const volatile uint64_t	*counter;
	/* Counter of the last LAST event, once its ranges were notified. */
	uint64_t		seen;
	/* Set in a fork child: the parent's file is not ours (EBADF). */
	bool			forked;
	struct dlist_entry	subs;
	/* Logged at stop, to compare with what a watcher of the file saw. */
	size_t			registers;
	size_t			unregisters;
	size_t			invalidations;
};

static int ofi_ummunotify_start(struct ofi_mem_monitor *monitor);
static void ofi_ummunotify_stop(struct ofi_mem_monitor *monitor);

static struct ofi_ummunotify ummunotify = {
	.monitor.iface = FI_HMEM_SYSTEM,
	.monitor.init = ofi_monitor_init,
	.monitor.cleanup = ofi_monitor_cleanup,
	.monitor.start = ofi_ummunotify_start,
	.monitor.stop = ofi_ummunotify_stop,
	.fd = -1,
};
struct ofi_mem_monitor *ummunotify_monitor = &ummunotify.monitor;

static struct ummunotify_sub *ummunotify_find(uintptr_t start, uintptr_t end)
{
	struct ummunotify_sub *sub;

	dlist_foreach_container(&ummunotify.subs, struct ummunotify_sub,
				sub, entry) {
		if (sub->start == start && sub->end == end)
			return sub;
	}
	return NULL;
}

static void ummunotify_drop(struct ummunotify_sub *sub)
{
	uint64_t cookie = (uintptr_t) sub;

	if (ioctl(ummunotify.fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie))
		FI_WARN(&core_prov, FI_LOG_MR, "ummunotify unregister: %s\n",
			strerror(errno));
	else
		ummunotify.unregisters++;
	dlist_remove(&sub->entry);
	free(sub);
}

/* Called with mm_lock held. */
static int ofi_ummunotify_subscribe(struct ofi_mem_monitor *monitor,
				    const void *addr, size_t len,
				    union ofi_mr_hmem_info *hmem_info)
{
	struct ummunotify_register_ioctl reg = { 0 };
	struct ummunotify_sub *sub;
	uintptr_t start = (uintptr_t) addr;
	int ret;

	if (ummunotify.forked)
		return -FI_ENOSYS;

	sub = ummunotify_find(start, start + len);
	if (sub) {
		sub->refcnt++;
		return 0;
	}

	sub = calloc(1, sizeof(*sub));
	if (!sub)
		return -FI_ENOMEM;
	sub->start = start;
	sub->end = start + len;
	sub->refcnt = 1;

	reg.start = sub->start;
	reg.end = sub->end;
	reg.user_cookie = (uintptr_t) sub;
	if (ioctl(ummunotify.fd, UMMUNOTIFY_REGISTER_REGION, &reg)) {
		ret = -errno;
		FI_WARN(&core_prov, FI_LOG_MR, "ummunotify register: %s\n",
			strerror(-ret));
		free(sub);
		return ret;
	}
	ummunotify.registers++;
	dlist_insert_tail(&sub->entry, &ummunotify.subs);
	return 0;
}

/* Called with mm_lock held. */
static void ofi_ummunotify_unsubscribe(struct ofi_mem_monitor *monitor,
				       const void *addr, size_t len,
				       union ofi_mr_hmem_info *hmem_info)
{
	struct ummunotify_sub *sub;
	uintptr_t start = (uintptr_t) addr;

	if (ummunotify.forked)
		return;

	sub = ummunotify_find(start, start + len);
	if (sub && --sub->refcnt == 0)
		ummunotify_drop(sub);
}

/* Called with mm_lock held: one acquire load when nothing happened. */
static bool ofi_ummunotify_valid(struct ofi_mem_monitor *monitor,
				 const void *addr, size_t len,
				 union ofi_mr_hmem_info *hmem_info)
{
	if (ummunotify.forked)
		return false;
	return __atomic_load_n(ummunotify.counter, __ATOMIC_ACQUIRE) ==
	       ummunotify.seen;
}

/*
 * Notifies the caches of one report.  Every cached entry of the subscription
 * overlaps its hint, so the caches drop them all: the registration has done
 * its job and is dropped too.  Called with mm_list_rwlock and mm_lock held.
 */
static void ummunotify_handle_inval(const struct ummunotify_event *ev)
{
	struct ummunotify_sub *sub;
	uintptr_t start, end;

	sub = (struct ummunotify_sub *) (uintptr_t) ev->user_cookie_counter;
	if (ev->flags & UMMUNOTIFY_EVENT_FLAG_HINT) {
		start = ev->hint_start;
		end = ev->hint_end;
	} else {
		start = sub->start;
		end = sub->end;
	}
	FI_DBG(&core_prov, FI_LOG_MR,
	       "ummunotify invalidate %p-%p (registration %p-%p)\n",
	       (void *) start, (void *) end,
	       (void *) sub->start, (void *) sub->end);
	ummunotify.invalidations++;
	ofi_monitor_notify(&ummunotify.monitor, (void *) start, end - start);
	ummunotify_drop(sub);
}

static void *ofi_ummunotify_handler(void *arg)
{
	struct ummunotify_event ev[UMMUNOTIFY_READ_EVENTS];
	struct pollfd fds = { .fd = ummunotify.fd, .events = POLLIN };
	ssize_t ret;
	int i, n;

	for (;;) {
		ret = poll(&fds, 1, -1);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret != 1)
			break;

		/*
		 * stop() cancels and joins the thread while it holds
		 * mm_list_rwlock for writing: waiting for the read lock
		 * uncancellably would deadlock, and holding the locks when
		 * cancelled would leave them taken.  So wait cancellably, and
		 * turn cancellation off only once the read lock is ours.
		 */
		while (pthread_rwlock_tryrdlock(&mm_list_rwlock)) {
			pthread_testcancel();
			sched_yield();
		}
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
		pthread_mutex_lock(&mm_lock);
		ret = read(ummunotify.fd, ev, sizeof(ev));
		n = ret > 0 ? ret / sizeof(ev[0]) : 0;
		for (i = 0; i < n; i++) {
			if (ev[i].type == UMMUNOTIFY_EVENT_TYPE_INVAL)
				ummunotify_handle_inval(&ev[i]);
			else if (ev[i].type == UMMUNOTIFY_EVENT_TYPE_LAST)
				ummunotify.seen = ev[i].user_cookie_counter;
		}
		pthread_mutex_unlock(&mm_lock);
		pthread_rwlock_unlock(&mm_list_rwlock);
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);

		if (ret <= 0 && !(ret < 0 && errno == EAGAIN)) {
			FI_WARN(&core_prov, FI_LOG_MR,
				"ummunotify read: %s\n",
				ret ? strerror(errno) : "end of file");
			break;
		}
	}
	return NULL;
}

/*
 * A fork child shares neither the parent's file (its calls get EBADF) nor
 * the counter mapping (not inherited) nor the thread: the monitor turns
 * itself off there, so cached entries are never trusted again and new ones
 * are not cached.
 */
static void ofi_ummunotify_atfork_child(void)
{
	if (ummunotify.fd < 0)
		return;
	ummunotify.forked = true;
	close(ummunotify.fd);
	ummunotify.fd = -1;
}

static void ummunotify_register_atfork(void)
{
	pthread_atfork(NULL, NULL, ofi_ummunotify_atfork_child);
}

static int ofi_ummunotify_start(struct ofi_mem_monitor *monitor)
{
	static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
	void *page;
	int ret;

	ummunotify.monitor.subscribe = ofi_ummunotify_subscribe;
	ummunotify.monitor.unsubscribe = ofi_ummunotify_unsubscribe;
	ummunotify.monitor.valid = ofi_ummunotify_valid;

	if (ummunotify.forked)
		return -FI_ENOSYS;

	dlist_init(&ummunotify.subs);
	ummunotify.registers = 0;
	ummunotify.unregisters = 0;
	ummunotify.invalidations = 0;
	ummunotify.fd = open(UMMUNOTIFY_DEVICE,
			     O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (ummunotify.fd < 0) {
		ret = -errno;
		FI_WARN(&core_prov, FI_LOG_MR, "open %s: %s\n",
			UMMUNOTIFY_DEVICE, strerror(errno));
		return ret;
	}

	page = mmap(NULL, ofi_get_page_size(), PROT_READ, MAP_SHARED,
		    ummunotify.fd, 0);
	if (page == MAP_FAILED) {
		ret = -errno;
		FI_WARN(&core_prov, FI_LOG_MR, "ummunotify mmap: %s\n",
			strerror(errno));
		goto closefd;
	}
	ummunotify.counter = page;
	ummunotify.seen = *ummunotify.counter;

	pthread_once(&atfork_once, ummunotify_register_atfork);

	ret = pthread_create(&ummunotify.thread, NULL,
			     ofi_ummunotify_handler, NULL);
	if (ret) {
		FI_WARN(&core_prov, FI_LOG_MR,
			"failed to create handler thread %s\n", strerror(ret));
		ret = -ret;
		goto unmap;
	}
	FI_INFO(&core_prov, FI_LOG_MR, "ummunotify monitor started\n");
	return 0;

unmap:
	munmap(page, ofi_get_page_size());
closefd:
	close(ummunotify.fd);
	ummunotify.fd = -1;
	return ret;
}

static void ofi_ummunotify_stop(struct ofi_mem_monitor *monitor)
{
	struct ummunotify_sub *sub;

	if (ummunotify.forked)
		return;

	pthread_cancel(ummunotify.thread);
	pthread_join(ummunotify.thread, NULL);
	FI_INFO(&core_prov, FI_LOG_MR,
		"ummunotify monitor stats: registers %zu, unregisters %zu, invalidations %zu\n",
		ummunotify.registers, ummunotify.unregisters,
		ummunotify.invalidations);
	while (!dlist_empty(&ummunotify.subs)) {
		dlist_pop_front(&ummunotify.subs, struct ummunotify_sub,
				sub, entry);
		free(sub);
	}
	munmap((void *) ummunotify.counter, ofi_get_page_size());
	close(ummunotify.fd);
	ummunotify.fd = -1;
}

#else /* HAVE_UMMUNOTIFY_MONITOR */

static int ofi_ummunotify_start(struct ofi_mem_monitor *monitor)
{
	return -FI_ENOSYS;
}

static void ofi_ummunotify_stop(struct ofi_mem_monitor *monitor)
{
}

static struct ofi_mem_monitor ummunotify = {
	.iface = FI_HMEM_SYSTEM,
	.init = ofi_monitor_init,
	.cleanup = ofi_monitor_cleanup,
	.start = ofi_ummunotify_start,
	.stop = ofi_ummunotify_stop,
};
struct ofi_mem_monitor *ummunotify_monitor = &ummunotify;

#endif /* HAVE_UMMUNOTIFY_MONITOR */
