#!/bin/bash
# guest-run.sh LIBFABRIC_PREFIX TESTS_DIR: inside the test VM only. Brings up
# soft-RoCE, then runs every stale-registration scenario under every
# libfabric memory monitor, 2 ranks under mpirun (pml cm, mtl ofi, provider
# verbs;ofi_rxm), and prints per run:
#   CELL <monitor> <scenario> <ok|WRONG|SKIP|HANG|FAIL> <detail>
#   CACHE <monitor> <scenario> rank=<r> searches=<n> hits=<n> notify=<n>
# SCENARIOS and MONITORS (space-separated) narrow the run; SOFTROCE_UP=1
# when rxe0 is already up.
set -uo pipefail
prefix=$1 tests=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ "${SOFTROCE_UP:-0}" = 1 ] || "$here/softroce-up.sh" || exit 125

monitors=${MONITORS:-ummunotify userfaultfd memhooks disabled}
scenarios=${SCENARIOS:-free-malloc munmap-mmap-fixed mremap-move madvise-dontneed raw-munmap brk-shrink fork-child-writes collapse}
status=0
out=/tmp/run.out
for m in $monitors; do
	for s in $scenarios; do
		# FI_UNIVERSE_SIZE: ofi_rxm sizes its CQ by the universe (256
		# peers by default), more than rxe accepts.
		FI_UNIVERSE_SIZE=8 FI_MR_CACHE_MONITOR=$m LD_LIBRARY_PATH=$prefix/lib \
		FI_LOG_LEVEL=info FI_LOG_SUBSYS=mr FI_LOG_PROV=verbs \
		timeout -k 5 "${RUN_TIMEOUT:-120}" mpirun --allow-run-as-root \
			-np 2 --mca pml cm --mca mtl ofi \
			--mca mtl_ofi_provider_include 'verbs;ofi_rxm' \
			--mca btl self --mca oob_tcp_if_include lo \
			-x FI_UNIVERSE_SIZE -x FI_MR_CACHE_MONITOR -x LD_LIBRARY_PATH -x FI_LOG_LEVEL \
			-x FI_LOG_SUBSYS -x FI_LOG_PROV \
			--tag-output "$tests/stale_mr" "$s" >"$out" 2>&1
		rc=$?
		result=$(sed -n 's/^.*RESULT [^ ]* //p' "$out" | head -n 1)
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
			cell="HANG (killed after ${RUN_TIMEOUT:-120}s)"
		elif [ -n "$result" ]; then
			cell=$result
		else
			cell="FAIL mpirun status $rc"
		fi
		echo "CELL $m $s $cell"
		case "$cell" in ok*|SKIP*) ;; *) [ "$m" = ummunotify ] && status=1 ;; esac
		sed -n 's/^\[1,\([0-9]\)\].*MR cache stats: searches \([0-9]*\), deletes \([0-9]*\), hits \([0-9]*\) notify \([0-9]*\).*/CACHE '"$m $s"' rank=\1 searches=\2 hits=\4 notify=\5/p' "$out"
		case "$cell" in ok*) ;; *) sed 's/^/  | /' "$out" | tail -n 25 ;; esac
	done
done
exit $status
