#!/bin/bash
# guest-agent.sh LIBFABRIC_PREFIX TESTS_DIR [SCENARIO]: inside the test VM
# only, with soft-RoCE up. `ummunotify agent --record` watches a 2-rank job
# (stale_mr SCENARIO, munmap-mmap-fixed by default, under the ummunotify
# monitor; each rank waits until the agent is attached), then agent-check.ts
# compares, per rank, what the agent recorded with what the rank's libfabric
# monitor counted. TAP lines; exit status 1 on any difference.
set -uo pipefail
prefix=$1 tests=$2 scenario=${3:-munmap-mmap-fixed}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ "${SOFTROCE_UP:-0}" = 1 ] || "$here/softroce-up.sh" || exit 125
records=/tmp/agent-records out=/tmp/agent-job.out log=/tmp/agent.log
rm -rf "$records"

node "$repo/bin/ummunotify.mjs" agent --record "$records" --exit-when-idle 2 >"$log" 2>&1 &
agent=$!
FI_UNIVERSE_SIZE=8 FI_MR_CACHE_MONITOR=ummunotify LD_LIBRARY_PATH=$prefix/lib \
FI_LOG_LEVEL=info FI_LOG_SUBSYS=mr FI_LOG_PROV=core STALE_MR_WAIT_WATCHED=1 \
timeout -k 5 "${RUN_TIMEOUT:-120}" mpirun --allow-run-as-root \
	-np 2 --mca pml cm --mca mtl ofi \
	--mca mtl_ofi_provider_include 'verbs;ofi_rxm' \
	--mca btl self --mca oob_tcp_if_include lo \
	-x FI_UNIVERSE_SIZE -x FI_MR_CACHE_MONITOR -x LD_LIBRARY_PATH -x FI_LOG_LEVEL \
	-x FI_LOG_SUBSYS -x FI_LOG_PROV -x STALE_MR_WAIT_WATCHED \
	--tag-output "$tests/stale_mr" "$scenario" >"$out" 2>&1
rc=$?
# The agent exits by itself 2 s after the last rank closed its file.
for _ in $(seq 1 150); do
	kill -0 "$agent" 2>/dev/null || break
	sleep 0.2
done
if kill -0 "$agent" 2>/dev/null; then
	echo "not ok - the agent did not exit after the job (--exit-when-idle)"
	kill "$agent"
fi
wait "$agent"
agent_rc=$?
status=0
if [ $rc -eq 0 ] && grep -q "RESULT $scenario ok" "$out"; then
	echo "ok - agent job: stale_mr $scenario got the right bytes while watched"
else
	echo "not ok - agent job: stale_mr $scenario (mpirun status $rc)"
	status=1
fi
[ $agent_rc -eq 0 ] || { echo "not ok - the agent exited with status $agent_rc"; status=1; }
node --import "$repo/test/native/register-ts.mjs" "$here/agent-check.ts" "$records" "$out" || status=1
if [ $status -ne 0 ]; then
	sed 's/^/  | agent: /' "$log" | tail -n 30
	grep -v 'rxe_create_qp' "$out" | sed 's/^/  | job: /' | tail -n 30
fi
exit $status
