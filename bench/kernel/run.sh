#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [6.1|6.12|all]
#
# Builds the module and the benchmark, and runs the benchmark in the VM on
# each kernel (without slub_debug/KFENCE, which would be timed too). Prints
# each kernel's table; the full console logs stay in build/vm/logs/.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm="$repo/kernel/tests/vm"

case "${1:-all}" in
6.1|6.12) series_list=("$1") ;;
all) series_list=(6.1 6.12) ;;
*) echo "usage: run.sh [6.1|6.12|all]" >&2; exit 2 ;;
esac

make -s -C "$here" OUT="$repo/build/bench/kernel"
failed=0
for series in "${series_list[@]}"; do
	ko=$("$vm/build-module.sh" "$series" 2>"$repo/build/bench/kernel/build-$series.log") || {
		echo "run.sh: module build for $series failed, see build/bench/kernel/build-$series.log" >&2
		failed=1
		continue
	}
	log="$repo/build/vm/logs/bench-$series-$(date -u +%Y%m%dT%H%M%S).log"
	(cd "$repo" && "$vm/vm-run.sh" --kernel "$series" --module "$ko" --no-debug \
		--timeout 3600 --log "$log" -- build/bench/kernel/bench-kernel) >&2 || failed=1
	echo "===== $series (QEMU TCG: absolute times are emulated) ====="
	tr -d '\r' <"$log" |
		sed -n '/^===== UMMUNOTIFY-VM job start =====/,/^===== UMMUNOTIFY-VM job end =====/p' |
		sed '1d;$d' | grep -vE '^\[ *[0-9]+\.[0-9]+\] ' || true
	echo
done
exit "$failed"
