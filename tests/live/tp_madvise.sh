#!/bin/bash
# Live tier, tp family, on this machine's kernel: a KVM workload madvises N known
# ranges; gfntop must record exactly one tp_unmap_hva row per range, with the exact
# hva range and the workload's pid, lose nothing, and a replay of the trace by an
# unprivileged user must give the same per-VM counts. Also: -p filters in the kernel,
# -e records only failures.
. "$(dirname "$0")/../lib.sh"

N=${GFNTOP_LIVE_N:-300}

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
[ -e /sys/kernel/btf/vmlinux ] || { requirement_missing live "kernel has no BTF"; exit 0; }
[ -x "$GFNTOP" ] && [ -x "$WORKLOADS/kvm_madvise" ] || { not_ok "live: binaries built" "run make tests-build"; exit 0; }

# the classic-tracepoint fallback reads event ids from tracefs
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null

T=$(mktemp -d /tmp/gfntop-live.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

# The workload waits 4 s before its madvise loop, so gfntop can be started with its pid
# (five instances attaching at once on a loaded 2-CPU machine took over 2 s).
"$WORKLOADS/kvm_madvise" -n "$N" -w 4 >"$T/truth" 2>"$T/wl.err" &
wl=$!
other_pid=1	# init: never a VMM here
"$GFNTOP" -b -d 0.5 -P tp -w "$T/all.csv" >"$T/all.out" 2>"$T/all.err" &
g_all=$!
"$GFNTOP" -b -d 0.5 -P tp -p "$wl" -w "$T/mine.csv" >"$T/mine.out" 2>"$T/mine.err" &
g_mine=$!
"$GFNTOP" -b -d 0.5 -P tp -p "$other_pid" -w "$T/other.csv" >/dev/null 2>"$T/other.err" &
g_other=$!
"$GFNTOP" -b -d 0.5 -P tp -e -w "$T/errors.csv" >/dev/null 2>"$T/errors.err" &
g_err=$!
GFNTOP_METHODS=tracepoint "$GFNTOP" -b -d 0.5 -P tp -w "$T/classic.csv" >/dev/null 2>"$T/classic.err" &
g_classic=$!
for f in all mine other errors classic; do
	wait_for_header "$T/$f.csv" || { not_ok "live: gfntop ($f) started recording" "$(cat "$T/$f.err")"; exit 0; }
done
ok "live: five gfntop instances attached and wrote their headers"

wait $wl
check "live: workload ran" grep -q "^done madvise=$N\$" "$T/truth"
sleep 0.3	# one poll period: the ring buffer is drained at exit anyway
kill -INT $g_all $g_mine $g_other $g_err $g_classic
for p in $g_all $g_mine $g_other $g_err $g_classic; do
	wait $p || not_ok "live: gfntop pid $p exited with status $?"
done

vm_pid=$(sed -n 's/^vm_pid=//p' "$T/truth")
grep '^madvise ' "$T/truth" | sed 's/.*hva_start=\([^ ]*\) hva_end=\([^ ]*\).*/\1 \2/' | sort >"$T/want"
check "live: workload printed $N ranges" test "$(wc -l <"$T/want")" -eq "$N"

check "live: header is schema v1" test "$(head -1 "$T/all.csv")" = \
	"ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
check "live: every row has 24 fields" test "$(awk -F, 'NF != 24' "$T/all.csv" | wc -l)" -eq 0
check "live: trace ends with a complete row" test "$(tail -c1 "$T/all.csv" | od -An -c | tr -d ' ')" = '\n'

# Rows for the workload's VM, by (op, vm_pid); the ranges it madvised must each appear once.
csv_columns "$T/all.csv" op vm_pid hva_start hva_end | awk -v p="$vm_pid" '$1 == "tp_unmap_hva" && $2 == p { print $3, $4 }' | sort >"$T/got_all"
matched=$(join -j1 <(awk '{print $1"-"$2}' "$T/want" | sort) <(awk '{print $1"-"$2}' "$T/got_all" | sort) | wc -l)
dups=$(sort "$T/got_all" | uniq -d | wc -l)
check "live: each of the $N madvised ranges recorded exactly once ($matched matched, $dups duplicated)" \
	test "$matched" -eq "$N" -a "$dups" -eq 0
# The classic-tracepoint fallback sees exactly the same ranges.
csv_columns "$T/classic.csv" op vm_pid hva_start hva_end | awk -v p="$vm_pid" '$1 == "tp_unmap_hva" && $2 == p { print $3, $4 }' | sort >"$T/got_classic"
check "live: classic tracepoints (GFNTOP_METHODS=tracepoint) record the same rows" cmp -s "$T/got_all" "$T/got_classic"
# Nothing else may touch the slots: any other row of this VM must lie outside slot memory.
awk '/^slot /{ for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } print f["hva"], f["npages"] }' "$T/truth" >"$T/slots"
inside=0
while read -r a _; do
	while read -r base npages; do
		[ $((a)) -ge $((base)) ] && [ $((a)) -lt $((base + npages * 4096)) ] && inside=$((inside + 1))
	done <"$T/slots"
done <"$T/got_all"
check "live: no other invalidation inside the slots ($inside rows there, $N expected)" test "$inside" -eq "$N"
check "live: nothing lost" test "$(csv_columns "$T/all.csv" op | grep -c '^lost$')" -eq 0

# -p in the kernel: only the workload's rows; another pid: none of them.
check "live: -p PID records only that VMM" test "$(csv_columns "$T/mine.csv" vm_pid | sort -u)" = "$vm_pid"
check "live: -p PID records all its ranges" test "$(csv_columns "$T/mine.csv" op | grep -c '^tp_unmap_hva$')" -ge "$N"
check "live: -p OTHER records none of them" test "$(csv_columns "$T/other.csv" vm_pid | grep -c "^$vm_pid\$")" -eq 0
# -e: tracepoints carry no return value, so nothing of this run is a failure.
check "live: -e records only failures (none here)" test "$(wc -l <"$T/errors.csv")" -eq 1

# Batch summary of the live run vs replay of its trace by an unprivileged user.
vm_line() { awk -v p="$vm_pid" '$1 == p && NF >= 8 { print; exit }' "$1"; }
live_line=$(sed -n '/^gfntop summary/,$p' "$T/all.out" | vm_line /dev/stdin)
check "live: batch summary shows the VM with its count" test -n "$live_line"
cp "$T/all.csv" "$T/replay.csv" && chmod 755 "$T" && chmod 644 "$T/replay.csv"
setpriv --reuid=65534 --regid=65534 --clear-groups "$GFNTOP" -r "$T/replay.csv" >"$T/replay.out" 2>"$T/replay.err"
rc=$?
check "live: replay as uid 65534 succeeds (status $rc)" test $rc -eq 0
replay_line=$(vm_line "$T/replay.out")
check "live: replay gives the same per-VM counts" test "$replay_line" = "$live_line"
[ "$replay_line" = "$live_line" ] || { echo "#   live:   $live_line"; echo "#   replay: $replay_line"; }
exit 0
