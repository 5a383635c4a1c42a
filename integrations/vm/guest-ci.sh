#!/bin/bash
# guest-ci.sh LIBFABRIC_PREFIX TESTS_DIR: inside the test VM only; the
# `npm test` suite's part of the real-stack check (integrations/ci.sh).
# 1. Every scenario under the ummunotify monitor: rank 1 gets the right bytes
#    (guest-run.sh fails otherwise) and, where the change was made, rank 0's
#    MR cache hit before the change and was notified of it, so the cache,
#    not a re-registration by chance, is what was checked.
# 2. Controls: memhooks on raw-munmap and mremap-move must give WRONG bytes;
#    if they did not, the scenarios would no longer create a stale
#    registration and step 1 would prove nothing.
# 3. `ummunotify agent` watching a job records, per rank, the registrations,
#    unregistrations and invalidations libfabric's monitor counted
#    (guest-agent.sh).
set -uo pipefail
prefix=$1 tests=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
status=0
out=/tmp/ci-run.out

MONITORS=ummunotify "$here/guest-run.sh" "$prefix" "$tests" | tee "$out" || status=1
# (No process substitution: the guest has no /dev/fd.)
cells=$(grep '^CELL ' "$out")
checked=0
# rank 0's "CACHE" line of a run: sets hits and notify.
cache_counts() {
	local line
	line=$(grep "^CACHE ummunotify $1 rank=0 " "$2")
	hits=$(sed -n 's/.* hits=\([0-9]*\).*/\1/p' <<<"$line")
	notify=$(sed -n 's/.* notify=\([0-9]*\).*/\1/p' <<<"$line")
}
proved() { [ "${hits:-0}" -ge 1 ] && [ "${notify:-0}" -ge 1 ]; }
while read -r _ _ scenario result _; do
	[ "$result" = ok ] || continue
	cache_counts "$scenario" "$out"
	checked=$((checked + 1))
	if ! proved; then
		# Right bytes, but no hit to prove it by: on a loaded host the
		# monitor thread may not have read an unrelated report before the
		# cache looked (valid() then says "maybe stale"). Once more.
		echo "# ummunotify $scenario: right bytes, rank 0's cache hits=${hits:-?} notify=${notify:-?}; running it again"
		SOFTROCE_UP=1 MONITORS=ummunotify SCENARIOS=$scenario "$here/guest-run.sh" "$prefix" "$tests" >"$out.again" 2>&1
		if ! grep -q "^CELL ummunotify $scenario ok" "$out.again"; then
			echo "not ok - ummunotify $scenario, run again: $(grep '^CELL ' "$out.again")"
			status=1
			continue
		fi
		cache_counts "$scenario" "$out.again"
	fi
	if proved; then
		echo "ok - ummunotify $scenario: right bytes, cache hit ($hits) and notified ($notify)"
	else
		echo "not ok - ummunotify $scenario: right bytes, but rank 0's cache hits=${hits:-?} notify=${notify:-?}"
		status=1
	fi
done <<<"$cells"
if [ "$checked" -eq 0 ]; then
	echo "not ok - no scenario ran to completion under the ummunotify monitor"
	status=1
fi

# The controls run with the softroce device already up.
for scenario in raw-munmap mremap-move; do
	cell=$(SOFTROCE_UP=1 MONITORS=memhooks SCENARIOS=$scenario "$here/guest-run.sh" "$prefix" "$tests" | grep '^CELL ')
	echo "$cell"
	case "$cell" in
	"CELL memhooks $scenario WRONG"*) echo "ok - control: memhooks misses $scenario (stale bytes), so the scenario makes a stale registration" ;;
	*) echo "not ok - control: memhooks on $scenario should give WRONG bytes"; status=1 ;;
	esac
done

# 3. The agent watches a job and sees, rank by rank, what libfabric's monitor did.
SOFTROCE_UP=1 "$here/guest-agent.sh" "$prefix" "$tests" || status=1
exit $status
