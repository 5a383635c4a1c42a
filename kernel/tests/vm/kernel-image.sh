#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-image.sh <6.1|6.12> [--modules NAME,NAME...]
#
# Prepares, once, everything needed to boot Debian's own kernel of that series
# in QEMU, and prints the cache directory holding it:
#   abi         the kernel ABI name (the newest installed headers of the
#               series, see kernel/scripts/lib.sh), matching the headers
#               the module is built against, so the guest accepts the module
#   vmlinuz     the kernel image
#   initramfs   busybox and the 9p modules (decompressed), in load order in
#               /etc/vm-modules; vm-run.sh appends /init and the job to it
#   initramfs-NAME-NAME...
#               with --modules: the same, plus those modules (and their
#               dependencies, and the ones built in skipped) loaded after the
#               base ones in the order given (a module another one requests
#               at run time, such as crc32_generic for rdma_rxe, is named
#               before it); prepared on first use
# The image comes from the Debian package, not from /boot, so the host's own
# kernel does not matter. A second call finds the cache and returns at once.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache_root=${UMMUNOTIFY_VM_CACHE:-$repo/build/vm}
# Bump when the cached initramfs changes shape, so old caches are rebuilt.
cache_format=1

die() { echo "kernel-image: $*" >&2; exit 1; }

# The unsigned package is the plain image; the signed one boots just as well.
download_image() {
	local abi=$1 dest=$2 version pkg
	version=$(dpkg-query -W -f='${Version}' "linux-headers-$abi" 2>/dev/null || true)
	for pkg in "linux-image-$abi-unsigned" "linux-image-$abi"; do
		if [ -n "$version" ] &&
		   (cd "$dest" && apt-get -q -o APT::Sandbox::User=root download "$pkg=$version") >&2; then
			return 0
		fi
		if (cd "$dest" && apt-get -q -o APT::Sandbox::User=root download "$pkg") >&2; then
			return 0
		fi
	done
	die "cannot download linux-image-$abi(-unsigned); run apt-get update"
}

# Prints a module's path in the extracted tree, by module name.
module_file() {
	local moddir=$1 name=$2 f
	f=$(find "$moddir/kernel" -name "$name.ko*" -o -name "${name//_/-}.ko*" | head -n 1)
	[ -n "$f" ] || die "module $name not found in $moddir"
	echo "$f"
}

# Appends NAME after its dependencies (from modinfo) to the global load order.
load_order=()
add_with_deps() {
	local moddir=$1 name=$2 f dep
	for dep in "${load_order[@]}"; do
		[ "$dep" = "$name" ] && return 0
	done
	f=$(module_file "$moddir" "$name")
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		add_with_deps "$moddir" "$dep"
	done
	load_order+=("$name")
}

# Modules the guest needs to mount the host over 9p; whatever the config builds
# in is simply not found as a module and is skipped.
wanted_modules() {
	local moddir=$1 name
	for name in virtio_pci 9pnet_virtio 9p; do
		if find "$moddir/kernel" -name "$name.ko*" | grep -q .; then
			echo "$name"
		fi
	done
}

# Prints the names among $2... that the tree has as modules, warning about the
# ones built into the kernel.
modules_present() {
	local moddir=$1 name
	shift
	for name in "$@"; do
		if find "$moddir/kernel" -name "$name.ko*" -o -name "${name//_/-}.ko*" | grep -q .; then
			echo "$name"
		elif grep -q "/$name.ko$" "$moddir/modules.builtin" 2>/dev/null; then
			echo "kernel-image: $name is built in" >&2
		else
			die "module $name not found in $moddir"
		fi
	done
}

# build_initramfs ABI TREE OUT [EXTRA_MODULE...]
build_initramfs() {
	local abi=$1 tree=$2 out=$3 root name f
	local moddir="$tree/lib/modules/$abi"
	shift 3
	root=$(mktemp -d "$out.root.XXXXXX")
	mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/vm-modules,etc}
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	! ldd /bin/busybox >/dev/null 2>&1 ||
		die "/bin/busybox is not static: apt-get install busybox-static"

	for name in $(wanted_modules "$moddir") $(modules_present "$moddir" "$@"); do
		add_with_deps "$moddir" "$name"
	done
	for name in "${load_order[@]}"; do
		f=$(module_file "$moddir" "$name")
		case "$f" in
		*.ko.xz) xz -dc "$f" >"$root/lib/vm-modules/$name.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$root/lib/vm-modules/$name.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$root/lib/vm-modules/$name.ko" ;;
		*) cp "$f" "$root/lib/vm-modules/$name.ko" ;;
		esac
		echo "$name" >>"$root/etc/vm-modules"
	done
	touch "$root/etc/vm-modules"

	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out"
	rm -rf "$root"
}

prepare() {
	local abi=$1 dir=$2 work tree
	work=$(mktemp -d "$cache_root/.prepare-$abi.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	download_image "$abi" "$work"
	tree="$work/tree"
	mkdir -p "$tree"
	dpkg -x "$work"/linux-image-*.deb "$tree"
	[ -f "$tree/boot/vmlinuz-$abi" ] || die "package has no boot/vmlinuz-$abi"
	mkdir -p "$work/out"
	cp "$tree/boot/vmlinuz-$abi" "$work/out/vmlinuz"
	cp "$tree/boot/config-$abi" "$work/out/config"
	build_initramfs "$abi" "$tree" "$work/out/initramfs"
	echo "$cache_format" >"$work/out/format"
	echo "$abi" >"$work/out/abi"
	rm -rf "$dir"
	mv "$work/out" "$dir"
	rm -rf "$work"
	trap - EXIT
}

# Builds initramfs-<names> in the cache directory $2 from a fresh download.
prepare_extra() {
	local abi=$1 dir=$2 names=$3 work
	work=$(mktemp -d "$cache_root/.prepare-$abi.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	download_image "$abi" "$work"
	mkdir -p "$work/tree"
	dpkg -x "$work"/linux-image-*.deb "$work/tree"
	# shellcheck disable=SC2086 # the names are split on purpose
	build_initramfs "$abi" "$work/tree" "$work/initramfs" ${names//,/ }
	mv "$work/initramfs" "$dir/initramfs-${names//,/-}"
	rm -rf "$work"
	trap - EXIT
}

series=${1:?usage: kernel-image.sh <6.1|6.12> [--modules NAME,NAME...]}
extra=
if [ "${2:-}" = --modules ]; then
	extra=${3:?--modules needs a comma-separated list}
	case "$extra" in
	*[!a-z0-9_,-]*) die "bad module list $extra" ;;
	esac
fi
. "$repo/kernel/scripts/lib.sh"
abi=$(kernel_abi "$series") || die "no kernel of series $series"
dir="$cache_root/$abi"
mkdir -p "$cache_root"

# Concurrent runs share the cache: one prepares it, the others wait for it.
exec 9>"$cache_root/.lock-$abi"
flock 9
if [ "$(cat "$dir/format" 2>/dev/null)" != "$cache_format" ]; then
	echo "kernel-image: preparing $abi in $dir" >&2
	prepare "$abi" "$dir"
fi
if [ -n "$extra" ] && [ ! -f "$dir/initramfs-${extra//,/-}" ]; then
	echo "kernel-image: adding modules $extra to an initramfs of $abi" >&2
	prepare_extra "$abi" "$dir" "$extra"
fi
flock -u 9
echo "$dir"
