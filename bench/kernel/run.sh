#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [6.1|6.12|all] [registrations|monitors|generations|summary|all]
#
# Builds the module and the benchmarks, and runs them in the VM on each
# kernel (without slub_debug/KFENCE, which would be timed too). Prints each
# kernel's tables; the full console logs stay in build/vm/logs/.
#   registrations  bench-kernel: cost of registrations (up to 1M)
#   monitors       bench-monitor: cost of 0, 1 and 8 monitors, and of no
#                  monitor against the module from before monitors existed
#                  (UMMUNOTIFY_BENCH_BASE: that git revision; default the
#                  parent of the commit that added kernel/monitor.c)
#   generations    bench-generations: a hit with a generation slot against
#                  one without
#   summary        bench-summary: every figure of issue 13 at 10k, 100k and
#                  1M (bulk and single register, close, memory, miss, hit
#                  cycle, generation check) next to its target and the
#                  kdreg2 figure; medians of UMMUNOTIFY_BENCH_ROUNDS
#                  rounds (default 3). With UMMUNOTIFY_BENCH_BASE (a git
#                  revision) the module of that revision runs too, in
#                  alternating rounds: before and after side by side.
#                  Not part of "all" (a few minutes per kernel).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm="$repo/kernel/tests/vm"
out="$repo/build/bench/kernel"

case "${1:-all}" in
6.1|6.12) series_list=("$1") ;;
all) series_list=(6.1 6.12) ;;
*) echo "usage: run.sh [6.1|6.12|all] [registrations|monitors|generations|summary|all]" >&2; exit 2 ;;
esac
which=${2:-all}
case "$which" in
registrations|monitors|generations|summary|all) ;;
*) echo "usage: run.sh [6.1|6.12|all] [registrations|monitors|generations|summary|all]" >&2; exit 2 ;;
esac

# The module of git revision $2, built like build-module.sh does.
build_base_module() {
	local series=$1 rev=$2 abi src
	abi=$(cat "$("$vm/kernel-image.sh" "$series")/abi")
	src="$out/base-$abi"
	rm -rf "$src"
	mkdir -p "$src"
	git -C "$repo" archive "$rev" kernel | tar -x -C "$src" --strip-components=1 \
		--exclude=kernel/tests --exclude=kernel/scripts --exclude=kernel/udev
	make -C "/usr/src/linux-headers-$abi" M="$src" modules >&2
	echo "$src/ummunotify.ko"
}

mkdir -p "$out"
make -s -C "$here" OUT="$out"
failed=0
for series in "${series_list[@]}"; do
	ko=$("$vm/build-module.sh" "$series" 2>"$out/build-$series.log") || {
		echo "run.sh: module build for $series failed, see build/bench/kernel/build-$series.log" >&2
		failed=1
		continue
	}
	cmd=()
	case "$which" in
	registrations|all) cmd+=("build/bench/kernel/bench-kernel;") ;;
	esac
	case "$which" in
	generations|all) cmd+=("build/bench/kernel/bench-generations;") ;;
	esac
	case "$which" in
	monitors|all)
		rev=${UMMUNOTIFY_BENCH_BASE:-$(git -C "$repo" log --diff-filter=A --format=%H -- kernel/monitor.c | tail -1)^}
		base=$(build_base_module "$series" "$rev" 2>"$out/build-base-$series.log") || {
			echo "run.sh: base module build for $series failed, see build/bench/kernel/build-base-$series.log" >&2
			failed=1
			continue
		}
		cmd+=("build/bench/kernel/bench-monitor && echo &&"
		      "bench/kernel/monitor-vs-base.sh '$base' '$ko' build/bench/kernel/bench-monitor;")
		;;
	esac
	if [ "$which" = summary ]; then
		base=
		if [ -n "${UMMUNOTIFY_BENCH_BASE:-}" ]; then
			base=$(build_base_module "$series" "$UMMUNOTIFY_BENCH_BASE" \
				2>"$out/build-base-$series.log") || {
				echo "run.sh: base module build for $series failed, see build/bench/kernel/build-base-$series.log" >&2
				failed=1
				continue
			}
		fi
		cmd+=("bench/kernel/summary.sh build/bench/kernel/bench-summary"
		      "${UMMUNOTIFY_BENCH_ROUNDS:-3} '$ko' $base;")
	fi
	log="$repo/build/vm/logs/bench-$series-$(date -u +%Y%m%dT%H%M%S).log"
	(cd "$repo" && "$vm/vm-run.sh" --kernel "$series" --module "$ko" --no-debug \
		--timeout 3600 --log "$log" -- bash -c "${cmd[*]}") >&2 || failed=1
	echo "===== $series (QEMU TCG: absolute times are emulated) ====="
	tr -d '\r' <"$log" |
		sed -n '/^===== UMMUNOTIFY-VM job start =====/,/^===== UMMUNOTIFY-VM job end =====/p' |
		sed '1d;$d' | grep -vE '^\[ *[0-9]+\.[0-9]+\] ' |
		if [ "$which" = summary ]; then awk -f "$here/summary-table.awk"; else cat; fi || true
	echo
done
exit "$failed"
