#!/bin/bash
# guest-bench.sh LIBFABRIC_PREFIX BUILD_DIR: inside the test VM only; see
# run.sh. Prints "COST <monitor> <mode> ..." lines.
set -uo pipefail
prefix=$1 out=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$repo/integrations/vm/softroce-up.sh" || exit 125
for m in ${MONITORS:-ummunotify userfaultfd memhooks disabled}; do
	FI_UNIVERSE_SIZE=8 FI_MR_CACHE_MONITOR=$m LD_LIBRARY_PATH=$prefix/lib \
	timeout -k 5 300 mpirun --allow-run-as-root -np 2 --mca pml cm --mca mtl ofi \
		--mca mtl_ofi_provider_include 'verbs;ofi_rxm' --mca btl self \
		--mca oob_tcp_if_include lo \
		-x FI_UNIVERSE_SIZE -x FI_MR_CACHE_MONITOR -x LD_LIBRARY_PATH \
		"$out/mr_cost" $((1 << 20)) 30 2>&1 | sed -n "s/^COST /COST $m /p"
done
