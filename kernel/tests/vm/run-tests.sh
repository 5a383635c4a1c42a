#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-tests.sh <6.1|6.12|all>
#
# The kernel test run: static checks (once), then for each kernel: build the
# module with W=1 in its own copy of the tree (build/kernel/<abi>/src/), build the
# C tests, and run kernel/tests/run-all.sh in a VM with the module loaded,
# then the test that needs two NUMA nodes (others) in a second VM that has
# them. UMMUNOTIFY_TESTS="basic events" runs a subset.
# Prints a summary per kernel; exits non-zero if any step failed.
# UMMUNOTIFY_VM_TIMEOUT overrides the per-kernel VM timeout (seconds).

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
kdir="$repo/kernel"
timeout=${UMMUNOTIFY_VM_TIMEOUT:-1800}

case "${1:-}" in
6.1|6.12) series_list=("$1") ;;
all) series_list=(6.1 6.12) ;;
*) echo "usage: run-tests.sh <6.1|6.12|all>" >&2; exit 2 ;;
esac

if [ ! -x "$kdir/tests/run-all.sh" ]; then
	echo "run-tests: kernel/tests/run-all.sh does not exist (or is not executable): no kernel tests to run" >&2
	exit 1
fi

summary=()
failed=0

note() {
	summary+=("$1")
	case "$1" in
	*FAIL*) failed=1 ;;
	esac
}

job_output() {
	tr -d '\r' <"$1" | sed -n '/^===== UMMUNOTIFY-VM job start =====/,/^===== UMMUNOTIFY-VM job end =====/p'
}

# Counts the TAP results of a VM run, and lists the failed ones.
tap_counts() {
	local job
	job=$(job_output "$1")
	printf '%s ok, %s not ok' \
		"$(grep -cE '^[[:space:]]*ok( |$)' <<<"$job")" \
		"$(grep -cE '^[[:space:]]*not ok( |$)' <<<"$job")"
	grep -E '^[[:space:]]*not ok( |$)' <<<"$job" | sed 's/^[[:space:]]*/\n    /' || true
}

if [ -x "$kdir/scripts/static-checks.sh" ]; then
	echo "run-tests: static checks" >&2
	if "$kdir/scripts/static-checks.sh"; then
		note "static checks: pass"
	else
		note "static checks: FAIL"
	fi
else
	note "static checks: skipped (kernel/scripts/static-checks.sh not present)"
fi

echo "run-tests: building the C tests" >&2
if make -C "$kdir/tests"; then
	tests_built=1
	note "C tests build: pass"
else
	tests_built=0
	note "C tests build: FAIL"
fi

# run_suite SERIES KO TAG LABEL [VM-RUN OPTION...]: run-all.sh in one VM.
run_suite() {
	local series=$1 ko=$2 tag=$3 label=$4 log status
	shift 4
	log="$repo/build/vm/logs/tests-$tag-$(date -u +%Y%m%dT%H%M%S).log"
	(cd "$repo" && "$here/vm-run.sh" --kernel "$series" --module "$ko" \
		--timeout "$timeout" --log "$log" "$@" -- kernel/tests/run-all.sh)
	status=$?
	if [ "$status" -eq 0 ]; then
		note "$label: pass (log $log) $(tap_counts "$log")"
	else
		note "$label: FAIL (exit $status, log $log) $(tap_counts "$log")"
	fi
}

# UMMUNOTIFY_TESTS (a subset, see run-all.sh) reaches the guest; the NUMA
# pass runs others only when the subset names it.
subset=() numa_tests=others
if [ -n "${UMMUNOTIFY_TESTS:-}" ]; then
	subset=(--env "UMMUNOTIFY_TESTS=$UMMUNOTIFY_TESTS")
	case " $UMMUNOTIFY_TESTS " in
	*" others "*) ;;
	*) numa_tests= ;;
	esac
fi

mkdir -p "$repo/build/vm/logs"
for series in "${series_list[@]}"; do
	if ! ko=$("$here/build-module.sh" "$series"); then
		note "$series: FAIL (module build)"
		continue
	fi
	if [ "$tests_built" -eq 0 ]; then
		note "$series: FAIL (C tests not built)"
		continue
	fi
	# zram is the swap of the swap-out tests (others.c); loaded, it
	# changes nothing for the other tests.
	run_suite "$series" "$ko" "$series" "$series" --modules zram ${subset[@]+"${subset[@]}"}
	# The page migration and NUMA balancing tests need two nodes; the
	# other suites keep the one-node machine.
	if [ -n "$numa_tests" ]; then
		run_suite "$series" "$ko" "$series-numa" "$series, two NUMA nodes" --modules zram \
			--numa --env UMMUNOTIFY_TESTS="$numa_tests"
	fi
done

echo
echo "===== kernel test summary ====="
printf '%s\n' "${summary[@]}"
exit "$failed"
