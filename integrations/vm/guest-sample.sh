#!/bin/bash
# guest-sample.sh LIBFABRIC_PREFIX TESTS_DIR: inside the test VM only. Records
# a real 4-rank job for docs/samples: `ummunotify agent --record` watches
# mr_cost (two ping-pong pairs over soft-RoCE, buffer reuse then churn) under
# the ummunotify monitor, and the recordings are printed as a base64 tar
# between SAMPLE-BEGIN and SAMPLE-END lines (the host tree is read-only here;
# integrations/sample.sh unpacks them).
set -uo pipefail
prefix=$1 tests=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
"$here/softroce-up.sh" || exit 125
records=/tmp/sample
rm -rf "$records"
node "$repo/bin/ummunotify.mjs" agent --record "$records" --exit-when-idle 2 >/tmp/agent.log 2>&1 &
agent=$!
FI_UNIVERSE_SIZE=8 FI_MR_CACHE_MONITOR=ummunotify LD_LIBRARY_PATH=$prefix/lib \
timeout -k 5 "${RUN_TIMEOUT:-300}" mpirun --allow-run-as-root \
	-np 4 --oversubscribe --mca pml cm --mca mtl ofi \
	--mca mtl_ofi_provider_include 'verbs;ofi_rxm' \
	--mca btl self --mca oob_tcp_if_include lo \
	-x FI_UNIVERSE_SIZE -x FI_MR_CACHE_MONITOR -x LD_LIBRARY_PATH \
	"$tests/mr_cost" "${SAMPLE_BYTES:-262144}" "${SAMPLE_ITERS:-25}" || exit 1
wait "$agent" || { cat /tmp/agent.log; exit 1; }
cat /tmp/agent.log
echo SAMPLE-BEGIN
tar czf - -C "$records" . | base64
echo SAMPLE-END
