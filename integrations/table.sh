#!/bin/bash
# table.sh LOG: the correctness table (markdown) from the CELL and CACHE lines
# of a run.sh console log: one row per scenario, one column per monitor, each
# cell the result and rank 0's MR cache notify count.
set -euo pipefail
tr -d '\r' <"${1:?usage: table.sh LOG}" | awk '
/^CELL / {
	m = $2; s = $3; r = $4
	if (r == "SKIP") r = "SKIP: " substr($0, index($0, "SKIP ") + 5)
	if (!(m in seen_m)) { seen_m[m] = 1; ms[++nm] = m }
	if (!(s in seen_s)) { seen_s[s] = 1; ss[++ns] = s }
	cell[s, m] = r
}
/^CACHE / && /rank=0/ {
	for (i = 4; i <= NF; i++) if ($i ~ /^(hits|notify)=/) { split($i, kv, "="); stat[$3, $2, kv[1]] = kv[2] }
}
END {
	printf "| scenario |"; for (j = 1; j <= nm; j++) printf " %s |", ms[j]; printf "\n|---|"
	for (j = 1; j <= nm; j++) printf "---|"; printf "\n"
	for (i = 1; i <= ns; i++) {
		printf "| %s |", ss[i]
		for (j = 1; j <= nm; j++) {
			c = cell[ss[i], ms[j]]
			if ((ss[i], ms[j], "notify") in stat)
				c = c " (hits " stat[ss[i], ms[j], "hits"] ", notify " stat[ss[i], ms[j], "notify"] ")"
			printf " %s |", c
		}
		printf "\n"
	}
}'
