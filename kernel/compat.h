/* SPDX-License-Identifier: GPL-2.0 */
/* ummunotify: kernel API differences between the supported kernels. */
#ifndef _UMMUNOTIFY_COMPAT_H
#define _UMMUNOTIFY_COMPAT_H

#include <linux/mm.h>

/* Kbuild defines this when <linux/mm.h> has it (6.3+, or a backport). */
#ifndef UMMUNOTIFY_HAVE_VM_FLAGS_MOD
static inline void vm_flags_mod(struct vm_area_struct *vma,
				vm_flags_t set, vm_flags_t clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}
#endif

#endif /* _UMMUNOTIFY_COMPAT_H */
