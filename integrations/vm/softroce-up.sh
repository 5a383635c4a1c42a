#!/bin/bash
# softroce-up.sh: inside the test VM only. A soft-RoCE device rxe0 over one
# end of a veth pair; every packet stays in the guest (the VM has no NIC).
# Needs the modules that run.sh asks vm-run.sh to load.
set -euo pipefail
# Open MPI refuses the kernel's default "(none)".
hostname ummunotify-vm
ip link set lo up
ip link add va type veth peer name vb
ip addr add 10.11.0.1/24 dev va
ip link set va up
ip link set vb up
rdma link add rxe0 type rxe netdev va
rdma link show >&2
