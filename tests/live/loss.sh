#!/bin/bash
# Loss is never silent, and exact: a gfntop with a deliberately tiny ring buffer and
# one with the default buffer record the same burst of KVM tracepoint events (only
# the workload's VM fires them). The tiny one's recorded rows plus its op=lost count
# must equal what the default one recorded, which must have lost nothing.
# Also: once attached, gfntop runs with no capabilities left.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-loss.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

"$GFNTOP" -b -d 1 -P tp -w "$T/big.csv" >/dev/null 2>"$T/big.err" &
g_big=$!
"$GFNTOP" -b -d 5 -P tp --ringbuf-size 4096 -w "$T/tiny.csv" >/dev/null 2>"$T/tiny.err" &
g_tiny=$!
wait_for_header "$T/big.csv" && wait_for_header "$T/tiny.csv" || { not_ok "loss: both recorders started"; exit 0; }

caps=$(awk '/^CapEff:/ { print $2 }' /proc/$g_big/status)
check "loss: once attached, gfntop holds no capabilities (CapEff $caps)" test "$caps" = 0000000000000000
check "loss: ... and cannot regain them (NoNewPrivs)" grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$g_big/status

# two VMs at once, one per CPU: more than a 4 KiB buffer's consumer can keep up with
"$WORKLOADS/kvm_madvise" -n 20000 -p 1 >/dev/null &
w1=$!
"$WORKLOADS/kvm_madvise" -n 20000 -p 1 >/dev/null
wait $w1
sleep 0.3
kill -INT $g_big $g_tiny
wait $g_big; rc_big=$?
wait $g_tiny; rc_tiny=$?
check "loss: both exit 0 ($rc_big, $rc_tiny)" test $rc_big -eq 0 -a $rc_tiny -eq 0

# every row counts: the loss counter covers all of gfntop's events, not one operation
big=$(csv_columns "$T/big.csv" op | grep -vc '^lost$')
big_lost=$(csv_columns "$T/big.csv" op ret | awk '$1 == "lost" { n += $2 } END { print n + 0 }')
tiny=$(csv_columns "$T/tiny.csv" op | grep -vc '^lost$')
tiny_lost=$(csv_columns "$T/tiny.csv" op ret | awk '$1 == "lost" { n += $2 } END { print n + 0 }')
check "loss: the default buffer lost nothing ($big rows)" test "$big_lost" -eq 0 -a "$big" -ge 40000
check "loss: the tiny buffer lost some ($tiny_lost)" test "$tiny_lost" -gt 0
check "loss: recorded + lost = generated exactly ($tiny + $tiny_lost = $big)" test $((tiny + tiny_lost)) -eq "$big"
exit 0
