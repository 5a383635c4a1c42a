#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build the module with W=1 against every supported kernel (the newest
# installed headers of each series, or the ABI names in KVERS), each in its
# own copy of the tree under build/kernel-all/<kver>/ (out-of-tree builds
# write into the source directory). Fails on any warning.
#
# usage: build-all.sh [extra make arguments, e.g. C=2]
set -eu

kernel_dir=$(cd "$(dirname "$0")/.." && pwd)
build_root=${BUILD_ROOT:-$(cd "$kernel_dir/.." && pwd)/build/kernel-all}
. "$kernel_dir/scripts/lib.sh"
if [ -z "${KVERS:-}" ]; then
	KVERS=
	for series in $UMMUNOTIFY_SERIES; do
		KVERS="$KVERS $(kernel_abi "$series")"
	done
fi

status=0
for kver in $KVERS; do
	kdir=/usr/src/linux-headers-$kver
	out=$build_root/$kver
	copy_module_source "$kernel_dir" "$out"
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
