// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: the /dev/ummunotify misc device, the registration cache and
 * the module parameters.
 */

#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "ummunotify_file.h"

unsigned int ummunotify_max_registrations = 4194304;
module_param_named(max_registrations, ummunotify_max_registrations, uint,
		   0644);
MODULE_PARM_DESC(max_registrations,
		 "Registrations per open file before REGISTER fails with ENOSPC");

static struct kmem_cache *ummunotify_registration_cache;
/* Own caches: /proc/slabinfo then shows what is live (under slub_debug). */
static struct kmem_cache *ummunotify_file_cache;
static struct kmem_cache *ummunotify_monitor_cache;

struct ummunotify_file *ummunotify_file_alloc(void)
{
	return kmem_cache_zalloc(ummunotify_file_cache, GFP_KERNEL_ACCOUNT);
}

void ummunotify_file_free_struct(struct ummunotify_file *file)
{
	kmem_cache_free(ummunotify_file_cache, file);
}

struct ummunotify_monitor *ummunotify_monitor_alloc(void)
{
	return kmem_cache_zalloc(ummunotify_monitor_cache, GFP_KERNEL_ACCOUNT);
}

void ummunotify_monitor_free_struct(struct ummunotify_monitor *mon)
{
	kmem_cache_free(ummunotify_monitor_cache, mon);
}

/*
 * ummunotify_registration_alloc() (ummunotify_file.h) when the stock is
 * empty or the registration is large. Large ones are few: they come from
 * kmalloc with their node.
 */
struct ummunotify_registration *
ummunotify_registration_alloc_slow(struct ummunotify_spare_regs *spare,
				   bool large)
{
	struct ummunotify_large_registration *lreg;

	if (large) {
		lreg = kzalloc(sizeof(*lreg), GFP_KERNEL_ACCOUNT);
		return lreg ? &lreg->reg : NULL;
	}
	if (!spare->nr)
		spare->nr = kmem_cache_alloc_bulk(ummunotify_registration_cache,
						  GFP_KERNEL_ACCOUNT,
						  UMMUNOTIFY_SPARE_REGS,
						  (void **)spare->regs);
	return spare->nr ? spare->regs[--spare->nr] : NULL;
}

/* Under registration_mutex: a small one goes back to the spares if room. */
void ummunotify_registration_free(struct ummunotify_spare_regs *spare,
				  struct ummunotify_registration *reg)
{
	if (reg->large)
		kfree(container_of(reg, struct ummunotify_large_registration,
				   reg));
	else if (spare->nr < UMMUNOTIFY_SPARE_REGS)
		spare->regs[spare->nr++] = reg;
	else
		kmem_cache_free(ummunotify_registration_cache, reg);
}

/* Registrations nothing refers to any more, small ones in one call. */
void ummunotify_registrations_free_bulk(struct ummunotify_registration **regs,
					size_t nr)
{
	size_t i, small = 0;

	for (i = 0; i < nr; i++) {
		if (regs[i]->large)
			kfree(container_of(regs[i],
					   struct ummunotify_large_registration,
					   reg));
		else
			regs[small++] = regs[i];
	}
	if (small)
		kmem_cache_free_bulk(ummunotify_registration_cache, small,
				     (void **)regs);
}

/* Once the file is going away. */
void ummunotify_spare_regs_free(struct ummunotify_spare_regs *spare)
{
	kmem_cache_free_bulk(ummunotify_registration_cache, spare->nr,
			     (void **)spare->regs);
	spare->nr = 0;
}

static struct miscdevice ummunotify_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ummunotify",
	.fops	= &ummunotify_fops,
};

static int __init ummunotify_init(void)
{
	int ret;

	ret = -ENOMEM;
	ummunotify_registration_cache =
		KMEM_CACHE(ummunotify_registration, SLAB_ACCOUNT);
	ummunotify_file_cache = KMEM_CACHE(ummunotify_file, SLAB_ACCOUNT);
	ummunotify_monitor_cache = KMEM_CACHE(ummunotify_monitor, SLAB_ACCOUNT);
	if (!ummunotify_registration_cache || !ummunotify_file_cache ||
	    !ummunotify_monitor_cache)
		goto err_cache;

	ret = misc_register(&ummunotify_misc);
	if (ret)
		goto err_cache;
	return 0;

err_cache:
	kmem_cache_destroy(ummunotify_monitor_cache);
	kmem_cache_destroy(ummunotify_file_cache);
	kmem_cache_destroy(ummunotify_registration_cache);
	return ret;
}

static void __exit ummunotify_exit(void)
{
	misc_deregister(&ummunotify_misc);
	kmem_cache_destroy(ummunotify_monitor_cache);
	kmem_cache_destroy(ummunotify_file_cache);
	kmem_cache_destroy(ummunotify_registration_cache);
}

module_init(ummunotify_init);
module_exit(ummunotify_exit);

MODULE_DESCRIPTION("Userspace MMU notifications");
MODULE_LICENSE("GPL");
