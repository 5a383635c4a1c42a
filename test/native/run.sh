#!/bin/bash
# test/native/run.sh [--host-only] [--kernel <6.1|6.12>]...
#
# The addon's tests, with one exit status: builds the addon and the module
# where their sources changed, runs the device-absent suite on the host,
# then the in-VM suite (every Device
# call, the lab ops' events, watch() under a 100k burst, the Monitor binding
# (attach by pid and fd, records, every attach errno), the kernel backend
# over a device-session process, the core's monitor sessions and serve
# --attach-all against several examples/regcache processes) and the model-vs-kernel conformance
# scripts inside kernel/tests/vm/vm-run.sh on each kernel (default: 6.1 and
# 6.12). CONFORMANCE_SEEDS sets the number of random 1000-op scripts
# (default 60, about 80 s per kernel).

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2

host_only=0
kernels=()
while [ $# -gt 0 ]; do
	case "$1" in
	--host-only) host_only=1; shift ;;
	--kernel) kernels+=("${2:?}"); shift 2 ;;
	*) echo "usage: test/native/run.sh [--host-only] [--kernel <6.1|6.12>]..." >&2; exit 2 ;;
	esac
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

node_test=(node --import ./test/native/register-ts.mjs --test --test-concurrency=1)

node native/scripts/build.mjs --if-stale || exit 1
# The monitor tests attach to the regcache example and run the built serve mode.
make -s -C examples/regcache || exit 1
mkdir -p build/native
if [ "$host_only" -eq 0 ]; then npx electron-vite build >build/native/electron-vite.log 2>&1 || { echo "native: electron-vite build failed (build/native/electron-vite.log)" >&2; exit 1; }; fi

status=0
echo "== native: host suite (no /dev/ummunotify)"
"${node_test[@]}" test/native/outside/*.test.ts || status=1
[ "$host_only" -eq 1 ] && exit "$status"

# A private copy of the module: other jobs rebuild build/kernel/ at any time.
module_for() {
	local series=$1 ko out
	# make rebuilds only what changed since the last build.
	ko=$(kernel/tests/vm/build-module.sh "$series" 2>"build/native/logs/module-$series.log") || {
		echo "native: module build for $series failed (build/native/logs/module-$series.log)" >&2
		return 1
	}
	out=build/native/vm/$series
	mkdir -p "$out" && cp "$ko" "$out/ummunotify.ko" && echo "$out/ummunotify.ko"
}

mkdir -p build/native/logs
for series in "${kernels[@]}"; do
	echo "== native: VM suite on $series"
	if ! ko=$(module_for "$series"); then
		echo "native: no module for $series" >&2
		status=1
		continue
	fi
	kernel/tests/vm/vm-run.sh --kernel "$series" --module "$ko" --timeout 3000 \
		--log "build/native/logs/$series.log" \
		--env "CONFORMANCE_SEEDS=${CONFORMANCE_SEEDS:-60}" -- \
		"${node_test[@]}" test/native/inside/*.test.ts test/native/conformance/conformance.test.ts |
		sed -n '/UMMUNOTIFY-VM job start/,/UMMUNOTIFY-VM job end/p'
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
exit "$status"
