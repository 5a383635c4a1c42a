#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the module with W=1 against every supported kernel, each in its
# own copy of the tree under build/kernel-all/<kver>/ (out-of-tree builds
# write into the source directory). Fails on any warning.
#
# usage: build-all.sh [extra make arguments, e.g. C=2]
set -eu

kernel_dir=$(cd "$(dirname "$0")/.." && pwd)
build_root=${BUILD_ROOT:-$(cd "$kernel_dir/.." && pwd)/build/kernel-all}
kvers=${KVERS:-"6.1.0-56-amd64 6.12.95+deb12-amd64"}

status=0
for kver in $kvers; do
	kdir=/usr/src/linux-headers-$kver
	out=$build_root/$kver
	mkdir -p "$out"
	rsync -a --delete --exclude tests --exclude scripts --exclude udev \
		"$kernel_dir/" "$out/"
	log=$out/build.log
	if ! make -C "$kdir" M="$out" W=1 "$@" modules >"$log" 2>&1; then
		echo "FAIL $kver: build failed, see $log"
		cat "$log"
		status=1
		continue
	fi
	if grep -E -i 'warning|error' "$log"; then
		echo "FAIL $kver: warnings, see $log"
		status=1
		continue
	fi
	echo "ok $kver: $out/ummunotify.ko"
done
exit $status
