#!/bin/bash
# build.sh [--print-prefix]
#
# Builds Debian's libfabric with the ummunotify memory monitor into a local
# prefix and prints the prefix. Put "$prefix/lib" first in LD_LIBRARY_PATH and
# select the monitor with FI_MR_CACHE_MONITOR=ummunotify. The prefix is cached
# under $UMMUNOTIFY_LIBFABRIC_CACHE (default /var/cache/ummunotify-libfabric)
# by a hash of this script, the patch and the monitor's source: a second call
# returns at once, a fresh machine rebuilds.
#
# Source: Debian's libfabric source package (apt-get source, with a deb-src
# entry added at run time from the system's own deb entry). When that package
# cannot be downloaded (its tarball is missing from the mirror), the
# libfabric tree that Debian's mpich source package carries
# (modules/libfabric) is used instead; $prefix/SOURCE says which one was built.
# Only the verbs and ofi_rxm providers are built (that is what Open MPI's
# mtl ofi uses over soft-RoCE); the userfaultfd and memhooks monitors stay,
# for comparison.
#
# Needs: root (apt), gcc make autoconf automake libtool libibverbs-dev
# librdmacm-dev (installed here when missing).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${UMMUNOTIFY_LIBFABRIC_CACHE:-/var/cache/ummunotify-libfabric}
libfabric_version=1.17.0-3
mpich_version=4.0.2-3
build_packages="gcc make autoconf automake libtool libibverbs-dev librdmacm-dev dpkg-dev"

log() { echo "libfabric-build: $*" >&2; }
die() { log "$*"; exit 1; }

hash=$(cat "${BASH_SOURCE[0]}" "$here"/*.patch "$here"/*.map.in "$here"/src/*.c | sha256sum | cut -c1-16)
prefix=$cache_root/$hash
if [ -f "$prefix/.complete" ]; then
	echo "$prefix"
	exit 0
fi

# Installs whatever of the build packages is missing.
ensure_packages() {
	local missing=() p
	for p in $build_packages; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

# A deb-src twin of the system's Debian entry (same mirror, suites, key).
ensure_deb_src() {
	local src=/etc/apt/sources.list.d/debian.sources
	local dst=/etc/apt/sources.list.d/ummunotify-deb-src.sources
	apt-cache showsrc libfabric 2>/dev/null | grep -q '^Package: libfabric' && return 0
	[ -f "$src" ] || die "no $src to copy a deb-src entry from"
	sed 's/^Types: deb$/Types: deb-src/' "$src" >"$dst"
	log "added $dst; apt-get update"
	apt-get update -q >&2
}

# Unpacks the libfabric tree into $1/libfabric; prints what it is.
fetch_source() {
	local dir=$1
	(cd "$dir" && apt-get source -q -o APT::Sandbox::User=root \
		"libfabric=$libfabric_version" >&2) &&
		[ -d "$dir/libfabric-1.17.0" ] && {
		mv "$dir/libfabric-1.17.0" "$dir/libfabric"
		echo "Debian libfabric $libfabric_version (apt-get source libfabric)"
		return 0
	}
	log "apt-get source libfabric=$libfabric_version failed; using the libfabric tree of Debian's mpich $mpich_version source package"
	(cd "$dir" && apt-get source -q -o APT::Sandbox::User=root \
		--download-only "mpich=$mpich_version" >&2) ||
		die "cannot download mpich=$mpich_version either"
	tar -C "$dir" -xJf "$dir"/mpich_*.orig.tar.xz mpich-4.0.2/modules/libfabric
	mv "$dir/mpich-4.0.2/modules/libfabric" "$dir/libfabric"
	echo "libfabric $(sed -n 's/^AC_INIT(\[libfabric\], \[\([^]]*\)\].*/\1/p' \
		"$dir/libfabric/configure.ac") from Debian's mpich $mpich_version source package (modules/libfabric)"
}

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9
if [ -f "$prefix/.complete" ]; then
	echo "$prefix"
	exit 0
fi

start=$(date +%s)
ensure_packages
ensure_deb_src
work=$(mktemp -d "$cache_root/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
source_name=$(fetch_source "$work")
log "building $source_name"

cd "$work/libfabric"
cp "$here"/src/ummunotify_mem_monitor.c prov/util/src/
patch -p1 <"$here"/0001-util-ummunotify-monitor-hooks.patch >&2
cflags=()
case "$source_name" in
*mpich*)
	# mpich strips the exports; give them back (see the map).
	cp "$here"/mpich-libfabric.map.in libfabric.map.in
	cflags=(CFLAGS="-O2 -g")
	;;
esac
autoreconf -fi >/dev/null 2>&1 || die "autoreconf failed"
rm -rf "$prefix"
./configure -q --prefix="$prefix" --disable-static --enable-only \
	--enable-verbs=yes --enable-rxm=yes ${cflags[@]+"${cflags[@]}"} >&2
make -s -j"$(nproc)" >&2
make -s install >&2
echo "$source_name" >"$prefix/SOURCE"
touch "$prefix/.complete"
log "built in $(( $(date +%s) - start ))s: $prefix"
echo "$prefix"
