#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-kernel-log.sh CONSOLE_LOG
#
# Prints the kernel messages of a VM run that reveal a kernel bug (warnings,
# oopses, KFENCE and slub_debug reports, lockdep splats, hung tasks, lockups,
# RCU stalls) and exits 1 if there is any. Only kernel lines (the printk
# timestamp "[    1.234567] ") are considered, so a test that prints "BUG:" in
# its own output is not mistaken for one. Both the live console (all there is
# after a crash) and the guest's final dmesg (which has every level) count.

set -euo pipefail

log=${1:?usage: check-kernel-log.sh CONSOLE_LOG}

patterns='WARNING:|BUG:|BUG [a-z0-9_-]+ |kernel BUG at|Oops|general protection fault|Kernel panic'
patterns+='|KFENCE|lockdep|possible circular locking|possible recursive locking'
patterns+='|INFO: task .* blocked|soft lockup|hard LOCKUP|rcu: .*detected stall'
patterns+='|Poison overwritten|Redzone|Object padding|Freepointer corrupt|UBSAN:'

# A kernel with lockdep (vm-run.sh --vmlinuz) says so at boot; that is no bug.
benign='rcu:[[:space:]]+RCU lockdep checking is enabled'

# A line can appear twice: live on the console and in the guest's final dmesg.
bad=$(tr -d '\r' <"$log" | grep -E '\[ *[0-9]+\.[0-9]+\] ' | grep -E -- "$patterns" |
	grep -v -E -- "$benign" | awk '!seen[$0]++' || true)
if [ -n "$bad" ]; then
	echo "$bad"
	exit 1
fi
