#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs every ummunotify test binary (built by `make -C kernel/tests`) with
# the module loaded; exits non-zero if any test fails or is missing.
# UMMUNOTIFY_TESTS="basic events" runs a subset.
here=$(cd "$(dirname "$0")" && pwd)
tests=${UMMUNOTIFY_TESTS:-"basic basic-m32 events extensions extensions-m32 misses processes stress scale cache2010 others monitor monitor-churn generations generations-m32"}

if [ ! -c /dev/ummunotify ]; then
	echo "run-all: /dev/ummunotify is missing: load the module first" >&2
	exit 1
fi

failed=""
for t in $tests; do
	echo "# ===== $t"
	if [ ! -x "$here/$t" ]; then
		echo "not ok - $t is not built"
		failed="$failed $t"
		continue
	fi
	if ! "$here/$t"; then
		failed="$failed $t"
	fi
done

if [ -n "$failed" ]; then
	echo "# run-all: FAILED:$failed"
	exit 1
fi
echo "# run-all: all tests passed"
