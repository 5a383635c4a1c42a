#!/bin/bash
# run.sh [6.12|6.1]
#
# The real-stack check: builds the patched libfabric (libfabric/build.sh,
# cached), the module and the MPI tests, boots Debian's kernel in QEMU with
# soft-RoCE and the module loaded, and runs vm/guest-run.sh there: every
# stale-registration scenario under every libfabric memory monitor. Exit
# status non-zero when the ummunotify monitor gives wrong bytes, hangs or
# fails, or the VM does. SCENARIOS, MONITORS, RUN_TIMEOUT, VM_TIMEOUT pass
# through. integrations/table.sh LOG turns the output into the README table.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/vm/host-run.sh" "${1:-6.12}" "$here/vm/guest-run.sh"
