#!/bin/bash
# guest-bench.sh LIBFABRIC_PREFIX BUILD_DIR: inside the test VM only; see
# run.sh. ROUNDS rounds; each runs every monitor once, in an order rotated
# by one per round, so that no monitor always pays for going first (cold
# page cache over 9p) or for a busy moment of the host. Prints
#   COST <monitor> <round> <mode> ...   (rank 0's timings)
#   STATS <monitor> <round> searches=<n> hits=<n> notify=<n>
# (rank 0's MR cache counters, from libfabric's own "MR cache stats" line).
set -uo pipefail
prefix=$1 out=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$repo/integrations/vm/softroce-up.sh" || exit 125
read -r -a monitors <<<"${MONITORS:-ummunotify userfaultfd memhooks disabled}"
for ((round = 1; round <= ${ROUNDS:-3}; round++)); do
	for ((i = 0; i < ${#monitors[@]}; i++)); do
		m=${monitors[(i + round - 1) % ${#monitors[@]}]}
		FI_LOG_LEVEL=info FI_UNIVERSE_SIZE=8 FI_MR_CACHE_MONITOR=$m LD_LIBRARY_PATH=$prefix/lib \
		timeout -k 5 300 mpirun --allow-run-as-root -np 2 --mca pml cm --mca mtl ofi \
			--mca mtl_ofi_provider_include 'verbs;ofi_rxm' --mca btl self \
			--mca oob_tcp_if_include lo \
			-x FI_LOG_LEVEL -x FI_UNIVERSE_SIZE -x FI_MR_CACHE_MONITOR -x LD_LIBRARY_PATH \
			"$out/mr_cost" $((1 << 20)) 30 2>&1 |
			awk -v m="$m" -v r="$round" '
			/^COST / { $1 = ""; print "COST " m " " r $0 }
			/MR cache stats:/ && !stats++ {
				gsub(/,/, ""); for (i = 1; i <= NF; i++) v[$i] = $(i + 1)
				print "STATS " m " " r " searches=" v["searches"] " hits=" v["hits"] " notify=" v["notify"]
			}'
	done
done
