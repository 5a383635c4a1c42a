#!/bin/bash
# bench/native/run.sh [6.1|6.12]: builds read-loop.c and runs bench/native/watch.ts
# in the VM (no debug options), printing events/s for watch() and for a plain
# C read loop on the same workload, and their ratio.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
series=${1:-6.12}
mkdir -p build/native/bench build/native/vm/"$series"
gcc -O2 -Wall -Werror -I kernel/include/uapi -o build/native/bench/read-loop bench/native/read-loop.c
node native/scripts/build.mjs --if-stale
ko=$(kernel/tests/vm/build-module.sh "$series")
cp "$ko" build/native/vm/"$series"/ummunotify.ko
kernel/tests/vm/vm-run.sh --kernel "$series" --no-debug --module build/native/vm/"$series"/ummunotify.ko \
	--log build/native/logs/bench-"$series".log -- \
	node --import ./test/native/register-ts.mjs bench/native/watch.ts build/native/bench/read-loop |
	sed -n '/UMMUNOTIFY-VM job start/,/UMMUNOTIFY-VM job end/p'
