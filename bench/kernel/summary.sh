#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# summary.sh BENCH ROUNDS NEW_KO [BASE_KO]
#
# In the VM: runs BENCH (bench-summary) ROUNDS times with NEW_KO loaded,
# and with a BASE_KO, as many times with that one, the two swapped in
# alternating rounds, so that the host's load weighs on both alike. Prints
# BENCH's lines prefixed with "after" or "before"; summary-table.awk makes
# the table. Leaves NEW_KO loaded.
set -euo pipefail

bench=$1 rounds=$2 new_ko=$3 base_ko=${4:-}

for ((r = 0; r < rounds; r++)); do
	if [ -n "$base_ko" ]; then
		rmmod ummunotify
		insmod "$base_ko"
		"$bench" | sed 's/^/before /'
		rmmod ummunotify
		insmod "$new_ko"
	fi
	"$bench" | sed 's/^/after /'
done
