#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh --kernel <6.1|6.12> | --vmlinuz BZIMAGE [--module PATH.ko]
#           [--timeout SECS] [--env NAME=VALUE]... [--log FILE] [--no-debug]
#           [--modules NAME,NAME...] [--numa] [--] COMMAND...
#
# Boots Debian's kernel of that series in QEMU (TCG, never KVM) with the host's
# root mounted read-only over 9p, loads the module, runs COMMAND in the host
# tree (working directory: the current one; HOME and TMPDIR: /tmp, a tmpfs),
# unloads the module, and powers off. The guest's console streams to stdout
# and to a log file. The kernel runs with slub_debug (and KFENCE on 6.12)
# unless --no-debug, which benchmarks use so as not to time the debug checks.
# --modules loads more of the kernel package's modules (with their
# dependencies) at boot, in the order given, before the module under test
# (soft-RoCE: crc32_generic,ib_core,ib_uverbs,udp_tunnel,ip6_udp_tunnel,
# rdma_rxe,veth). --numa gives the guest two NUMA nodes (1 GiB and one CPU
# each) instead of one, for the page migration tests (kernel/tests/others.c).
#
# Exit status: COMMAND's, or 1 if the kernel log shows a bug even though
# COMMAND passed; 124 on timeout; 125 if the guest could not be set up; 126 if
# the module could not be unloaded after COMMAND.
#
# --vmlinuz boots the given kernel image instead of Debian's (a debug build
# with lockdep/KASAN, say); it must have virtio-pci and 9p built in, since its
# initramfs holds busybox alone, and the module must be built against its tree.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)

usage() {
	sed -n '4,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

series='' vmlinuz='' module='' timeout=600 log='' debug=1 extra_modules=''
numa=() smp=2
envs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--vmlinuz) vmlinuz=${2:?}; shift 2 ;;
	--module) module=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--env) envs+=("${2:?}"); shift 2 ;;
	--log) log=${2:?}; shift 2 ;;
	--no-debug) debug=0; shift ;;
	--modules) extra_modules=${2:?}; shift 2 ;;
	--numa)
		# One socket per node: a socket split across nodes is a
		# topology the kernel warns about.
		smp=2,sockets=2,cores=1,threads=1
		numa=(-object memory-backend-ram,id=mem0,size=1G
		      -object memory-backend-ram,id=mem1,size=1G
		      -numa node,nodeid=0,cpus=0,memdev=mem0
		      -numa node,nodeid=1,cpus=1,memdev=mem1)
		shift ;;
	--) shift; break ;;
	-h|--help) usage ;;
	-*) echo "vm-run: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
if { [ -z "$series" ] && [ -z "$vmlinuz" ]; } || [ $# -eq 0 ]; then
	usage
fi

# The guest's /tmp is its own tmpfs; a tree under the host's /tmp (a CI
# clone, say) is bind-mounted back into it.
keep_under_tmp=
case "$PWD/" in
/tmp/?*/*) keep_under_tmp=/tmp/$(printf '%s' "${PWD#/tmp/}" | cut -d/ -f1) ;;
esac
if [ -n "$module" ]; then
	[ -f "$module" ] || { echo "vm-run: no module at $module" >&2; exit 2; }
	module=$(realpath "$module")
fi

if [ -n "$vmlinuz" ]; then
	[ -z "$extra_modules" ] || { echo "vm-run: --modules needs a Debian kernel (--kernel)" >&2; exit 2; }
	[ -f "$vmlinuz" ] || { echo "vm-run: no kernel image at $vmlinuz" >&2; exit 2; }
	vmlinuz=$(realpath "$vmlinuz")
	abi=custom
else
	if [ -n "$extra_modules" ]; then
		image=$("$here/kernel-image.sh" "$series" --modules "$extra_modules")
		base_initramfs=$image/initramfs-${extra_modules//,/-}
	else
		image=$("$here/kernel-image.sh" "$series")
		base_initramfs=$image/initramfs
	fi
	abi=$(cat "$image/abi")
	vmlinuz=$image/vmlinuz
fi

mkdir -p "$repo/build/vm/logs"
# Keep the newest 200 console logs.
find "$repo/build/vm/logs" -name '*.log' -printf '%T@ %p\n' | sort -rn |
	tail -n +201 | cut -d' ' -f2- | xargs -r rm -f
[ -n "$log" ] || log="$repo/build/vm/logs/$abi-$(date -u +%Y%m%dT%H%M%S)-$$.log"
mkdir -p "$(dirname "$log")"
job=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX")
trap 'rm -rf "$job"' EXIT
trap 'exit 130' INT TERM

sh_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

mkdir -p "$job/root/job"
cp "$here/guest-init.sh" "$job/root/init"
chmod 755 "$job/root/init"
{
	echo "VM_MODULE=$(sh_quote "$module")"
	echo "VM_MSIZE=512000"
	echo "VM_KEEP_UNDER_TMP=$(sh_quote "$keep_under_tmp")"
	echo "VM_HANG_DUMP_AFTER=$(( timeout > 60 ? timeout - 30 : timeout / 2 ))"
} >"$job/root/job/config"
{
	for e in ${envs[@]+"${envs[@]}"}; do
		printf 'export %q\n' "$e"
	done
	printf 'cd %q || exit 125\n' "$PWD"
	printf 'exec'
	printf ' %q' "$@"
	printf '\n'
} >"$job/root/job/command.sh"
# The kernel unpacks concatenated archives in order, so the job's /init and
# files are added to the cached base without rebuilding it.
if [ "$abi" = custom ]; then
	# No modules to load: the base is busybox and an empty module list.
	mkdir -p "$job/root"/{bin,dev,proc,sys,newroot,etc}
	cp /bin/busybox "$job/root/bin/busybox"
	ln -s busybox "$job/root/bin/sh"
	touch "$job/root/etc/vm-modules"
	(cd "$job/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$job/initramfs"
else
	{
		cat "$base_initramfs"
		(cd "$job/root" && find . | cpio -o -H newc --quiet | gzip -1)
	} >"$job/initramfs"
fi

cmdline="console=ttyS0 loglevel=5 panic=-1 transparent_hugepage=madvise"
if [ "$debug" -eq 1 ]; then
	cmdline+=" slub_debug=FZPU"
	case "$series" in
	6.12) cmdline+=" kfence.sample_interval=10" ;;
	esac
fi

# One boot; sets qemu_status. The console goes to $1.
boot() {
	local console_log=$1 tee_pid
	rm -f "$job/console"
	mkfifo "$job/console"
	tee "$console_log" <"$job/console" &
	tee_pid=$!
	timeout -k 10 "$timeout" qemu-system-x86_64 \
		-accel tcg -cpu max -m 2G -smp "$smp" ${numa[@]+"${numa[@]}"} \
		-nographic -no-reboot -nic none \
		-kernel "$vmlinuz" -initrd "$job/initramfs" -append "$cmdline" \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		</dev/null >"$job/console" 2>&1 &
	qemu_pid=$!
	qemu_status=0
	wait "$qemu_pid" || qemu_status=$?
	wait "$tee_pid" || true
}

# timeout runs QEMU in its own process group: stop it when we are stopped.
qemu_pid=
trap '[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true; rm -rf "$job"' EXIT
trap 'exit 130' INT TERM
start=$(date +%s)
# Under TCG, a stock kernel very rarely dies while booting, before anything
# of ours runs (an int3 Oops from live code patching was seen under load).
# Such a boot is retried; a failure once the guest has reached our module
# (its marker below) is always reported.
for attempt in 1 2 3; do
	echo "vm-run: booting $abi (log: $log)" >&2
	boot "$log"
	if [ "$qemu_status" -eq 124 ] || [ "$qemu_status" -eq 137 ] ||
		grep -q 'UMMUNOTIFY-VM reached' "$log"; then
		break
	fi
	echo "vm-run: the kernel failed while booting, before the module or job (attempt $attempt):" >&2
	"$here/check-kernel-log.sh" "$log" >&2 || true
	cp "$log" "$log.boot-failure-$attempt"
done
echo "vm-run: $abi ran for $(( $(date +%s) - start ))s" >&2

if [ "$qemu_status" -eq 124 ] || [ "$qemu_status" -eq 137 ]; then
	echo "vm-run: timed out after ${timeout}s (log: $log)" >&2
	"$here/check-kernel-log.sh" "$log" >&2 || true
	exit 124
fi

status=$(tr -d '\r' <"$log" | sed -n 's/^UMMUNOTIFY-VM-EXIT=\([0-9]*\)$/\1/p' | tail -n 1)
if [ -z "$status" ]; then
	echo "vm-run: the guest stopped without reporting an exit status (qemu: $qemu_status, log: $log)" >&2
	"$here/check-kernel-log.sh" "$log" >&2 || true
	exit 125
fi

if ! bad=$("$here/check-kernel-log.sh" "$log"); then
	echo "vm-run: the kernel log shows a bug (log: $log):" >&2
	echo "$bad" >&2
	[ "$status" -ne 0 ] || status=1
fi
echo "vm-run: exit status $status" >&2
exit "$status"
