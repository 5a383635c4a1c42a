#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test VM (busybox). Mounts the host's root read-only over 9p,
# loads the module under test, runs the job chrooted into the host tree, prints
# the kernel log and the job's exit status, and powers off. vm-run.sh reads the
# markers below from the serial console; keep them in sync with it.
#
# /job/config sets VM_MODULE (host path of the .ko, or empty), VM_MSIZE,
# VM_KEEP_UNDER_TMP (a host tree under /tmp to keep visible, or empty) and
# VM_HANG_DUMP_AFTER; /job/command.sh is the bash script to run inside the
# host tree.

/bin/busybox --install -s /bin
export PATH=/bin

finish() {
	echo "===== UMMUNOTIFY-VM kernel log ====="
	dmesg
	echo "===== UMMUNOTIFY-VM end of kernel log ====="
	echo "UMMUNOTIFY-VM-EXIT=$1"
	sync
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}

setup_failed() {
	echo "vm-run guest: $*"
	finish 125
}

mount_guest_fs() {
	mount -t proc proc $new/proc &&
	mount -t sysfs sysfs $new/sys &&
	mount -t devtmpfs devtmpfs $new/dev &&
	mkdir -p $new/dev/pts $new/dev/shm &&
	mount -t devpts devpts $new/dev/pts &&
	mount -t tmpfs tmpfs $new/dev/shm &&
	mount -t tmpfs tmpfs $new/tmp &&
	mount -t tmpfs tmpfs $new/run
}

new=/newroot
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# shellcheck source=/dev/null
. /job/config

while read -r mod; do
	insmod "/lib/vm-modules/$mod.ko" || setup_failed "insmod $mod failed"
done </etc/vm-modules

mount -t 9p -o "trans=virtio,version=9p2000.L,msize=$VM_MSIZE,cache=loose,ro" host $new ||
	setup_failed "cannot mount the host over 9p"
echo "UMMUNOTIFY-VM reached the host tree"
# Before /tmp is covered by the guest's tmpfs, in case the module lives there.
if [ -n "$VM_MODULE" ]; then
	insmod "$new$VM_MODULE" || setup_failed "insmod $VM_MODULE failed"
fi
if [ -n "$VM_KEEP_UNDER_TMP" ]; then
	mkdir -p /keep && mount -o bind "$new$VM_KEEP_UNDER_TMP" /keep ||
		setup_failed "cannot keep $VM_KEEP_UNDER_TMP"
fi
mount_guest_fs || setup_failed "cannot mount the guest's proc/sys/dev/tmp/run"
if [ -n "$VM_KEEP_UNDER_TMP" ]; then
	mkdir -p "$new$VM_KEEP_UNDER_TMP" &&
	mount -o bind /keep "$new$VM_KEEP_UNDER_TMP" ||
		setup_failed "cannot bind $VM_KEEP_UNDER_TMP into the guest's /tmp"
fi
cp /job/command.sh $new/tmp/.vm-job.sh

# A job still running shortly before vm-run's timeout is probably stuck
# waiting: dump the blocked tasks and every task's stack, since a task asleep
# in an interruptible wait never trips the hung task detector.
(
	sleep "$VM_HANG_DUMP_AFTER"
	echo "vm-run guest: still running after ${VM_HANG_DUMP_AFTER}s, dumping tasks"
	echo 9 >/proc/sysrq-trigger
	echo w >/proc/sysrq-trigger
	echo t >/proc/sysrq-trigger
) &
hang_dump=$!

echo "===== UMMUNOTIFY-VM job start ====="
chroot $new /usr/bin/env -i \
	PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
	HOME=/tmp TMPDIR=/tmp TERM=dumb LANG=C.UTF-8 UMMUNOTIFY_VM=1 \
	/bin/bash /tmp/.vm-job.sh </dev/null
status=$?
kill $hang_dump
echo "===== UMMUNOTIFY-VM job end ====="

# Unloading runs the module's exit path under slub_debug too; a module still
# in use here means a file or mapping outlived the job.
if [ -n "$VM_MODULE" ]; then
	name=$(basename "$VM_MODULE" .ko)
	if ! rmmod "$name"; then
		echo "vm-run guest: rmmod $name failed after the job"
		[ "$status" -ne 0 ] || status=126
	fi
fi
finish $status
