#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-against-monitor.sh [ITERATIONS] [SEED]
#
# Needs the module loaded (run it in the VM: run-test.sh). Starts
# regcache-demo, attaches ummunotify-watch to its file before it works,
# and checks that what the monitor recorded agrees with what the cache
# logged: the same registrations and unregistrations in the same order,
# as many INVAL events read as the READ records counted, the same LAST
# counters, every invalidated cookie hit first, no record dropped, and the
# stream ended by CLOSE. Prints TAP.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(cd "$here/../.." && pwd)/build/examples/regcache
iterations=${1:-3000}
seed=${2:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

coproc DEMO { "$bin/regcache-demo" --wait --iterations "$iterations" --seed "$seed" --log "$work/cache.log"; }
read -r word pid fd <&"${DEMO[0]}"
[ "$word" = ready ] || { echo "Bail out! regcache-demo did not start"; exit 1; }
"$bin/ummunotify-watch" "$pid" "$fd" --ring 1048576 >"$work/monitor.txt" 2>"$work/watch.err" &
watcher=$!
# The snapshot line says the monitor is attached.
for _ in $(seq 100); do [ -s "$work/monitor.txt" ] && break; sleep 0.1; done
echo go >&"${DEMO[1]}"
read -r word <&"${DEMO[0]}"
ok "$([ "$word" = done ]; echo $?)" "regcache-demo ran $iterations iterations (seed $seed)"
echo bye >&"${DEMO[1]}"
wait "$DEMO_PID" 2>/dev/null
wait "$watcher"
ok $? "ummunotify-watch attached by pid and fd and ran until the end"; cat "$work/watch.err"

log=$work/cache.log
mon=$work/monitor.txt
grep -q '^snapshot seq 0 registrations 0 queued 0 counter 0$' "$mon"
ok $? "the monitor attached before the cache registered anything"
awk '$1 == "register" { print "R", $2, $3, $4 } $1 == "unregister" { print "U", $2 }' "$log" >"$work/cache-regs"
awk '$3 == "REGISTER" { sub("start=", "", $5); sub("end=", "", $6); sub("cookie=", "", $7); print "R", $7, $5, $6 }
     $3 == "UNREGISTER" { sub("cookie=", "", $7); print "U", $7 }' "$mon" >"$work/monitor-regs"
diff -u "$work/cache-regs" "$work/monitor-regs" >"$work/regs.diff"
ok $? "registrations and unregistrations: the monitor saw exactly what the cache did, in order ($(wc -l <"$work/cache-regs") calls)"
[ "$(wc -l <"$work/cache-regs")" -gt 100 ] && grep -q '^unregister [0-9]* invalidated' "$log"
ok $? "the workload registered, reused and evicted invalidated registrations"
cache_invals=$(grep -c '^inval ' "$log")
monitor_invals=$(awk '$3 == "READ" { sub("aux=", "", $9); total += $9 } END { print total + 0 }' "$mon")
[ "$cache_invals" -eq "$monitor_invals" ] && [ "$cache_invals" -gt 0 ]
ok $? "INVAL events the cache read ($cache_invals) = those the READ records counted ($monitor_invals)"
awk '$1 == "last" { print $2 }' "$log" >"$work/cache-lasts"
awk '$3 == "READ" && $4 == "flags=0x1" { sub("counter=", "", $8); print $8 }' "$mon" >"$work/monitor-lasts"
diff -q "$work/cache-lasts" "$work/monitor-lasts" >/dev/null && [ -s "$work/cache-lasts" ]
ok $? "the counter of every LAST the cache read is the one its READ record carries"
missing=$(awk 'NR == FNR { if ($3 == "HIT") { sub("cookie=", "", $7); hit[$7] = 1 } next }
	$1 == "inval" && !($2 in hit) { n++ } END { print n + 0 }' "$mon" "$log")
ok "$([ "$missing" -eq 0 ]; echo $?)" "every cookie the cache got INVAL for was HIT first ($missing missing)"
gaps=$(awk 'NR > 1 { if ($1 != prev + 1) g++; prev = $1 } END { print g + 0 }' "$mon")
ok "$([ "$gaps" -eq 0 ]; echo $?)" "no record dropped: seq runs 1, 2, 3... ($gaps gaps)"
tail -1 "$mon" | grep -q ' CLOSE flags=0 '
ok $? "the stream ends with CLOSE when the cache closes its file"
echo "# cache: $(grep '^close ' "$log")"
echo "1..$n"
[ "$failed" -eq 0 ] || { echo "# cache log and monitor output kept in build/examples/regcache/last-run"; mkdir -p "$bin/last-run" 2>/dev/null && cp "$log" "$mon" "$bin/last-run/" 2>/dev/null; }
exit "$failed"
