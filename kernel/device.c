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

/* Large registrations are few: they come from kmalloc with their node. */
struct ummunotify_registration *ummunotify_registration_alloc(bool large)
{
	struct ummunotify_large_registration *lreg;

	if (!large)
		return kmem_cache_zalloc(ummunotify_registration_cache,
					 GFP_KERNEL_ACCOUNT);
	lreg = kzalloc(sizeof(*lreg), GFP_KERNEL_ACCOUNT);
	if (!lreg)
		return NULL;
	lreg->reg.large = true;
	return &lreg->reg;
}

void ummunotify_registration_free(struct ummunotify_registration *reg)
{
	if (reg->large)
		kfree(container_of(reg, struct ummunotify_large_registration,
				   reg));
	else
		kmem_cache_free(ummunotify_registration_cache, reg);
}

static struct miscdevice ummunotify_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "ummunotify",
	.fops	= &ummunotify_fops,
};

static int __init ummunotify_init(void)
{
	int ret;

	ummunotify_registration_cache =
		KMEM_CACHE(ummunotify_registration, SLAB_ACCOUNT);
	if (!ummunotify_registration_cache)
		return -ENOMEM;

	ret = misc_register(&ummunotify_misc);
	if (ret)
		goto err_cache;
	return 0;

err_cache:
	kmem_cache_destroy(ummunotify_registration_cache);
	return ret;
}

static void __exit ummunotify_exit(void)
{
	misc_deregister(&ummunotify_misc);
	kmem_cache_destroy(ummunotify_registration_cache);
}

module_init(ummunotify_init);
module_exit(ummunotify_exit);

MODULE_DESCRIPTION("Userspace MMU notifications");
MODULE_LICENSE("GPL");
