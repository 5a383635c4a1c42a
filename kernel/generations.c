// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the generation words of FEATURE_GENERATIONS. A registration
 * made with REGISTER_SLOT owns a slot, a __u64 in pages the owner maps
 * read-only; the notifier adds 1 to it on every hit and UNREGISTER once
 * more, so a cache checks one registration with one load.
 *
 * The pages are allocated at REGISTER_SLOT, never in the notifier, and
 * kept until the file is freed: a word is never reset, which is what
 * makes a reused slot safe (uapi header, "Generations"). Slots come from
 * an IDA, lowest free first, so the pages in use are the first ones.
 */

#include <linux/gfp.h>
#include <linux/idr.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "ummunotify_file.h"

#define UMMUNOTIFY_GENERATIONS_MAX_PAGES \
	DIV_ROUND_UP(UMMUNOTIFY_GENERATIONS_MAX_SLOTS * sizeof(u64), PAGE_SIZE)
/* The smallest table of pages: a kvcalloc grows it by doubling. */
#define UMMUNOTIFY_GENERATIONS_MIN_CAP	16

void ummunotify_generations_init(struct ummunotify_file *file)
{
	ida_init(&file->generations.slots);
}

/* Only when the file is freed: no mapping and no notifier are left. */
void ummunotify_generations_destroy(struct ummunotify_file *file)
{
	struct ummunotify_generations *gen = &file->generations;
	unsigned int i;

	for (i = 0; i < gen->nr_pages; i++)
		free_page((unsigned long)gen->words[i]);
	kvfree(gen->words);
	ida_destroy(&gen->slots);
}

/* Under registration_mutex: room in the table for @nr pages. */
static int ummunotify_generations_reserve(struct ummunotify_file *file,
					  unsigned int nr)
{
	struct ummunotify_generations *gen = &file->generations;
	unsigned int cap;
	u64 **words, **old;

	if (nr <= gen->cap)
		return 0;
	cap = max3(nr, gen->cap * 2, UMMUNOTIFY_GENERATIONS_MIN_CAP);
	words = kvcalloc(cap, sizeof(*words), GFP_KERNEL_ACCOUNT);
	if (!words)
		return -ENOMEM;
	if (gen->nr_pages)
		memcpy(words, gen->words, gen->nr_pages * sizeof(*words));

	spin_lock(&file->lock);
	old = gen->words;
	gen->words = words;
	spin_unlock(&file->lock);
	gen->cap = cap;
	kvfree(old);
	return 0;
}

/* Under registration_mutex: every page up to the one of @slot exists. */
static int ummunotify_generations_grow(struct ummunotify_file *file,
				       u32 slot)
{
	struct ummunotify_generations *gen = &file->generations;
	unsigned int nr = slot / UMMUNOTIFY_WORDS_PER_PAGE + 1;
	unsigned long page;
	int ret;

	ret = ummunotify_generations_reserve(file, nr);
	if (ret)
		return ret;
	while (gen->nr_pages < nr) {
		page = get_zeroed_page(GFP_KERNEL_ACCOUNT);
		if (!page)
			return -ENOMEM;
		spin_lock(&file->lock);
		gen->words[gen->nr_pages++] = (u64 *)page;
		spin_unlock(&file->lock);
	}
	return 0;
}

/* Under registration_mutex: the lowest free slot, its page allocated. */
int ummunotify_slot_alloc(struct ummunotify_file *file, u32 *slot)
{
	int id, ret;

	lockdep_assert_held(&file->registration_mutex);
	id = ida_alloc_max(&file->generations.slots,
			   UMMUNOTIFY_GENERATIONS_MAX_SLOTS - 1,
			   GFP_KERNEL_ACCOUNT);
	if (id < 0)
		return id == -ENOSPC ? -ENOSPC : -ENOMEM;
	ret = ummunotify_generations_grow(file, id);
	if (ret) {
		ida_free(&file->generations.slots, id);
		return ret;
	}
	*slot = id;
	return 0;
}

/* Under registration_mutex, once the slot's last bump is done. */
void ummunotify_slot_free(struct ummunotify_file *file, u32 slot)
{
	lockdep_assert_held(&file->registration_mutex);
	ida_free(&file->generations.slots, slot);
}

/*
 * A page not allocated yet gives SIGBUS; touched again once it exists, it
 * is mapped then. PFN mappings, as the counter's: nothing to reference
 * count, and madvise(MADV_DONTNEED) cannot zap them.
 */
static vm_fault_t ummunotify_generations_fault(struct vm_fault *vmf)
{
	struct ummunotify_file *file = vmf->vma->vm_file->private_data;
	struct ummunotify_generations *gen = &file->generations;
	unsigned long index = vmf->pgoff - UMMUNOTIFY_GENERATIONS_PGOFF;
	unsigned long pfn = 0;

	spin_lock(&file->lock);
	if (index < gen->nr_pages)
		pfn = page_to_pfn(virt_to_page(gen->words[index]));
	spin_unlock(&file->lock);
	if (!pfn)
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address, pfn);
}

static const struct vm_operations_struct ummunotify_generations_vm_ops = {
	.fault	= ummunotify_generations_fault,
};

/*
 * The caller checked the owner and the protection. Any part of the
 * largest area may be mapped, before its pages exist.
 */
int ummunotify_generations_mmap(struct ummunotify_file *file,
				struct vm_area_struct *vma)
{
	unsigned long first = vma->vm_pgoff - UMMUNOTIFY_GENERATIONS_PGOFF;

	if (!(READ_ONCE(file->features) & UMMUNOTIFY_FEATURE_GENERATIONS))
		return -EINVAL;
	if (first > UMMUNOTIFY_GENERATIONS_MAX_PAGES ||
	    vma_pages(vma) > UMMUNOTIFY_GENERATIONS_MAX_PAGES - first)
		return -EINVAL;

	vm_flags_mod(vma, VM_PFNMAP | VM_IO | VM_DONTCOPY | VM_DONTEXPAND |
		     VM_DONTDUMP, VM_MAYWRITE);
	vma->vm_ops = &ummunotify_generations_vm_ops;
	return 0;
}
