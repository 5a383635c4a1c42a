#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# profile-register.sh [6.1|6.12] [N]
#
# Where bulk registration's time goes: in the VM (no slub_debug), runs
# bench-bulk N (default 1000000) once for its figures, then again under
# `perf record -e cpu-clock -g` (TCG emulates no PMU: timer sampling), and
# prints the kernel symbols by self time and, under the REGISTER ioctl, by
# time including callees. close() is in the profile too (its own symbols).
# UMMUNOTIFY_PROFILE_NOINLINE=1 profiles a module built with -fno-inline
# (slower, but the time of the tree, the hash table and the block map is
# then attributed to their own functions instead of to the ioctl).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm="$repo/kernel/tests/vm"
series=${1:-6.12}
n=${2:-1000000}

command -v perf >/dev/null || { echo "profile-register: needs perf (linux-perf)" >&2; exit 2; }
make -s -C "$here" OUT="$repo/build/bench/kernel"
ko=$("$vm/build-module.sh" "$series" 2>"$repo/build/bench/kernel/build-$series.log")
if [ -n "${UMMUNOTIFY_PROFILE_NOINLINE:-}" ]; then
	src="$repo/build/bench/kernel/noinline-$series"
	rm -rf "$src"
	cp -r "$(dirname "$ko")/src" "$src"
	make -C "/usr/src/linux-headers-$(cat "$("$vm/kernel-image.sh" "$series")/abi")" \
		M="$src" EXTRA_CFLAGS="-fno-inline" modules \
		>"$repo/build/bench/kernel/build-noinline-$series.log" 2>&1
	ko="$src/ummunotify.ko"
fi
bulk=build/bench/kernel/bench-bulk
report="perf report -i /tmp/perf.data --stdio --percent-limit 1 -g none"
log="$repo/build/vm/logs/profile-$series-$(date -u +%Y%m%dT%H%M%S).log"
(cd "$repo" && "$vm/vm-run.sh" --kernel "$series" --module "$ko" --no-debug \
	--timeout 3600 --log "$log" -- bash -c "
	$bulk $n && echo &&
	perf record -q -e cpu-clock -F 250 -g -o /tmp/perf.data $bulk $n >/dev/null &&
	echo '== self time' &&
	$report --no-children --sort sym 2>/dev/null | grep -v '^#' | grep -v '^$' &&
	echo '== including callees' &&
	$report --children --sort sym 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -40") >&2
tr -d '\r' <"$log" |
	sed -n '/^===== UMMUNOTIFY-VM job start =====/,/^===== UMMUNOTIFY-VM job end =====/p' |
	sed '1d;$d' | grep -vE '^\[ *[0-9]+\.[0-9]+\] '
