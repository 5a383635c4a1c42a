#!/bin/bash
# ci.sh [6.12|6.1]: the real-stack suite of `npm test`. Builds what
# run.sh builds (the patched libfabric is cached by its inputs), boots the
# kernel with soft-RoCE, and runs vm/guest-ci.sh: every scenario under the
# ummunotify monitor (right bytes, the cache hit and was notified), plus
# memhooks controls that must see stale bytes. The full four-monitor table
# is integrations/run.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/vm/host-run.sh" "${1:-6.12}" "$here/vm/guest-ci.sh"
