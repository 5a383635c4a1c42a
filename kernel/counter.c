// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the generation counter page. The kernel is its only
 * writer (under the file's lock, with release ordering); the owner maps
 * it read-only and shared, so a load tells it whether anything happened.
 */

#include <linux/gfp.h>
#include <linux/mm.h>

#include "compat.h"
#include "ummunotify_file.h"

int ummunotify_counter_alloc(struct ummunotify_file *file)
{
	file->counter_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!file->counter_page)
		return -ENOMEM;
	file->counter = page_address(file->counter_page);
	return 0;
}

void ummunotify_counter_free(struct ummunotify_file *file)
{
	if (file->counter_page)
		__free_page(file->counter_page);
}

void ummunotify_counter_bump(struct ummunotify_file *file)
{
	lockdep_assert_held(&file->lock);
	/*
	 * Pairs with the owner's acquire load: a reader that sees the new
	 * value and then calls read() finds the reports queued before it.
	 */
	smp_store_release(file->counter, *file->counter + 1);
}

/*
 * Exactly the page at offset 0; not inherited by fork, cannot grow and
 * is left out of core dumps. A PFN mapping also cannot be zapped by
 * madvise(MADV_DONTNEED).
 */
int ummunotify_counter_mmap(struct ummunotify_file *file,
			    struct vm_area_struct *vma)
{
	if (vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	ummunotify_file_settle(file);

	vm_flags_mod(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP,
		     VM_MAYWRITE);
	return remap_pfn_range(vma, vma->vm_start,
			       page_to_pfn(file->counter_page), PAGE_SIZE,
			       vma->vm_page_prot);
}
