#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Static checks of the module: sparse (make C=2 W=1) against every
# supported kernel, and checkpatch.pl (extracted once from Debian's
# linux-source tarball into build/checkpatch/) over every source and the
# uapi header. Fails on any finding.
set -eu

kernel_dir=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$kernel_dir/.." && pwd)
tarball=${LINUX_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
cache=$repo/build/checkpatch

status=0

# A private build directory: the checks may run while other builds do.
mkdir -p "$repo/build"
sparse_root=$(mktemp -d "$repo/build/kernel-sparse.XXXXXX")
trap 'rm -rf "$sparse_root"' EXIT

echo "== sparse"
if ! BUILD_ROOT=$sparse_root "$kernel_dir/scripts/build-all.sh" C=2 \
	CHECK="sparse -Wsparse-error"; then
	status=1
fi

echo "== checkpatch"
if [ ! -f "$cache/checkpatch.pl" ]; then
	top=$(basename "$tarball" .tar.xz)
	tmp=$(mktemp -d "$repo/build/checkpatch.XXXXXX")
	tar -xJf "$tarball" -C "$tmp" --strip-components=2 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
	mkdir -p "$cache"
	mv "$tmp"/* "$cache"/
	rmdir "$tmp"
fi
# --strict for the module; not for the uapi header, where BIT() does not
# exist.
uapi=$kernel_dir/include/uapi/linux/ummunotify.h
for f in "$kernel_dir"/*.c "$kernel_dir"/*.h "$uapi"; do
	strict=--strict
	[ "$f" = "$uapi" ] && strict=
	if ! out=$(perl "$cache/checkpatch.pl" --no-tree $strict --quiet \
			--show-types --file "$f" 2>&1); then
		echo "$out"
		status=1
	elif [ -n "$out" ]; then
		echo "$out"
		status=1
	fi
done
[ $status -eq 0 ] && echo "static checks: clean"
exit $status
