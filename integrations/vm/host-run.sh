#!/bin/bash
# host-run.sh SERIES GUEST_SCRIPT: builds what the real stack needs (the
# patched libfabric, cached; the module; the MPI programs of
# integrations/mpi-tests and bench/mpi into build/integrations) and runs
# "GUEST_SCRIPT LIBFABRIC_PREFIX BUILD_DIR" in the VM of that kernel series
# with soft-RoCE's modules loaded. SCENARIOS, MONITORS, RUN_TIMEOUT, ROUNDS pass
# through to the guest; VM_TIMEOUT bounds the VM; VM_NO_DEBUG=1 boots without
# the kernel's debug checks (benchmarks).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
series=${1:?usage: host-run.sh SERIES GUEST_SCRIPT}
guest=${2:?usage: host-run.sh SERIES GUEST_SCRIPT}
softroce_modules=crc32_generic,ib_core,ib_uverbs,udp_tunnel,ip6_udp_tunnel,rdma_rxe,veth,rdma_ucm

prefix=$("$repo/integrations/libfabric/build.sh")
module=$("$repo/kernel/tests/vm/build-module.sh" "$series" | tail -n 1)
out=$repo/build/integrations
mkdir -p "$out"
for src in "$repo"/integrations/mpi-tests/*.c "$repo"/bench/mpi/*.c; do
	mpicc -O2 -Wall -Wextra -Werror -o "$out/$(basename "$src" .c)" "$src"
done

envs=()
[ "${VM_NO_DEBUG:-0}" != 1 ] || envs+=(--no-debug)
for v in SCENARIOS MONITORS RUN_TIMEOUT ROUNDS; do
	[ -z "${!v:-}" ] || envs+=(--env "$v=${!v}")
done
cd "$repo"
exec "$repo/kernel/tests/vm/vm-run.sh" --kernel "$series" --timeout "${VM_TIMEOUT:-3000}" \
	--modules "$softroce_modules" --module "$module" ${envs[@]+"${envs[@]}"} \
	-- "$guest" "$prefix" "$out"
