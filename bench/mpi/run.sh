#!/bin/bash
# run.sh [6.12|6.1]: the cost of each libfabric memory monitor under Open MPI
# over soft-RoCE in the VM (mr_cost.c: ping-pong with buffer reuse and with
# churn), one run, and each monitor's time as a ratio of ummunotify's.
# QEMU TCG emulates the CPU: the ratios, not the absolute numbers, mean
# something, and only roughly.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
VM_NO_DEBUG=1 "$here/../../integrations/vm/host-run.sh" "${1:-6.12}" "$here/guest-bench.sh" | tee "$log" | grep '^COST'
tr -d '\r' <"$log" | awk '
/^COST / {
	for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	t[$2, $3] = v["usec_per_roundtrip"]; if (!($2 in seen)) { seen[$2] = 1; ms[++n] = $2 }
}
END {
	print "\nround-trip time relative to ummunotify (1 MiB; lower is faster)"
	printf "%-12s %8s %8s\n", "monitor", "reuse", "churn"
	for (i = 1; i <= n; i++)
		printf "%-12s %8.2f %8.2f\n", ms[i], t[ms[i], "reuse"] / t["ummunotify", "reuse"], t[ms[i], "churn"] / t["ummunotify", "churn"]
}'
