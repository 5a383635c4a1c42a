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
 *           socket); nothing is changed. UMMUNOTIFY_MONITOR_OPEN is the
 *           one call allowed from any memory map (see "Monitors").
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
 * UMMUNOTIFY_FEATURE_MONITOR: UMMUNOTIFY_MONITOR_OPEN and
 * UMMUNOTIFY_MONITOR_QUERY are available (see the end of this header).
 * Reported in supported; a file needs no negotiation to be monitored.
 */
#define UMMUNOTIFY_FEATURE_MONITOR	(1U << 4)

/*
 * UMMUNOTIFY_FEATURE_GENERATIONS: per-registration generation words, so
 * that a registration cache checks one registration with one load
 * (see "Generations" at the end of this header).
 */
#define UMMUNOTIFY_FEATURE_GENERATIONS	(1U << 5)

/* Every feature this kernel implements: what supported reports. */
#define UMMUNOTIFY_FEATURES_ALL		(UMMUNOTIFY_FEATURE_REASON | \
					 UMMUNOTIFY_FEATURE_FILTER | \
					 UMMUNOTIFY_FEATURE_HINT_UNION | \
					 UMMUNOTIFY_FEATURE_QUERY | \
					 UMMUNOTIFY_FEATURE_MONITOR | \
					 UMMUNOTIFY_FEATURE_GENERATIONS)

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

/* ---------------------------------------------------------------------
 * Monitors: watching a file from outside, without its owner's
 * cooperation and without changing what the owner sees.
 *
 * The file descriptor is the capability. A viewer gets a duplicate of the
 * owner's descriptor with pidfd_open(pid) + pidfd_getfd(pidfd, fd) (the
 * kernel's ptrace access check: with Yama ptrace_scope=1 the viewer must
 * be an ancestor of the owner, hold CAP_SYS_PTRACE or be named by the
 * owner's PR_SET_PTRACER), or receives it over a unix socket. On that
 * duplicate, from any memory map (the one exception to the EBADF rule),
 * UMMUNOTIFY_MONITOR_OPEN returns a new descriptor, the monitor
 * (O_RDONLY | O_CLOEXEC, anon inode "[ummunotify-monitor]"); the viewer
 * then closes the duplicate. The monitor does not keep the owner's file
 * open.
 *
 * A monitor consumes nothing from the owner's queue and never moves its
 * counter. The kernel appends a record to every monitor of the file, in
 * the same critical section as the change it describes, into a ring
 * allocated at MONITOR_OPEN (charged to the opener's memory cgroup).
 * When a monitor's ring is full the new record is dropped: its sequence
 * number is used all the same, so the reader sees a gap, and the
 * monitor's dropped count (MONITOR_QUERY) grows. The owner is never
 * blocked or slowed beyond the append.
 *
 * read() on the monitor returns whole records, as many as fit (a buffer
 * smaller than one record: EINVAL), blocks until one is available
 * (EAGAIN with O_NONBLOCK). poll() gives EPOLLIN | EPOLLRDNORM when a
 * record is available. When the owner's file is released, or its memory
 * map goes away, the monitor gets a last CLOSE record (never dropped);
 * once CLOSE is read, read() returns 0 and poll() gives EPOLLHUP.
 *
 * /proc/PID/fdinfo/FD of an ummunotify file (the owner's) shows the lines
 * registrations:, queued:, counter:, features: (hexadecimal, the features
 * in force), monitors: and owner-alive: (1 while the owner's memory map
 * lives): how a viewer finds which processes have watched memory.
 */

/*
 * struct ummunotify_monitor_open - argument of UMMUNOTIFY_MONITOR_OPEN.
 * @ring_records: ring capacity in records, a power of two up to
 *                UMMUNOTIFY_MONITOR_RING_MAX; 0 means
 *                UMMUNOTIFY_MONITOR_RING_DEFAULT.
 * @flags:        UMMUNOTIFY_MONITOR_MISSES: also record invalidations
 *                that hit no registration.
 * @reserved:     must be 0.
 *
 * Errors: EINVAL (bad ring_records, unknown flags, reserved not 0),
 * EBUSY (the file already has UMMUNOTIFY_MONITOR_MAX monitors), ENODEV
 * (the owner's memory map is gone), ENOMEM (the ring), EFAULT. ENOTTY on
 * a descriptor that is not an ummunotify file.
 */
struct ummunotify_monitor_open {
	__u32	ring_records;
	__u32	flags;
	__u64	reserved;
};

#define UMMUNOTIFY_MONITOR_MISSES	(1U << 0)
#define UMMUNOTIFY_MONITOR_RING_DEFAULT	16384
#define UMMUNOTIFY_MONITOR_RING_MAX	(1U << 20)
#define UMMUNOTIFY_MONITOR_MAX		8

#define UMMUNOTIFY_MONITOR_OPEN		_IOW(UMMUNOTIFY_MAGIC, 5, \
					     struct ummunotify_monitor_open)

/*
 * struct ummunotify_monitor_record - what read() on a monitor returns.
 * @seq:     1, 2, 3... per watched file (shared by its monitors); a gap
 *           means records dropped by this monitor. A miss INVALIDATE
 *           (UMMUNOTIFY_MONITOR_MISSES) changes nothing in the file and
 *           takes no number: it carries the seq of the record before it.
 * @time_ns: ktime_get_ns() (CLOCK_MONOTONIC) when it happened.
 * @type:    UMMUNOTIFY_MONITOR_RECORD_*.
 * @flags, @start, @end, @cookie, @aux: by type, below.
 * @counter: the watched file's generation counter after it.
 *
 * FEATURES:   the owner negotiated; flags: the features granted.
 * REGISTER:   start, end, cookie; flags: its filter mask (REGISTER flags
 *             as the file took them: 0 unless FEATURE_FILTER).
 * UNREGISTER: start, end, cookie; flags: UMMUNOTIFY_MONITOR_UNREGISTER_QUEUED
 *             when a queued report for it was dropped.
 * INVALIDATE: start, end: the notifier's range; flags bits 8-15: the
 *             reason (UMMUNOTIFY_REASON_*), whatever the owner
 *             negotiated; aux: the registrations it hit (0: a miss, only
 *             with UMMUNOTIFY_MONITOR_MISSES).
 * HIT:        one per registration hit, right after its INVALIDATE:
 *             cookie; start, end: the hint its report now carries (the
 *             whole range without HINT); flags: the event flags that report
 *             would be read with (HINT, HINT_UNION, and the reason bits
 *             when FEATURE_REASON was negotiated; bit 31 of those, the
 *             mask bit of REASON_UNKNOWN, is left out: take it from the
 *             INVALIDATE records), plus UMMUNOTIFY_MONITOR_HIT_QUEUED
 *             when a report was already queued.
 * READ:       the owner's read() took aux INVAL reports off the queue;
 *             flags: UMMUNOTIFY_MONITOR_READ_LAST when it ended with LAST
 *             (counter: that LAST's value). With UMMUNOTIFY_MONITOR_READ_FAULT
 *             the copy to the owner failed instead and the aux reports of
 *             the read before (and its LAST) went back to the head of the
 *             queue (see "A failed copy loses nothing" in kernel/README.md).
 * CLOSE:      the owner's file was released; flags:
 *             UMMUNOTIFY_MONITOR_CLOSE_MM_GONE when it is because the
 *             owner's memory map went away (exit, exec), which ends the
 *             stream even if the file is still open elsewhere.
 */
struct ummunotify_monitor_record {
	__u64	seq;
	__u64	time_ns;
	__u32	type;
	__u32	flags;
	__u64	start;
	__u64	end;
	__u64	cookie;
	__u64	counter;
	__u64	aux;
};

enum {
	UMMUNOTIFY_MONITOR_RECORD_FEATURES	= 0,
	UMMUNOTIFY_MONITOR_RECORD_REGISTER	= 1,
	UMMUNOTIFY_MONITOR_RECORD_UNREGISTER	= 2,
	UMMUNOTIFY_MONITOR_RECORD_INVALIDATE	= 3,
	UMMUNOTIFY_MONITOR_RECORD_HIT		= 4,
	UMMUNOTIFY_MONITOR_RECORD_READ		= 5,
	UMMUNOTIFY_MONITOR_RECORD_CLOSE		= 6,
};

#define UMMUNOTIFY_MONITOR_UNREGISTER_QUEUED	(1U << 0)
#define UMMUNOTIFY_MONITOR_HIT_QUEUED		(1U << 31)
#define UMMUNOTIFY_MONITOR_READ_LAST		(1U << 0)
#define UMMUNOTIFY_MONITOR_READ_FAULT		(1U << 1)
#define UMMUNOTIFY_MONITOR_CLOSE_MM_GONE	(1U << 0)

/*
 * struct ummunotify_monitor_query - argument of UMMUNOTIFY_MONITOR_QUERY,
 * made on the monitor descriptor.
 * @query:   as UMMUNOTIFY_QUERY on the watched file (same rules, whatever
 *           the owner negotiated; reason_flags only if it negotiated
 *           FEATURE_REASON).
 * @seq:     (out) the seq of the newest record when the snapshot was
 *           taken: every record with a greater seq happened after it.
 * @dropped: (out) records this monitor has dropped so far.
 *
 * Errors: as UMMUNOTIFY_QUERY; ENODEV once the monitor got CLOSE.
 */
struct ummunotify_monitor_query {
	struct ummunotify_query	query;
	__u64	seq;
	__u64	dropped;
};

#define UMMUNOTIFY_MONITOR_QUERY	_IOWR(UMMUNOTIFY_MAGIC, 6, \
					      struct ummunotify_monitor_query)

/* ---------------------------------------------------------------------
 * Generations (UMMUNOTIFY_FEATURE_GENERATIONS negotiated): a __u64
 * generation word per registration, in pages the owner maps read-only,
 * so that a cache validates one registration with one acquire load
 * instead of the file's counter, which any hit anywhere moves.
 *
 * UMMUNOTIFY_REGISTER_SLOT registers a range exactly as
 * UMMUNOTIFY_REGISTER_REGION on a negotiated file (same checks, cookie
 * table, events, counter, UNREGISTER by cookie) and also gives the
 * registration a slot: an index into the generation words. It returns
 * the slot and the slot's generation at the moment the registration
 * became visible to invalidations. Registrations made with
 * REGISTER_REGION have no slot.
 *
 * The words: mmap(NULL, len, PROT_READ, MAP_SHARED, fd, off) with off =
 * UMMUNOTIFY_GENERATIONS_PGOFF * page size (the counter page is offset
 * 0) maps the words of slots [0, len / 8) from that offset on (a larger
 * off starts further in); the word of slot s is __u64 number s. off +
 * len may reach up to UMMUNOTIFY_GENERATIONS_PGOFF pages +
 * UMMUNOTIFY_GENERATIONS_MAX_SLOTS * 8 bytes; mapping all of it once
 * costs only address space. Only PROT_READ and MAP_SHARED, as the
 * counter (MAP_PRIVATE or past the area: EINVAL; PROT_WRITE with
 * MAP_SHARED, or mprotect to writable: EACCES, the file being
 * read-only), not inherited by fork, not expandable, left out of core
 * dumps. Without GENERATIONS negotiated, any offset but 0 is EINVAL, as
 * before.
 *
 * Growth: the kernel allocates the pages of the words on demand, at
 * REGISTER_SLOT, one page (page size / 8 slots) at a time, and keeps
 * them until the file is released. Slots are handed out lowest free
 * first, so the pages in use are the first ones. A page of the mapping
 * the kernel has not allocated yet gives SIGBUS when touched, and is
 * filled in once it exists: a slot returned by REGISTER_SLOT is always
 * readable in a mapping that covers it.
 *
 * The kernel is the only writer. It adds 1 to a registration's word,
 * with release ordering, before the invalidating call returns, for
 * every invalidation that hits the registration (the ones that queue or
 * would queue a report for it; with FEATURE_FILTER an ignored reason does
 * not count), and once more when the registration is unregistered. Load
 * a word with __atomic_load_n(&words[slot], __ATOMIC_ACQUIRE).
 *
 * Slot reuse without ABA: a word is never reset, not when its slot is
 * freed and not when the slot is given to a new registration; it only
 * ever grows (by 1 per hit or UNREGISTER; 64 bits never wrap). A cache
 * keeps (slot, generation) as REGISTER_SLOT returned them and trusts the
 * registration while words[slot] == generation. Once it no longer does,
 * the registration was hit (or unregistered) since REGISTER_SLOT
 * returned. Because UNREGISTER adds 1 before the slot can be reused, a
 * new registration on the same slot starts from a strictly greater
 * generation, so a stale cached copy of a freed-and-reused slot never
 * matches again.
 *
 * Errors of REGISTER_SLOT: those of REGISTER_REGION on a negotiated
 * file, and EINVAL when GENERATIONS was not negotiated or reserved is
 * not 0; ENOSPC past UMMUNOTIFY_GENERATIONS_MAX_SLOTS slots in use (as
 * well as past max_registrations); ENOMEM when a page of words cannot
 * be allocated.
 */

/*
 * struct ummunotify_register_slot - argument of UMMUNOTIFY_REGISTER_SLOT.
 * @region:     (in) as UMMUNOTIFY_REGISTER_REGION on a negotiated file.
 * @slot:       (out) the registration's slot.
 * @reserved:   (in) must be 0.
 * @generation: (out) words[slot] when the registration was added.
 */
struct ummunotify_register_slot {
	struct ummunotify_register_ioctl region;
	__u32	slot;
	__u32	reserved;
	__u64	generation;
};

#define UMMUNOTIFY_REGISTER_SLOT	_IOWR(UMMUNOTIFY_MAGIC, 8, \
					      struct ummunotify_register_slot)

/* The generation words start this many pages into the file. */
#define UMMUNOTIFY_GENERATIONS_PGOFF	1
/* Slots a file can have in use at once (32 MiB of words). */
#define UMMUNOTIFY_GENERATIONS_MAX_SLOTS	(1U << 22)

#endif /* _UAPI_LINUX_UMMUNOTIFY_H */
