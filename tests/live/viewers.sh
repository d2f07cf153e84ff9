#!/bin/bash
# Live tier, tp family: viewers attached to a running recorder (gfntop --connect).
# Several batch viewers at once show exactly the counts of the recorder's own trace;
# hostile clients (malformed messages of every kind, a silent one, 1000 connections
# one after another, 200 at once, a user outside the group) are dropped or refused
# and logged, while the recorder records a workload exactly and its descriptors come
# back to what they were; a viewer stopped (SIGSTOP) for 10 s under load costs the
# recorder nothing (every event in its trace, nothing lost), is told how many events
# it missed, and catches up from the recorder's tables to its exact totals.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
[ -e /sys/kernel/btf/vmlinux ] || { requirement_missing live "kernel has no BTF"; exit 0; }
command -v python3 >/dev/null || { requirement_missing live "no python3"; exit 0; }
[ -x "$GFNTOP" ] && [ -x "$WORKLOADS/kvm_madvise" ] || { not_ok "viewers: binaries built" "run make tests-build"; exit 0; }
HOSTILE="$GFNTOP_ROOT/tests/tools/hostile_viewer.py"

T=$(mktemp -d /tmp/gfntop-view.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
chmod 755 "$T"
S="$T/gfntop.sock"

wait_socket() { for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.1; done; return 1; }
# the per-VM lines of a batch summary (the block after its title line), sorted
summary_vms() { sed -n '/^gfntop \(view of\|replay of\|summary\)/,/^$/p' "$1" | sed '1,2d;/^$/d' | sort; }
# the per-VM x slot x op lines of a batch summary's last block
summary_rows() { sed -n '/^gfntop \(view of\|replay of\|summary\)/,$p' "$1" | awk 'f && NF; /AS  SLOT OP/ { f = 1 }' | sort; }

# ---- the socket's path: a file or a symlink there is refused, a stale socket replaced ----
: >"$T/file.sock"
ln -s "$T/file.sock" "$T/link.sock"
for p in file link; do
	timeout 20 "$GFNTOP" record --dir "$T/dx" --no-trace --socket "$T/$p.sock" -P tp 2>"$T/$p.err"
	check "viewers: a $p at the socket's path is refused (status $?)" \
		sh -c "grep -q 'exists and is not a socket; refusing to replace it' '$T/$p.err'"
done
check "viewers: ... and left as it was" test -f "$T/file.sock" -a -L "$T/link.sock"
python3 -c "import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET).bind(sys.argv[1])" "$S"
check "viewers: (a stale socket, as a crashed recorder leaves)" test -S "$S"

"$GFNTOP" record --dir "$T/d" --socket "$S" -P tp -d 0.2 --max-viewers 16 2>"$T/rec.err" &
rec=$!
for _ in $(seq 100); do grep -qs 'recording (' "$T/rec.err" && break; sleep 0.1; done
wait_socket "$S" || { not_ok "viewers: the recorder serves its socket" "$(cat "$T/rec.err")"; exit 0; }
check "viewers: the socket is mode 0660" test "$(stat -c %a "$S")" = 660
if getent group gfntop >/dev/null; then
	check "viewers: ... group gfntop" test "$(stat -c %G "$S")" = gfntop
fi
sleep 0.3
check "viewers: the stale socket was replaced: a viewer's hello comes back" \
	sh -c "'$GFNTOP' --connect '$S' -b -d 0.1 -n 1 >/dev/null 2>&1"
timeout 20 "$GFNTOP" record --dir "$T/dy" --no-trace --socket "$S" -P tp 2>"$T/second.err"
check "viewers: a second recorder on the same socket is refused (status $?)" \
	grep -q 'another recorder is serving this socket' "$T/second.err"
check "viewers: ... and the first one still serves it" test -S "$S"
fds0=$(ls /proc/$rec/fd | wc -l)

# ---- several viewers at once, the recorder's exact counts ----
for i in 1 2 3; do
	"$GFNTOP" --connect "$S" -b -d 0.3 >"$T/view$i.out" 2>"$T/view$i.err" &
	eval "v$i=\$!"
done
sleep 0.5
"$WORKLOADS/kvm_madvise" -n 2000 -s 16 >"$T/truth1"
pid1=$(sed -n 's/^vm_pid=//p' "$T/truth1")

# ---- meanwhile, hostile clients ----
python3 "$HOSTILE" "$S" garbage >"$T/garbage.out" 2>&1
while read -r line; do
	case $line in ok*) ok "viewers: hostile client: ${line#ok }" ;; *) not_ok "viewers: hostile client: $line" ;; esac
done <"$T/garbage.out"
check "viewers: every hostile case was tried (14)" test "$(wc -l <"$T/garbage.out")" -eq 14
python3 "$HOSTILE" "$S" storm 1000 >"$T/storm.out" 2>&1
check "viewers: $(cat "$T/storm.out")" grep -q '^ok ' "$T/storm.out"
python3 "$HOSTILE" "$S" flood 200 >"$T/flood.out" 2>&1
read -r _ hellos byes other < <(sed 's/[a-z]*=//g' "$T/flood.out")
check "viewers: 200 connections at once: 13 more viewers fit beside the 3 (--max-viewers 16), 187 told so ($(cat "$T/flood.out"))" \
	test "$hellos" -eq 13 -a "$byes" -eq 187 -a "$other" -eq 0
python3 "$HOSTILE" "$S" silent >"$T/silent.out" 2>&1
check "viewers: $(cat "$T/silent.out")" grep -q '^ok ' "$T/silent.out"
setpriv --reuid=65534 --regid=65534 --clear-groups "$GFNTOP" --connect "$S" -b -n 1 >/dev/null 2>"$T/nobody.err"
rc=$?
check "viewers: a user outside the group cannot connect (status $rc: $(cat "$T/nobody.err"))" \
	sh -c "test $rc -eq 1 && grep -q 'Permission denied' '$T/nobody.err'"
chmod 666 "$S"	# past the file mode: the credentials check must refuse it
setpriv --reuid=65534 --regid=65534 --clear-groups "$GFNTOP" --connect "$S" -b -n 1 >/dev/null 2>"$T/nobody2.err"
rc=$?
chmod 660 "$S"
check "viewers: ... nor past the file mode: its credentials are refused (status $rc)" test $rc -eq 1
sleep 0.5
check "viewers: the recorder logged the refused user" grep -q 'viewer pid [0-9]* (uid 65534) refused' "$T/rec.err"
check "viewers: the recorder logged the dropped clients" grep -q 'dropped: ' "$T/rec.err"
check "viewers: the recorder is still running" kill -0 $rec

"$WORKLOADS/kvm_madvise" -n 1000 -s 16 >"$T/truth2"
pid2=$(sed -n 's/^vm_pid=//p' "$T/truth2")
sleep 0.5
fds1=$(ls /proc/$rec/fd | wc -l)
check "viewers: the recorder's descriptors are back to what they were ($fds0 before, $fds1 after, 3 viewers on)" \
	test "$fds1" -eq $((fds0 + 3))
kill -INT $v1
wait $v1
check "viewers: a viewer's exit does not disturb the others or the recorder" kill -0 $v2 $rec
kill -TERM $rec
wait $rec
check "viewers: the recorder exits 0 after all that" test $? -eq 0
for i in 2 3; do
	eval "wait \$v$i"
	check "viewers: viewer $i ends with status 0 when the recorder stops" test $? -eq 0
done
check "viewers: the viewers were told the recorder stopped" grep -q 'the recorder said: the recorder is stopping' "$T/view2.err"

# the recorder's trace is the truth: every range of both workloads once, nothing lost
cat "$T"/d/trace-*.csv >"$T/all.csv"	# rotation off by default (256M): one file
"$GFNTOP" -r "$T/all.csv" >"$T/replay.out" 2>&1
for n in 1 2; do
	p=$(sed -n 's/^vm_pid=//p' "$T/truth$n")
	want=$(grep -c '^madvise ' "$T/truth$n")
	got=$(csv_columns "$T/all.csv" op vm_pid | awk -v p="$p" '$1 == "tp_unmap_hva" && $2 == p' | wc -l)
	check "viewers: the recorder recorded workload $n's $want ranges ($got rows) through all that" test "$got" -ge "$want"
done
check "viewers: nothing lost" test "$(csv_columns "$T/all.csv" op | grep -c '^lost$')" -eq 0
summary_vms "$T/replay.out" >"$T/want.vms"
summary_rows "$T/replay.out" >"$T/want.rows"
for i in 2 3; do
	summary_vms "$T/view$i.out" >"$T/got$i.vms"
	summary_rows "$T/view$i.out" >"$T/got$i.rows"
	check "viewers: viewer $i's summary shows the trace's per-VM counts exactly ($(wc -l <"$T/want.vms") VMs)" \
		cmp -s "$T/want.vms" "$T/got$i.vms"
	check "viewers: ... and its per-slot rows ($(wc -l <"$T/want.rows") rows)" cmp -s "$T/want.rows" "$T/got$i.rows"
	check "viewers: viewer $i's total events are the trace's" test \
		"$(sed -n 's/^gfntop view of.*: \([0-9]*\) events.*/\1/p' "$T/view$i.out")" = \
		"$(sed -n 's/^gfntop replay of.*: \([0-9]*\) events.*/\1/p' "$T/replay.out")"
done
grep -q "^ *$pid1 kvm_madvise" "$T/view2.out"
check "viewers: the batch intervals show the workload's VM" test $? -eq 0

# ---- a viewer stopped for 10 s under load ----
rm -rf "$T/d2"
"$GFNTOP" record --dir "$T/d2" --socket "$S" -P tp -d 0.2 --viewer-backlog 256 2>"$T/rec2.err" &
rec=$!
wait_socket "$S" || { not_ok "viewers: second recorder started"; exit 0; }
"$GFNTOP" --connect "$S" -b -d 0.5 >"$T/slow.out" 2>"$T/slow.err" &
slow=$!
sleep 0.5
kill -STOP $slow
end=$((SECONDS + 10))
runs=0
while [ $SECONDS -lt $end ]; do
	runs=$((runs + 1))
	"$WORKLOADS/kvm_madvise" -n 3000 -s 16 >"$T/load$runs"
	sleep 0.2
done
kill -CONT $slow
sleep 2
kill -TERM $rec
wait $rec
check "viewers: the recorder exits 0" test $? -eq 0
wait $slow
check "viewers: the stopped viewer exits 0 when the recorder stops" test $? -eq 0
cat "$T"/d2/trace-*.csv >"$T/all2.csv"
short=0
for n in $(seq "$runs"); do
	p=$(sed -n 's/^vm_pid=//p' "$T/load$n")
	ranges_want=$(grep '^madvise ' "$T/load$n" | sed 's/.*hva_start=\([^ ]*\) hva_end=\([^ ]*\).*/\1 \2/' | sort)
	ranges_got=$(csv_columns "$T/all2.csv" op vm_pid hva_start hva_end | awk -v p="$p" '$1 == "tp_unmap_hva" && $2 == p { print $3, $4 }' | sort)
	[ "$(comm -12 <(echo "$ranges_want") <(echo "$ranges_got") | wc -l)" -eq 3000 ] || short=$((short + 1))
done
check "viewers: with a viewer stopped, the recorder recorded all $runs workload runs' ranges exactly ($short short)" test $short -eq 0
check "viewers: ... and lost nothing" test "$(csv_columns "$T/all2.csv" op | grep -c '^lost$')" -eq 0
missed=$(sed -n 's/.*missed \([0-9]*\) events (\([0-9]*\) in all).*/\2/p' "$T/slow.err" | tail -1)
check "viewers: the stopped viewer was told how many events it missed (${missed:-none})" test "${missed:-0}" -gt 0
check "viewers: the recorder logged what it missed" grep -q "left ([0-9]* events sent, [1-9][0-9]* missed)" "$T/rec2.err"
"$GFNTOP" -r "$T/all2.csv" >"$T/replay2.out" 2>&1
summary_vms "$T/replay2.out" >"$T/want2.vms"
summary_vms "$T/slow.out" >"$T/got2.vms"
check "viewers: after catching up from the recorder's tables its per-VM counts are the trace's exactly ($(wc -l <"$T/want2.vms") VMs)" \
	cmp -s "$T/want2.vms" "$T/got2.vms"
check "viewers: ... and its total" test \
	"$(sed -n 's/^gfntop view of.*: \([0-9]*\) events.*/\1/p' "$T/slow.out")" = \
	"$(sed -n 's/^gfntop replay of.*: \([0-9]*\) events.*/\1/p' "$T/replay2.out")"
exit 0
