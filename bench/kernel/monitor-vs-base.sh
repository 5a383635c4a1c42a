#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# monitor-vs-base.sh BASE_KO NEW_KO BENCH [ROUNDS]
#
# In the VM, with NEW_KO loaded: the cost of a hit, a miss and a register
# with no monitor attached, with the module from before monitors existed
# (BASE_KO) and with this one, in alternating rounds (the module is swapped
# between them), as a ratio of the best of each. Leaves NEW_KO loaded.
set -euo pipefail

base_ko=$1 new_ko=$2 bench=$3 rounds=${4:-3}

for ((r = 0; r < rounds; r++)); do
	rmmod ummunotify
	insmod "$base_ko"
	"$bench" --zero | sed 's/^zero/before/'
	rmmod ummunotify
	insmod "$new_ko"
	"$bench" --zero | sed 's/^zero/after/'
done | awk '
	function min(a, b) { return a == "" || b < a ? b : a }
	{ for (i = 2; i <= 4; i++) best[$1, i] = min(best[$1, i], $i) }
	END {
		split("madvise hit,madvise miss,register", name, ",")
		print "0 monitors against the module before monitors (best of '"$rounds"' alternating rounds, ns):"
		for (i = 2; i <= 4; i++)
			printf("  %-13s before %8.0f  after %8.0f  ratio %.2fx\n", name[i - 1],
			       best["before", i], best["after", i],
			       best["after", i] / best["before", i])
	}'
