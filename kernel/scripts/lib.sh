# SPDX-License-Identifier: GPL-2.0
# Shell functions shared by the build and VM scripts (POSIX sh; sourced).
# No kernel version is written anywhere: the kernels are whatever Debian's
# linux-headers-amd64 metapackages (bookworm and bookworm-backports)
# installed, the newest of each supported series.

UMMUNOTIFY_SERIES="6.1 6.12"

# kernel_abi SERIES: prints the ABI name (e.g. 6.1.0-57-amd64) of the newest
# installed headers of that series; fails with the package to install.
kernel_abi() {
	case "$1" in
	6.1) pattern='/usr/src/linux-headers-6.1.0-*-amd64' ;;
	6.12) pattern='/usr/src/linux-headers-6.12.*-amd64' ;;
	*)
		echo "unknown kernel series '$1' (expected one of: $UMMUNOTIFY_SERIES)" >&2
		return 1
		;;
	esac
	# shellcheck disable=SC2086
	dir=$(ls -d $pattern 2>/dev/null | sort -V | tail -n 1) || true
	if [ -z "$dir" ] || [ ! -d "$dir" ]; then
		echo "no kernel headers match $pattern: apt-get install linux-headers-amd64 (6.12: -t bookworm-backports)" >&2
		return 1
	fi
	basename "$dir" | sed 's/^linux-headers-//'
}

# copy_module_source KERNEL_DIR DEST: a clean copy of the module's sources
# (no tests, scripts, udev rules or build products) into DEST, which is
# emptied first. Out-of-tree builds write into their source directory, so
# each build gets its own copy.
copy_module_source() {
	rm -rf "$2"
	mkdir -p "$2"
	tar -C "$1" --exclude=./tests --exclude=./scripts \
		--exclude=./udev --exclude='*.o' --exclude='*.ko' \
		--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
		-cf - . | tar -C "$2" -xf -
}
