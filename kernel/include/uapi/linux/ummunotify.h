/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause) */
/*
 * ummunotify: userspace MMU notifications.
 *
 * A process opens /dev/ummunotify read-only and uses the file as follows:
 *
 * 1. ioctl(UMMUNOTIFY_REGISTER_REGION / UMMUNOTIFY_UNREGISTER_REGION)
 *    registers or removes an address range [start, end) of the opener's
 *    own memory map, identified by an opaque 64-bit cookie.
 *
 * 2. read() returns struct ummunotify_event records. An INVAL event
 *    names a registration that was invalidated (unmapped, its pages
 *    zapped, write-protected, migrated...) since it was last reported.
 *    When a read() drains the queue after INVAL events were returned, it
 *    ends with one LAST event carrying the generation counter.
 *    poll()/epoll() and SIGIO (F_SETOWN + O_ASYNC) report readability.
 *
 * 3. mmap() of one page at offset 0 (PROT_READ, MAP_SHARED) gives a
 *    __u64 generation counter, incremented once per invalidation that
 *    overlaps at least one registration. If it still equals the counter
 *    of the last LAST event read, nothing is queued and no read() is
 *    needed. Load it with acquire ordering:
 *    __atomic_load_n(counter, __ATOMIC_ACQUIRE).
 *
 * Everything in the first part of this header is the ABI of the 2010
 * ummunotify patch series, unchanged in names, layouts and numbers, and a
 * program written for it runs unchanged:
 *   - UMMUNOTIFY_EXCHANGE_FEATURES writes back 0 and turns nothing on,
 *     whatever it is passed (2010 programs pass it uninitialized values);
 *   - on a file that did not negotiate, REGISTER ignores flags and
 *     reserved, as in 2010 (Open MPI 1.5-1.10 leaves flags uninitialized).
 * The extensions in the second part are negotiated only with
 * UMMUNOTIFY_NEGOTIATE_FEATURES, as the first operation on the file; a
 * file that negotiated (even for no feature) gets strict checking of
 * REGISTER's flags and reserved. Without it behaviour is the 2010 one.
 *
 * Errors (every ioctl, read and mmap):
 *   EBADF   the caller's memory map is not the one that opened the file
 *           (a fork child, a process that received the fd over a unix
 *           socket); nothing is changed.
 *   ENODEV  (ioctl, mmap) the memory map that opened the file has gone
 *           away (exit or exec of its owner). read() never gives it: from
 *           any process it drains what was queued, then returns 0;
 *           poll() reports EPOLLHUP.
 *   ENOTTY  an unknown ioctl command.
 *   EINVAL  a malformed argument; see each ioctl.
 *   EFAULT  an argument pointer is not accessible.
 *   ENOMEM  out of (memory-cgroup charged) kernel memory.
 *   ENOSPC  REGISTER past the per-file limit (module parameter
 *           max_registrations).
 */
#ifndef _UAPI_LINUX_UMMUNOTIFY_H
#define _UAPI_LINUX_UMMUNOTIFY_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * struct ummunotify_register_ioctl - argument of UMMUNOTIFY_REGISTER_REGION.
 * @start:       first address of the range (inclusive).
 * @end:         end of the range (exclusive); start < end <= the task's
 *               user address limit, else EINVAL.
 * @user_cookie: opaque value reported back in INVAL events; it must be
 *               unique among this file's registrations (duplicate: EINVAL).
 * @flags:       ignored unless the file negotiated (as in 2010: set it to
 *               0). On a file that negotiated: must be 0 (EINVAL
 *               otherwise) unless UMMUNOTIFY_FEATURE_FILTER was granted,
 *               then a mask of (1 << UMMUNOTIFY_REASON_*) to ignore for
 *               this registration; unknown bits give EINVAL.
 * @reserved:    ignored unless the file negotiated (as in 2010: set it to
 *               0); on a file that negotiated, non-zero gives EINVAL.
 */
struct ummunotify_register_ioctl {
	__u64	start;
	__u64	end;
	__u64	user_cookie;
	__u32	flags;
	__u32	reserved;
};

#define UMMUNOTIFY_MAGIC		'U'

/*
 * In/out __u32, kept as the 2010 driver had it: the value passed is read
 * and ignored, 0 is written back, and nothing is turned on. It fails with
 * EINVAL once the file has been used as the 2010 driver counted uses: a
 * REGISTER that read its argument, a read(), an earlier EXCHANGE_FEATURES
 * (even one that failed with EFAULT), and the later calls NEGOTIATE and
 * QUERY. UNREGISTER, mmap(), poll() and fcntl() do not count. Extensions
 * are negotiated with UMMUNOTIFY_NEGOTIATE_FEATURES instead.
 */
#define UMMUNOTIFY_EXCHANGE_FEATURES	_IOWR(UMMUNOTIFY_MAGIC, 1, __u32)
/* Register a range; see struct ummunotify_register_ioctl. */
#define UMMUNOTIFY_REGISTER_REGION	_IOW(UMMUNOTIFY_MAGIC, 2, \
					     struct ummunotify_register_ioctl)
/*
 * Unregister by cookie (a __u64; unknown cookie: EINVAL). A queued
 * report for it is dropped; no event for it is delivered afterwards.
 */
#define UMMUNOTIFY_UNREGISTER_REGION	_IOW(UMMUNOTIFY_MAGIC, 3, __u64)

/*
 * Event types.
 * INVAL: the registration user_cookie_counter was invalidated.
 * LAST:  ends a read() that drained the queue after INVAL events were
 *        read; user_cookie_counter is the generation counter then.
 */
enum {
	UMMUNOTIFY_EVENT_TYPE_INVAL	= 0,
	UMMUNOTIFY_EVENT_TYPE_LAST	= 1,
};

/*
 * Event flags.
 * HINT: [hint_start, hint_end) bounds what was invalidated: the overlap of
 * the registration with the one invalidation that hit it. Without HINT
 * (the registration was hit more than once before it was read) the hint
 * fields hold the whole registered range.
 */
enum {
	UMMUNOTIFY_EVENT_FLAG_HINT	= 1 << 0,
};

/*
 * struct ummunotify_event - one record returned by read(); read() returns
 * whole records only, as many as fit in the buffer, at most one page
 * worth. A buffer smaller than one record is EINVAL.
 */
struct ummunotify_event {
	__u32	type;
	__u32	flags;
	__u64	hint_start;
	__u64	hint_end;
	__u64	user_cookie_counter;
};

/* ---------------------------------------------------------------------
 * Extensions. None is active unless negotiated.
 */

/*
 * struct ummunotify_features - argument of UMMUNOTIFY_NEGOTIATE_FEATURES.
 * @requested: (in) UMMUNOTIFY_FEATURE_* bits wanted; unknown bits are
 *             not an error, they are just not granted.
 * @granted:   (out) requested & supported: the features now in force.
 * @supported: (out) every feature this kernel implements.
 * @reserved:  (in) must be 0 (EINVAL otherwise).
 *
 * Only as the first operation on the file, once: after any REGISTER,
 * UNREGISTER, QUERY, read() or EXCHANGE_FEATURES, after an mmap() of the
 * counter page, and after a successful NEGOTIATE_FEATURES, it fails with
 * EINVAL. A NEGOTIATE_FEATURES that fails (EFAULT, reserved) changes
 * nothing and may be made again. On success the file is "negotiated",
 * even if nothing was granted: REGISTER then refuses unknown flags bits
 * and non-zero reserved (EINVAL).
 */
struct ummunotify_features {
	__u64	requested;
	__u64	granted;
	__u64	supported;
	__u64	reserved;
};

#define UMMUNOTIFY_NEGOTIATE_FEATURES	_IOWR(UMMUNOTIFY_MAGIC, 7, \
					      struct ummunotify_features)

/*
 * UMMUNOTIFY_FEATURE_REASON: INVAL events say why. flags bits 8-15 hold
 * the reason of the first invalidation since the registration was last
 * reported, bits 16-31 a mask (1 << reason) of every reason seen since.
 */
#define UMMUNOTIFY_FEATURE_REASON	(1U << 0)
/*
 * UMMUNOTIFY_FEATURE_FILTER: the flags of REGISTER is a mask of reasons
 * to ignore for that registration. An ignored invalidation neither queues
 * a report for it nor, by itself, increments the counter.
 */
#define UMMUNOTIFY_FEATURE_FILTER	(1U << 1)
/*
 * UMMUNOTIFY_FEATURE_HINT_UNION: a registration hit more than once before
 * it is read reports the union [min start, max end) of the hit ranges
 * (clipped to the registration), with HINT and HINT_UNION set, instead
 * of clearing HINT and reporting the whole range.
 */
#define UMMUNOTIFY_FEATURE_HINT_UNION	(1U << 2)
/* UMMUNOTIFY_FEATURE_QUERY: the UMMUNOTIFY_QUERY ioctl is available. */
#define UMMUNOTIFY_FEATURE_QUERY	(1U << 3)

/*
 * UMMUNOTIFY_FEATURE_MONITOR: reserved for watching another process's
 * file (UMMUNOTIFY_MONITOR_OPEN). NOT YET SUPPORTED: monitors are not
 * implemented, so no kernel reports this bit in supported and
 * NEGOTIATE_FEATURES never grants it.
 */
#define UMMUNOTIFY_FEATURE_MONITOR	(1U << 4)

/* Every feature this kernel implements: what supported reports. */
#define UMMUNOTIFY_FEATURES_ALL		(UMMUNOTIFY_FEATURE_REASON | \
					 UMMUNOTIFY_FEATURE_FILTER | \
					 UMMUNOTIFY_FEATURE_HINT_UNION | \
					 UMMUNOTIFY_FEATURE_QUERY)

/* Set with HINT when the hint is the union of several hits. */
#define UMMUNOTIFY_EVENT_FLAG_HINT_UNION	(1U << 1)

/*
 * Reasons: a stable enum of our own, mapped from the kernel's
 * enum mmu_notifier_event. UNKNOWN stands for any event a newer kernel
 * adds. Typical sources:
 *   UNMAP            munmap, mmap(MAP_FIXED) over, mremap move/shrink
 *   CLEAR            madvise(DONTNEED/FREE/PAGEOUT), copy-on-write after
 *                    fork or after a zero-page read, reclaim, KSM, THP split
 *   PROTECTION_VMA   mprotect, NUMA balancing, userfaultfd write-protect
 *   PROTECTION_PAGE  fork write-protecting a private VMA, shared writeback
 *   SOFT_DIRTY       clear_refs soft-dirty reset
 *   RELEASE          (interval notifiers only; not seen by this driver)
 *   MIGRATE          device-private migration
 *   EXCLUSIVE        device-exclusive access
 */
enum {
	UMMUNOTIFY_REASON_UNMAP			= 0,
	UMMUNOTIFY_REASON_CLEAR			= 1,
	UMMUNOTIFY_REASON_PROTECTION_VMA	= 2,
	UMMUNOTIFY_REASON_PROTECTION_PAGE	= 3,
	UMMUNOTIFY_REASON_SOFT_DIRTY		= 4,
	UMMUNOTIFY_REASON_RELEASE		= 5,
	UMMUNOTIFY_REASON_MIGRATE		= 6,
	UMMUNOTIFY_REASON_EXCLUSIVE		= 7,
	UMMUNOTIFY_REASON_UNKNOWN		= 15,
};

#define UMMUNOTIFY_REASON_VALID_MASK	0x80ffU

#define UMMUNOTIFY_EVENT_REASON_SHIFT		8
#define UMMUNOTIFY_EVENT_REASON_MASK_SHIFT	16
#define UMMUNOTIFY_EVENT_REASON(flags)		(((flags) >> 8) & 0xffU)
#define UMMUNOTIFY_EVENT_REASON_MASK(flags)	(((flags) >> 16) & 0xffffU)

/*
 * UMMUNOTIFY_QUERY: a snapshot that changes nothing (no report is
 * consumed, "need empty" is kept). The caller supplies arrays and their
 * capacities; the kernel fills at most that many entries and always
 * returns the true totals, so a caller whose arrays were too small sees
 * nr_regs > regs_cap (or nr_queued > queue_cap) and retries with larger
 * ones. Without UMMUNOTIFY_FEATURE_QUERY negotiated: EINVAL.
 */
enum {
	UMMUNOTIFY_QUERY_REG_QUEUED	= 1 << 0, /* a report is queued */
	UMMUNOTIFY_QUERY_REG_HINT	= 1 << 1, /* hint fields are exact */
	UMMUNOTIFY_QUERY_REG_HINT_UNION	= 1 << 2, /* hint is a union */
};

/* QUERY flags: a read() now would return at least a LAST event. */
#define UMMUNOTIFY_QUERY_NEED_EMPTY	(1U << 0)
/*
 * QUERY flags: the owner's memory map went away while the snapshot was
 * taken (a QUERY issued afterwards fails with ENODEV).
 */
#define UMMUNOTIFY_QUERY_DEAD		(1U << 1)

/*
 * struct ummunotify_query_reg - one registration in a snapshot.
 * @state:        UMMUNOTIFY_QUERY_REG_* bits.
 * @reason_flags: as the flags bits 8-31 of the INVAL event it would
 *                produce (0 when not queued or without FEATURE_REASON).
 * @filter:       the REGISTER flags (reasons ignored).
 * @hint_start, @hint_end: what the INVAL event would carry now (the whole
 *                range when queued without HINT; 0 when not queued).
 */
struct ummunotify_query_reg {
	__u64	start;
	__u64	end;
	__u64	user_cookie;
	__u64	hint_start;
	__u64	hint_end;
	__u32	state;
	__u32	reason_flags;
	__u32	filter;
	__u32	reserved;
};

/*
 * struct ummunotify_query - argument of UMMUNOTIFY_QUERY.
 * @regs_ptr:  user pointer to regs_cap struct ummunotify_query_reg,
 *             filled in order of start, then end, then user_cookie.
 * @queue_ptr: user pointer to queue_cap __u64 cookies: the invalid queue
 *             in the order read() would return it.
 * @regs_cap, @queue_cap: capacities (in); may be 0 to learn the totals.
 * @nr_regs, @nr_queued: totals (out).
 * @counter:   the generation counter (out).
 * @flags:     UMMUNOTIFY_QUERY_NEED_EMPTY, UMMUNOTIFY_QUERY_DEAD (out).
 * @reserved:  must be 0 (in).
 */
struct ummunotify_query {
	__u64	regs_ptr;
	__u64	queue_ptr;
	__u32	regs_cap;
	__u32	queue_cap;
	__u32	nr_regs;
	__u32	nr_queued;
	__u64	counter;
	__u32	flags;
	__u32	reserved;
};

#define UMMUNOTIFY_QUERY		_IOWR(UMMUNOTIFY_MAGIC, 4, \
					      struct ummunotify_query)

#endif /* _UAPI_LINUX_UMMUNOTIFY_H */
