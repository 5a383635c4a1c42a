/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ummunotify: the per-file context and the registrations it watches.
 *
 * Locking, outermost first:
 *   read_mutex           serializes read(); held across copy_to_user().
 *   registration_mutex   the cookie table, the stock of spare
 *                        registrations and nr_registrations; never
 *                        held across a user copy (faults take mmap_lock,
 *                        which mmap() holds while calling us).
 *   lock                 a spinlock shared with the MMU notifier: the
 *                        interval tree (with rightmost and max_last),
 *                        the large tree, the page bits
 *                        of the block map and its removals, the invalid
 *                        queue, every hit state, need_empty, dead, used,
 *                        settled, negotiated and features, nr_queued,
 *                        the monitors' list and rings' write side
 *                        (monitor.h), the table of generation pages
 *                        and the generation words. Nothing under it sleeps,
 *                        allocates or touches user memory.
 *
 * The trees and the block map change only with registration_mutex and
 * lock both held, so a holder of registration_mutex alone may read them.
 */
#ifndef _UMMUNOTIFY_FILE_H
#define _UMMUNOTIFY_FILE_H

#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/ummunotify.h>

#include "monitor.h"

/*
 * struct ummunotify_hit - what a queued report will say.
 * @state:        UMMUNOTIFY_QUERY_REG_{QUEUED,HINT,HINT_UNION}.
 * @first_reason: UMMUNOTIFY_REASON_* of the hit that queued the report.
 * @reason_mask:  (1 << reason) of every hit since.
 * @hint_start, @hint_end: the hinted range when HINT is set.
 */
struct ummunotify_hit {
	unsigned long	hint_start;
	unsigned long	hint_end;
	u32		state;
	u8		first_reason;
	u16		reason_mask;
};

/*
 * struct ummunotify_registration - one registered range.
 * @rb, @start, @last, @subtree_last: interval tree node ([start, last]
 *                inclusive); protected by the file's lock.
 * @cookie_next, @user_cookie: chain in the cookie table; protected by
 *                the file's registration_mutex (the cookie never changes).
 * @filter:       reasons ignored (FEATURE_FILTER, a subset of
 *                UMMUNOTIFY_REASON_VALID_MASK); never changes.
 * @large:        touches more than UMMUNOTIFY_SMALL_BLOCKS blocks: kept
 *                in the large tree as well, inside a struct
 *                ummunotify_large_registration; never changes.
 * @slot:         its generation word (REGISTER_SLOT), or
 *                UMMUNOTIFY_NO_SLOT; never changes.
 * @queue_node, @hit: position in the invalid queue and the report
 *                state; protected by the file's lock.
 */
struct ummunotify_registration {
	struct rb_node		rb;
	unsigned long		start;
	unsigned long		last;
	unsigned long		subtree_last;
	struct ummunotify_registration *cookie_next;
	u64			user_cookie;
	u16			filter;
	bool			large;
	u32			slot;
	struct list_head	queue_node;
	struct ummunotify_hit	hit;
};

/*
 * struct ummunotify_cookie_table - the registrations by cookie
 * (cookies.c), all of it under registration_mutex.
 * @chains, @bits: 1 << @bits chains through cookie_next.
 * @nr:     registrations in the table.
 * @multiplier: the secret of the hash on the whole cookie, odd.
 * @runs:   the cookie's low bits pick its chain (consecutive cookies in
 *          adjacent chains), until a chain grows long or the table
 *          halves; then the whole cookie is hashed with @multiplier.
 */
struct ummunotify_cookie_table {
	struct ummunotify_registration	**chains;
	unsigned int			bits;
	unsigned int			nr;
	u64				multiplier;
	bool				runs;
};

/*
 * struct ummunotify_spare_regs - small registrations allocated ahead
 * (device.c), under registration_mutex: REGISTER takes one, UNREGISTER
 * gives one back, and an empty stock is refilled with one bulk
 * allocation (one trip into the slab, one memcg charge).
 */
#define UMMUNOTIFY_SPARE_REGS		64

struct ummunotify_spare_regs {
	unsigned int			nr;
	struct ummunotify_registration	*regs[UMMUNOTIFY_SPARE_REGS];
};

#define UMMUNOTIFY_NO_SLOT		U32_MAX
#define UMMUNOTIFY_WORDS_PER_PAGE	(PAGE_SIZE / sizeof(u64))

/*
 * struct ummunotify_generations - the generation words (generations.c).
 * @words:    the address of each page of words; the notifier and the
 *            fault handler read it, and its entries, under the lock; it
 *            is swapped and appended to with the lock and
 *            registration_mutex held.
 * @nr_pages: pages in @words.
 * @cap:      entries @words has room for; under registration_mutex.
 * @slots:    the slots in use; under registration_mutex.
 */
struct ummunotify_generations {
	u64		**words;
	unsigned int	nr_pages;
	unsigned int	cap;
	struct ida	slots;
};

/*
 * The miss check (blocks.c) answers "does any registration overlap this
 * invalidation?" without descending the interval tree when the answer is
 * no. Registrations touching at most UMMUNOTIFY_SMALL_BLOCKS 2 MiB blocks
 * ("small") set a bit per page they touch in the block map; the others
 * ("large") are kept in a second interval tree, the large tree.
 */
#define UMMUNOTIFY_BLOCK_ORDER	9
#define UMMUNOTIFY_BLOCK_PAGES	BIT(UMMUNOTIFY_BLOCK_ORDER)
#define UMMUNOTIFY_BLOCK_SHIFT	(PAGE_SHIFT + UMMUNOTIFY_BLOCK_ORDER)
#define UMMUNOTIFY_SMALL_BLOCKS	2

/*
 * struct ummunotify_large_registration - a large registration and its
 * node in the large tree (@rb, @subtree_last over reg.start, reg.last);
 * the node is protected by the file's lock.
 */
struct ummunotify_large_registration {
	struct ummunotify_registration	reg;
	struct rb_node			rb;
	unsigned long			subtree_last;
};

/*
 * struct ummunotify_block - the small registrations of one block.
 * @next:   chain in the block map's table; next[gen] is in use, the other
 *          one is written only while the table is rebuilt.
 * @index:  the block's number, address >> UMMUNOTIFY_BLOCK_SHIFT.
 * @nr:     small registrations touching the block (at least 1 while in
 *          the map); protected by the file's registration_mutex.
 * @shared: two small registrations have touched one page of the block
 *          since it was added; UNREGISTER then looks for the others.
 * @pages:  bit n set if a small registration may touch page n of the
 *          block; clear only if none does.
 * Linked, unlinked, @shared and @pages: under the file's lock (with
 * registration_mutex held too).
 */
struct ummunotify_block {
	struct ummunotify_block	*next[2];
	unsigned long		index;
	unsigned int		nr;
	bool			shared;
	DECLARE_BITMAP(pages, UMMUNOTIFY_BLOCK_PAGES);
};

/*
 * struct ummunotify_block_map - a hash table of blocks by index.
 * @table, @bits, @gen: 1 << @bits chains linked through next[@gen]; the
 *          notifier reads them under the lock, and they change with the
 *          lock and registration_mutex held.
 * @nr:     blocks in the map; protected by registration_mutex.
 * @hint:   the block REGISTER added to last, while in the map; the next
 *          REGISTER usually lands in it and skips the hash. Under
 *          registration_mutex.
 */
struct ummunotify_block_map {
	struct ummunotify_block	**table;
	unsigned int		bits;
	unsigned int		gen;
	unsigned long		nr;
	struct ummunotify_block	*hint;
};

/*
 * struct ummunotify_blocks_op - the blocks a small registration touches,
 * found under registration_mutex for REGISTER or UNREGISTER, which then
 * changes them under the lock. On REGISTER, bit i of @fresh is set if
 * blocks[i] is new to the map.
 */
struct ummunotify_blocks_op {
	struct ummunotify_block	*blocks[UMMUNOTIFY_SMALL_BLOCKS];
	unsigned int		nr;
	unsigned int		fresh;
};

/*
 * struct ummunotify_report - a report taken off the invalid queue by
 * read(), kept until it is known to have reached the user.
 */
struct ummunotify_report {
	u32			type;
	u64			user_cookie_counter;
	unsigned long		start;
	unsigned long		end;
	struct ummunotify_hit	hit;
};

#define UMMUNOTIFY_READ_MAX_EVENTS (PAGE_SIZE / sizeof(struct ummunotify_event))

struct ummunotify_file {
	/* One for the open file, one per monitor (monitor.h). */
	struct kref		ref;
	struct mmu_notifier	notifier;
	/* The owner; kept allocated by mmu_notifier_register()'s mmgrab. */
	struct mm_struct	*mm;

	/* Shared with the notifier; see the locking order above. */
	spinlock_t		lock;
	struct rb_root_cached	tree;
	/*
	 * The tree's last node, and a bound on every registration's last
	 * (exact when nothing is registered); see registration.c.
	 */
	struct ummunotify_registration *rightmost;
	unsigned long		max_last;
	struct rb_root_cached	large;
	struct list_head	invalid_queue;
	unsigned int		nr_queued;
	bool			need_empty;
	bool			dead;
	/* The rules the file follows; see features.c. */
	/* as 2010: ends EXCHANGE_FEATURES; once set, read without the lock */
	bool			used;
	bool			settled;	/* any use: ends NEGOTIATE_FEATURES */
	bool			negotiated;	/* REGISTER is strict */
	u32			features;	/* in force; only once negotiated */
	/* Under lock; see monitor.h. */
	struct ummunotify_monitors monitors;

	/* The generation counter page, mapped read-only by mmap(). */
	struct page		*counter_page;
	u64			*counter;
	/* FEATURE_GENERATIONS; see struct ummunotify_generations. */
	struct ummunotify_generations generations;

	/* Protects cookies, spare and nr_registrations; nests outside lock. */
	struct mutex		registration_mutex;
	struct ummunotify_cookie_table cookies;
	/* See struct ummunotify_block_map. */
	struct ummunotify_block_map blocks;
	unsigned int		nr_registrations;

	/* Serializes readers; protects reports and events. */
	struct mutex		read_mutex;
	struct ummunotify_report *reports;
	struct ummunotify_event	*events;

	wait_queue_head_t	read_wait;
	struct fasync_struct	*async_queue;

	/* Last: 520 bytes only REGISTER and UNREGISTER touch. */
	struct ummunotify_spare_regs spare;
};

extern unsigned int ummunotify_max_registrations;

/* device.c */
struct ummunotify_registration *
ummunotify_registration_alloc_slow(struct ummunotify_spare_regs *spare,
				   bool large);
void ummunotify_registration_free(struct ummunotify_spare_regs *spare,
				  struct ummunotify_registration *reg);
void ummunotify_registrations_free_bulk(struct ummunotify_registration **regs,
					size_t nr);
void ummunotify_spare_regs_free(struct ummunotify_spare_regs *spare);
struct ummunotify_file *ummunotify_file_alloc(void);
void ummunotify_file_free_struct(struct ummunotify_file *file);
struct ummunotify_monitor *ummunotify_monitor_alloc(void);
void ummunotify_monitor_free_struct(struct ummunotify_monitor *mon);

/*
 * Under registration_mutex; uninitialized: the caller sets every field.
 * Small registrations come from the file's stock (struct
 * ummunotify_spare_regs).
 */
static inline struct ummunotify_registration *
ummunotify_registration_alloc(struct ummunotify_spare_regs *spare, bool large)
{
	if (likely(!large && spare->nr))
		return spare->regs[--spare->nr];
	return ummunotify_registration_alloc_slow(spare, large);
}

/* file.c */
int ummunotify_file_check_caller(struct ummunotify_file *file);
bool ummunotify_file_readable(struct ummunotify_file *file);
void ummunotify_file_put(struct ummunotify_file *file);
extern const struct file_operations ummunotify_fops;

/* features.c */
u32 ummunotify_file_first_use(struct ummunotify_file *file);
void ummunotify_file_settle(struct ummunotify_file *file);
long ummunotify_exchange_features(struct ummunotify_file *file,
				  u32 __user *arg);
long ummunotify_negotiate_features(struct ummunotify_file *file,
				   struct ummunotify_features __user *arg);

/*
 * A use as the 2010 driver counted it (REGISTER, read(), and the calls
 * it did not have): EXCHANGE_FEATURES is refused afterwards, and so is
 * NEGOTIATE_FEATURES. Returns the features in force.
 */
static inline u32 ummunotify_file_use(struct ummunotify_file *file)
{
	/*
	 * Once used, a file's features never change: REGISTER, the common
	 * case, skips the lock. Pairs with the release in
	 * ummunotify_negotiate_features(), the one writer of features.
	 */
	if (likely(smp_load_acquire(&file->used)))
		return READ_ONCE(file->features);
	return ummunotify_file_first_use(file);
}

/* REGISTER checks flags and reserved only on a file that negotiated. */
static inline bool ummunotify_file_strict(struct ummunotify_file *file)
{
	return READ_ONCE(file->negotiated);
}

/* cookies.c */
void ummunotify_cookies_init(struct ummunotify_cookie_table *t);
void ummunotify_cookies_destroy(struct ummunotify_cookie_table *t);
struct ummunotify_registration *
ummunotify_cookies_lookup(const struct ummunotify_cookie_table *t, u64 cookie);
int ummunotify_cookies_insert(struct ummunotify_cookie_table *t,
			      struct ummunotify_registration *reg);
void ummunotify_cookies_remove(struct ummunotify_cookie_table *t,
			       struct ummunotify_registration *reg);

/* registration.c */
void ummunotify_registrations_init(struct ummunotify_file *file);
void ummunotify_registrations_destroy(struct ummunotify_file *file);
long ummunotify_register_region(struct ummunotify_file *file,
				void __user *arg);
long ummunotify_register_slot(struct ummunotify_file *file,
			      struct ummunotify_register_slot __user *arg);
long ummunotify_unregister_region(struct ummunotify_file *file,
				  u64 __user *arg);
struct ummunotify_registration *
ummunotify_registration_lookup(struct ummunotify_file *file, u64 cookie);
struct ummunotify_registration *
ummunotify_registration_first_overlap(struct ummunotify_file *file,
				      unsigned long start, unsigned long last);
struct ummunotify_registration *
ummunotify_registration_next_overlap(struct ummunotify_registration *reg,
				     unsigned long start, unsigned long last);

/* blocks.c */
void ummunotify_blocks_init(struct ummunotify_file *file);
void ummunotify_blocks_destroy(struct ummunotify_file *file);
bool ummunotify_blocks_may_overlap(struct ummunotify_file *file,
				   unsigned long start, unsigned long last);
int ummunotify_blocks_prepare_add(struct ummunotify_file *file,
				  const struct ummunotify_registration *reg,
				  struct ummunotify_blocks_op *op);
void ummunotify_blocks_add(struct ummunotify_file *file,
			   struct ummunotify_registration *reg,
			   struct ummunotify_blocks_op *op);
void ummunotify_blocks_prepare_del(struct ummunotify_file *file,
				   const struct ummunotify_registration *reg,
				   struct ummunotify_blocks_op *op);
void ummunotify_blocks_del(struct ummunotify_file *file,
			   struct ummunotify_registration *reg,
			   struct ummunotify_blocks_op *op);
void ummunotify_blocks_finish_del(struct ummunotify_file *file,
				  struct ummunotify_blocks_op *op);

static inline bool ummunotify_blocks_is_large(unsigned long start,
					      unsigned long last)
{
	return (last >> UMMUNOTIFY_BLOCK_SHIFT) -
	       (start >> UMMUNOTIFY_BLOCK_SHIFT) >= UMMUNOTIFY_SMALL_BLOCKS;
}

/* notifier.c */
extern const struct mmu_notifier_ops ummunotify_notifier_ops;

/* invalid_queue.c */
void ummunotify_queue_hit(struct ummunotify_file *file,
			  struct ummunotify_registration *reg,
			  unsigned long start, unsigned long end, u8 reason);
void ummunotify_queue_remove(struct ummunotify_file *file,
			     struct ummunotify_registration *reg);
unsigned int ummunotify_queue_pop(struct ummunotify_file *file,
				  struct ummunotify_report *reports,
				  unsigned int max);
void ummunotify_queue_requeue(struct ummunotify_file *file,
			      const struct ummunotify_report *reports,
			      unsigned int n, bool need_empty_before);
u32 ummunotify_hit_event_flags(const struct ummunotify_hit *hit, u32 features);

/* read.c */
ssize_t ummunotify_read(struct file *filp, char __user *buf, size_t count,
			loff_t *pos);

/* counter.c */
int ummunotify_counter_alloc(struct ummunotify_file *file);
void ummunotify_counter_free(struct ummunotify_file *file);
void ummunotify_counter_bump(struct ummunotify_file *file);
int ummunotify_counter_mmap(struct ummunotify_file *file,
			    struct vm_area_struct *vma);

/* generations.c */
void ummunotify_generations_init(struct ummunotify_file *file);
void ummunotify_generations_destroy(struct ummunotify_file *file);
int ummunotify_slot_alloc(struct ummunotify_file *file, u32 *slot);
void ummunotify_slot_free(struct ummunotify_file *file, u32 slot);
int ummunotify_generations_mmap(struct ummunotify_file *file,
				struct vm_area_struct *vma);

/* Under the lock: the word of @slot, whose page exists. */
static inline u64 *ummunotify_generation_word(struct ummunotify_file *file,
					      u32 slot)
{
	return &file->generations.words[slot / UMMUNOTIFY_WORDS_PER_PAGE]
					[slot % UMMUNOTIFY_WORDS_PER_PAGE];
}

/*
 * Under the lock, after what the hit or UNREGISTER changed. One store;
 * nothing sleeps or allocates.
 */
static inline void
ummunotify_generation_bump(struct ummunotify_file *file,
			   const struct ummunotify_registration *reg)
{
	u64 *word;

	if (reg->slot == UMMUNOTIFY_NO_SLOT)
		return;
	word = ummunotify_generation_word(file, reg->slot);
	/*
	 * Pairs with the owner's acquire load: a reader that sees the new
	 * value and then calls read() finds the report queued before it.
	 */
	smp_store_release(word, *word + 1);
}

/* query.c */
long ummunotify_query(struct ummunotify_file *file, void __user *arg);
long ummunotify_query_monitor(struct ummunotify_monitor *mon,
			      void __user *arg);

/* The one check on every path, under the lock: is anything watching? */
static inline bool ummunotify_monitored(struct ummunotify_file *file)
{
	return unlikely(file->monitors.nr);
}

#endif /* _UMMUNOTIFY_FILE_H */
