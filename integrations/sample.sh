#!/bin/bash
# sample.sh [6.12|6.1]: records a real 4-rank MPI job in the VM
# (vm/guest-sample.sh) and unpacks its per-rank recordings into
# docs/samples/mpi-4-ranks/, the sample the app offers on its start screen.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
dest=$repo/docs/samples/mpi-4-ranks
log=$(mktemp)
trap 'rm -f "$log"' EXIT
VM_NO_DEBUG=1 "$here/vm/host-run.sh" "${1:-6.12}" "$here/vm/guest-sample.sh" | tee "$log" | sed '/^SAMPLE-BEGIN/,/^SAMPLE-END/d' | grep -v '^\[' || true
grep -q '^SAMPLE-END' "$log" || { echo "sample.sh: the VM printed no sample" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
sed -n '/^SAMPLE-BEGIN/,/^SAMPLE-END/p' "$log" | sed '1d;$d' | tr -d '\r' | base64 -d | tar xzf - -C "$dest"
ls -l "$dest"
