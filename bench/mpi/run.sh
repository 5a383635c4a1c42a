#!/bin/bash
# run.sh [6.12|6.1]: the cost of each libfabric memory monitor under Open MPI
# over soft-RoCE in the VM (mr_cost.c: ping-pong with buffer reuse and with
# churn). ROUNDS (default 3) interleaved rounds in one boot; prints each
# monitor's median round trip as a ratio of ummunotify's, and rank 0's MR
# cache hits per search, which show whether the caches behaved alike.
# QEMU TCG emulates the CPU: the ratios, not the absolute numbers, mean
# something, and only roughly.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
VM_NO_DEBUG=1 "$here/../../integrations/vm/host-run.sh" "${1:-6.12}" "$here/guest-bench.sh" |
	tee "$log" | grep '^COST\|^STATS'
tr -d '\r' <"$log" | awk '
function median(key,   n, i, j, a, t) {
	n = split(runs[key], a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
/^COST / {
	for (i = 5; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	runs[$2, $4] = runs[$2, $4] " " v["usec_per_roundtrip"]
	if (!($2 in seen)) { seen[$2] = 1; ms[++n] = $2 }
}
/^STATS / {
	for (i = 4; i <= NF; i++) { split($i, kv, "="); s[$2, kv[1]] += kv[2] }
}
END {
	print "\nmedian round trip relative to ummunotify (1 MiB; lower is faster), and rank 0 MR cache hits/searches"
	printf "%-12s %8s %8s %12s\n", "monitor", "reuse", "churn", "hits"
	for (i = 1; i <= n; i++)
		printf "%-12s %8.2f %8.2f %12s\n", ms[i], median(ms[i] SUBSEP "reuse") / median("ummunotify" SUBSEP "reuse"),
			median(ms[i] SUBSEP "churn") / median("ummunotify" SUBSEP "churn"),
			s[ms[i], "searches"] ? s[ms[i], "hits"] "/" s[ms[i], "searches"] : "-"
	printf "ummunotify medians: reuse %.1f ms, churn %.1f ms per round trip\n",
		median("ummunotify" SUBSEP "reuse") / 1000, median("ummunotify" SUBSEP "churn") / 1000
}'
