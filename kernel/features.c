// SPDX-License-Identifier: GPL-2.0
/*
 * ummunotify: which rules a file follows. EXCHANGE_FEATURES is the 2010
 * call and turns nothing on; extensions, and strict checking of REGISTER,
 * come only from NEGOTIATE_FEATURES, so that no 2010 program can switch
 * them on with an uninitialized argument.
 */

#include <linux/uaccess.h>

#include "ummunotify_file.h"

/*
 * The first use (ummunotify_file_use() in ummunotify_file.h is the rest):
 * EXCHANGE_FEATURES and NEGOTIATE_FEATURES are refused from now on.
 * Returns the features in force.
 */
u32 ummunotify_file_first_use(struct ummunotify_file *file)
{
	u32 features;

	spin_lock(&file->lock);
	WRITE_ONCE(file->used, true);
	file->settled = true;
	features = file->features;
	spin_unlock(&file->lock);
	return features;
}

/*
 * A use the 2010 driver did not count (UNREGISTER, mmap()): only
 * NEGOTIATE_FEATURES is refused afterwards.
 */
void ummunotify_file_settle(struct ummunotify_file *file)
{
	spin_lock(&file->lock);
	file->settled = true;
	spin_unlock(&file->lock);
}

/*
 * As in 2010: the argument is read and 0 written back, whatever it held;
 * refused once the file was used, also after a first EXCHANGE_FEATURES,
 * even one that failed with EFAULT.
 */
long ummunotify_exchange_features(struct ummunotify_file *file,
				  u32 __user *arg)
{
	bool was_used;
	u32 ignored;

	spin_lock(&file->lock);
	was_used = file->used;
	WRITE_ONCE(file->used, true);
	file->settled = true;
	spin_unlock(&file->lock);
	if (was_used)
		return -EINVAL;
	if (copy_from_user(&ignored, arg, sizeof(ignored)) || put_user(0, arg))
		return -EFAULT;
	return 0;
}

/*
 * Only as the first operation, once. A call that fails changes nothing,
 * so one that failed with EFAULT or on reserved can be made again.
 */
long ummunotify_negotiate_features(struct ummunotify_file *file,
				   struct ummunotify_features __user *arg)
{
	struct ummunotify_features parm;
	long ret = 0;

	if (READ_ONCE(file->settled))
		return -EINVAL;
	if (copy_from_user(&parm, arg, sizeof(parm)))
		return -EFAULT;
	if (parm.reserved)
		return -EINVAL;
	parm.supported = UMMUNOTIFY_FEATURES_ALL;
	parm.granted = parm.requested & parm.supported;
	if (copy_to_user(arg, &parm, sizeof(parm)))
		return -EFAULT;

	spin_lock(&file->lock);
	if (file->settled) {
		ret = -EINVAL;
	} else {
		file->features = parm.granted;
		file->negotiated = true;
		file->settled = true;
		/* Publishes features to ummunotify_file_use()'s fast path. */
		smp_store_release(&file->used, true);
		if (ummunotify_monitored(file))
			ummunotify_monitors_features(file, parm.granted);
	}
	spin_unlock(&file->lock);
	return ret;
}
