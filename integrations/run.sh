#!/bin/bash
# run.sh [6.12|6.1]
#
# The real-stack check: builds the patched libfabric (libfabric/build.sh,
# cached), the module and the MPI tests, boots Debian's kernel in QEMU with
# soft-RoCE and the module loaded, and runs vm/guest-run.sh there: every
# stale-registration scenario under every libfabric memory monitor. Exit
# status non-zero when the ummunotify monitor gives wrong bytes, hangs or
# fails, or the VM does. SCENARIOS, MONITORS, RUN_TIMEOUT pass through.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
series=${1:-6.12}
softroce_modules=crc32_generic,ib_core,ib_uverbs,udp_tunnel,ip6_udp_tunnel,rdma_rxe,veth,rdma_ucm

prefix=$("$here/libfabric/build.sh")
module=$("$repo/kernel/tests/vm/build-module.sh" "$series" | tail -n 1)
tests=$repo/build/integrations
mkdir -p "$tests"
mpicc -O2 -Wall -Wextra -Werror -o "$tests/stale_mr" "$here/mpi-tests/stale_mr.c"

envs=()
for v in SCENARIOS MONITORS RUN_TIMEOUT; do
	[ -z "${!v:-}" ] || envs+=(--env "$v=${!v}")
done
cd "$repo"
exec "$repo/kernel/tests/vm/vm-run.sh" --kernel "$series" --timeout "${VM_TIMEOUT:-3000}" \
	--modules "$softroce_modules" --module "$module" ${envs[@]+"${envs[@]}"} \
	-- "$here/vm/guest-run.sh" "$prefix" "$tests"
