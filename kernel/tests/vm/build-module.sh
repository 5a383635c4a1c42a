#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh <6.1|6.12>
#
# Builds the module with W=1 against the headers of the kernel the VM boots
# (same ABI, so the guest accepts it), in its own copy of kernel/ under
# build/kernel/<abi>/src/ so that builds for both kernels never share objects.
# Prints the path of the .ko; the build log goes to stderr.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
kdir="$repo/kernel"

series=${1:?usage: build-module.sh <6.1|6.12>}
abi=$(cat "$("$here/kernel-image.sh" "$series")/abi")
headers="/usr/src/linux-headers-$abi"
out="$repo/build/kernel/$abi"
src="$out/src"

# Concurrent test runs share this directory: one builds at a time, and the
# .ko a VM may be loading is replaced whole, never rewritten in place.
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
. "$kdir/scripts/lib.sh"
copy_module_source "$kdir" "$src"
echo "build-module: building for $abi in $src" >&2
make -C "$headers" M="$src" W=1 modules >&2
[ -f "$src/ummunotify.ko" ] || { echo "build-module: no ummunotify.ko in $src" >&2; exit 1; }
cp "$src/ummunotify.ko" "$out/.ummunotify.ko.$$"
mv "$out/.ummunotify.ko.$$" "$out/ummunotify.ko"
echo "$out/ummunotify.ko"
