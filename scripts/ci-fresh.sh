#!/bin/bash
# scripts/ci-fresh.sh [--keep] [REV]
#
# Runs CI as a machine that never saw the project runs it: `bash .ci/run`
# with CI=true on a fresh clone of REV (default HEAD: what is committed, not
# the work tree) in a 0700 folder under /root, inside a Debian 12 root made
# by debootstrap from the system's own Debian mirror. Only what a new machine
# of this kind comes with is added: Node.js and npm (copied from this host,
# with its npm and apt settings). So no package installed here by hand can
# hide a missing install step in .ci/run.
#
# Needs root. The bare debootstrap result is cached in
# $UMMUNOTIFY_FRESH_CACHE (default /var/cache/ummunotify-ci-fresh), keyed by
# the mirror and debootstrap's version; every run starts from a copy of it.
# The run's root is deleted afterwards unless --keep. The log is
# build/ci-fresh/ci.log; the exit status is .ci/run's.

set -euo pipefail

keep=0
if [ "${1:-}" = "--keep" ]; then
	keep=1
	shift
fi
rev=${1:-HEAD}

die() { echo "ci-fresh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mounts)"

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}") || die "no commit $rev"
cache=${UMMUNOTIFY_FRESH_CACHE:-/var/cache/ummunotify-ci-fresh}
logdir=$repo/build/ci-fresh
mkdir -p "$cache" "$logdir"

command -v debootstrap >/dev/null ||
	apt-get install -y --no-install-recommends debootstrap >&2

# The mirror of the system's own bookworm entry (deb822 or one-line format).
host_sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$host_sources" ]; then
	mirror=$(awk '/^URIs:/ { print $2; exit }' "$host_sources")
else
	mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
fi
[ -n "$mirror" ] || die "cannot find the Debian mirror in the apt sources"

key=$(printf '%s %s' "$mirror" "$(dpkg-query -W -f='${Version}' debootstrap)" | sha256sum | cut -c1-16)
base=$cache/base-$key
if [ ! -f "$base/.complete" ]; then
	echo "ci-fresh: debootstrap bookworm into $base" >&2
	rm -rf "$base"
	debootstrap --variant=minbase bookworm "$base" "$mirror" >&2
	touch "$base/.complete"
fi

root=$(mktemp -d "$cache/root.XXXXXX")
mounted=()
cleanup() {
	local m
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		m=${mounted[$i]}
		umount -R "$m" 2>/dev/null || umount -lR "$m" 2>/dev/null || true
	done
	if [ "$keep" -eq 0 ]; then
		rm -rf --one-file-system "$root"
	else
		echo "ci-fresh: kept $root" >&2
	fi
}
trap cleanup EXIT

echo "ci-fresh: copying the base into $root" >&2
cp -a "$base/." "$root/"
rm -f "$root/.complete"

# What a new machine has beyond Debian's base: the host's apt settings and
# sources (no backports: .ci/run adds them), DNS and hosts, its local CA certificates
# (ca-certificates adds them to the bundle when .ci/run installs it), and
# Node.js with npm.
rm -f "$root/etc/apt/sources.list"
cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
	cp /etc/apt/sources.list "$root/etc/apt/"
cp -a /etc/apt/apt.conf.d/. "$root/etc/apt/apt.conf.d/"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# debootstrap writes no /etc/hosts; every machine has one, and without it
# "localhost" does not resolve (the dev server and the tests use it).
cp -L /etc/hosts "$root/etc/hosts"
if [ -d /usr/local/share/ca-certificates ]; then
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
node_files() {
	dpkg -L nodejs | while read -r f; do
		if [ -f "$f" ] || [ -L "$f" ]; then echo "$f"; fi
	done
	for f in /usr/bin/npm /usr/bin/npx /usr/bin/corepack /etc/npmrc /usr/local/etc/npmrc /root/.npmrc; do
		if [ -e "$f" ] || [ -L "$f" ]; then echo "$f"; fi
	done
}
node_files | tar -C / --no-recursion -T - -cf - 2>/dev/null | tar -C "$root" -xf -
# npm as the machine has it (it may be newer than the one nodejs shipped).
tar -C / -cf - usr/lib/node_modules | tar -C "$root" -xf -
chroot "$root" node --version >/dev/null || die "node does not run in the fresh root"

# A clone where a root user clones by default: a 0700 folder under /root,
# with the read-only shared/ beside it as CI has it.
git clone -q --no-local "$repo" "$root/root/ci/repo"
git -C "$root/root/ci/repo" checkout -q "$commit"
chmod 700 "$root/root" "$root/root/ci"
if [ -d "$repo/../shared" ]; then
	cp -a "$repo/../shared" "$root/root/ci/shared"
	chmod -R a-w "$root/root/ci/shared"
fi

for fs in proc sys dev; do
	mkdir -p "$root/$fs"
	mount --rbind "/$fs" "$root/$fs"
	mount --make-rslave "$root/$fs"
	mounted+=("$root/$fs")
done
mount -t tmpfs tmpfs "$root/tmp"
mounted+=("$root/tmp")

echo "ci-fresh: running .ci/run on $commit in the fresh root (log: $logdir/ci.log)" >&2
started=$(date +%s)
status=0
# The machine's environment (CI keeps it: CA bundle variables and the
# like), with CI's own settings.
chroot "$root" /usr/bin/env HOME=/root CI=true \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	bash -c 'cd /root/ci/repo && bash .ci/run' </dev/null 2>&1 |
	tee "$logdir/ci.log" || status=$?
echo "ci-fresh: .ci/run exited $status after $(($(date +%s) - started)) s" | tee -a "$logdir/ci.log"
exit "$status"
