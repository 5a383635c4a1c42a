#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-test.sh [6.1|6.12|all]: builds the example and the module, and runs
# check-against-monitor.sh in the VM on each kernel.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
vm=$repo/kernel/tests/vm
case "${1:-all}" in
6.1|6.12) series_list=("$1") ;;
all) series_list=(6.1 6.12) ;;
*) echo "usage: run-test.sh [6.1|6.12|all]" >&2; exit 2 ;;
esac

make -s -C "$here" || exit 1
status=0
for series in "${series_list[@]}"; do
	ko=$("$vm/build-module.sh" "$series" 2>/dev/null) || { echo "run-test: module build for $series failed" >&2; status=1; continue; }
	echo "== regcache vs monitor on $series"
	(cd "$repo" && "$vm/vm-run.sh" --kernel "$series" --module "$ko" --timeout 900 \
		--log "$repo/build/vm/logs/regcache-$series.log" -- examples/regcache/check-against-monitor.sh) |
		tr -d '\r' | sed -n '/UMMUNOTIFY-VM job start/,/UMMUNOTIFY-VM job end/p'
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
exit "$status"
