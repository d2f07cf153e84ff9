#!/bin/bash
# Each trace file accounts for its own loss. A gfntop with a tiny ring buffer loses
# events of a burst; the trace is rotated (mv + SIGHUP) after the burst but before
# an interval has written the loss: the op=lost rows must land in the rotated file,
# whose rows plus loss then equal the burst exactly (a second gfntop with the default
# buffer counts it). A second burst goes to the new file, which accounts for its own.
# Then the same with a reopen that is refused: the loss is in the old file, and the
# summary's loss is what the trace says.
# Both recorders filter in the kernel on the workloads' pids (-p), so other tests'
# VMs on this machine change nothing.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-rotloss.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

lost_in() { csv_columns "$1" op ret | awk '$1 == "lost" { n += $2 } END { print n + 0 }'; }
rows_in() { csv_columns "$1" op | grep -vc '^lost$'; }

# burst: two VMs at once (one per CPU), each waiting W seconds before its 20000 madvises;
# their pids are added to $pids
pids=""
burst() {	# burst NAME WAIT
	"$WORKLOADS/kvm_madvise" -n 20000 -p 1 -w "$2" >"$T/$1.a" &
	pids="$pids${pids:+,}$!"
	"$WORKLOADS/kvm_madvise" -n 20000 -p 1 -w "$2" >"$T/$1.b" &
	pids="$pids,$!"
}

# ---- rotated between the bursts ----
started=$SECONDS
burst one 4
burst two 11
"$GFNTOP" -b -d 30 -P tp -p "$pids" --ringbuf-size 4096 -w "$T/tiny.csv" >"$T/tiny.out" 2>"$T/tiny.err" &
g_tiny=$!
"$GFNTOP" -b -d 1 -P tp -p "$pids" -w "$T/ref.csv" >/dev/null 2>"$T/ref.err" &
g_ref=$!
wait_for_header "$T/tiny.csv" && wait_for_header "$T/ref.csv" || { not_ok "rotloss: both recorders started"; exit 0; }
[ $((SECONDS - started)) -lt 4 ] || { not_ok "rotloss: the recorders attached before the burst began (machine too slow)"; exit 0; }
while [ "$(grep -l '^done' "$T/one.a" "$T/one.b" 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.1; done
sleep 0.5
grep -q '^done' "$T/two.a" && { not_ok "rotloss: the second burst waited for the rotation"; exit 0; }
mv "$T/tiny.csv" "$T/tiny.csv.1"
kill -HUP $g_tiny
wait_for_header "$T/tiny.csv" || { not_ok "rotloss: a new file after SIGHUP" "$(cat "$T/tiny.err")"; exit 0; }
while [ "$(grep -l '^done' "$T/two.a" "$T/two.b" 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.1; done
sleep 0.5
kill -INT $g_tiny $g_ref
wait $g_tiny; rc_tiny=$?
wait $g_ref; rc_ref=$?
check "rotloss: both exit 0 ($rc_tiny, $rc_ref)" test $rc_tiny -eq 0 -a $rc_ref -eq 0

p1a=$(sed -n 's/^vm_pid=//p' "$T/one.a"); p1b=$(sed -n 's/^vm_pid=//p' "$T/one.b")
ref1=$(csv_columns "$T/ref.csv" vm_pid | grep -Ec "^($p1a|$p1b)\$")
ref2=$(($(rows_in "$T/ref.csv") - ref1))
rows1=$(rows_in "$T/tiny.csv.1"); lost1=$(lost_in "$T/tiny.csv.1")
rows2=$(rows_in "$T/tiny.csv"); lost2=$(lost_in "$T/tiny.csv")
check "rotloss: the reference lost nothing ($(lost_in "$T/ref.csv"))" test "$(lost_in "$T/ref.csv")" -eq 0
check "rotloss: the tiny buffer lost events of the first burst ($lost1)" test "$lost1" -gt 0
check "rotloss: the rotated file accounts for the first burst exactly ($rows1 + $lost1 = $ref1)" \
	test $((rows1 + lost1)) -eq "$ref1"
check "rotloss: the new file accounts for the second exactly ($rows2 + $lost2 = $ref2)" \
	test $((rows2 + lost2)) -eq "$ref2"
check "rotloss: the summary's loss is the files' ($((lost1 + lost2)))" \
	grep -q "^gfntop summary: $((rows1 + rows2)) events, $((lost1 + lost2)) lost" "$T/tiny.out"

# ---- a refused reopen ends the run: the loss is still written, to the old file ----
pids=""
started=$SECONDS
burst three 4
rm -f "$T"/tiny.csv* "$T/ref.csv"
"$GFNTOP" -b -d 30 -P tp -p "$pids" --ringbuf-size 4096 -w "$T/tiny.csv" >"$T/tiny.out" 2>"$T/tiny.err" &
g_tiny=$!
"$GFNTOP" -b -d 1 -P tp -p "$pids" -w "$T/ref.csv" >/dev/null 2>"$T/ref.err" &
g_ref=$!
wait_for_header "$T/tiny.csv" && wait_for_header "$T/ref.csv" || { not_ok "rotloss refused: both recorders started"; exit 0; }
[ $((SECONDS - started)) -lt 4 ] || { not_ok "rotloss refused: the recorders attached before the burst began (machine too slow)"; exit 0; }
while [ "$(grep -l '^done' "$T/three.a" "$T/three.b" 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.1; done
sleep 0.5
mv "$T/tiny.csv" "$T/tiny.csv.1"
echo "not gfntop's" >"$T/tiny.csv"
kill -HUP $g_tiny
wait_exit $g_tiny 5; rc_tiny=$?
kill -INT $g_ref; wait $g_ref
rows1=$(rows_in "$T/tiny.csv.1"); lost1=$(lost_in "$T/tiny.csv.1"); ref=$(rows_in "$T/ref.csv")
check "rotloss refused: the run stops with status 1 ($rc_tiny)" test $rc_tiny -eq 1
check "rotloss refused: events were lost ($lost1)" test "$lost1" -gt 0
check "rotloss refused: the old file accounts for the burst exactly ($rows1 + $lost1 = $ref)" \
	test $((rows1 + lost1)) -eq "$ref"
check "rotloss refused: the summary's loss is the trace's" \
	grep -q "^gfntop summary: $rows1 events, $lost1 lost" "$T/tiny.out"
exit 0
