#!/bin/bash
# SIGHUP reopens the trace (logrotate): rows before the signal stay in the rotated
# file, rows after go to a new file with its own header; both are complete traces.
# SIGTERM flushes and closes: the last row is complete.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-hup.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

"$GFNTOP" -b -d 0.2 -P tp -w "$T/trace.csv" >/dev/null 2>"$T/err" &
g=$!
wait_for_header "$T/trace.csv" || { not_ok "hup: recording started"; exit 0; }
"$WORKLOADS/kvm_madvise" -n 100 >"$T/truth1"
sleep 0.4
mv "$T/trace.csv" "$T/trace.csv.1"	# what logrotate does, then it signals
kill -HUP $g
wait_for_header "$T/trace.csv" || not_ok "hup: a new trace file was created after SIGHUP" "$(cat "$T/err")"
"$WORKLOADS/kvm_madvise" -n 50 >"$T/truth2"
sleep 0.4
kill -TERM $g
wait $g
rc=$?
check "hup: exits 0 after SIGTERM (status $rc)" test $rc -eq 0
pid1=$(sed -n 's/^vm_pid=//p' "$T/truth1")
pid2=$(sed -n 's/^vm_pid=//p' "$T/truth2")
check "hup: the rotated file holds the first workload's 100 ranges" \
	test "$(csv_columns "$T/trace.csv.1" vm_pid | grep -c "^$pid1\$")" -ge 100
check "hup: the rotated file holds nothing of the second" test "$(csv_columns "$T/trace.csv.1" vm_pid | grep -c "^$pid2\$")" -eq 0
check "hup: the new file starts with the header" test "$(head -1 "$T/trace.csv" | cut -d, -f1)" = ts_ns
check "hup: the new file holds the second workload's 50 ranges" \
	test "$(csv_columns "$T/trace.csv" vm_pid | grep -c "^$pid2\$")" -ge 50
for f in trace.csv.1 trace.csv; do
	check "hup: $f ends with a complete row and replays" \
		sh -c "test \"\$(tail -c1 '$T/$f' | od -An -c | tr -d ' ')\" = '\\n' && '$GFNTOP' -r '$T/$f' >/dev/null"
done
check "hup: the new file is mode 0600" test "$(stat -c %a "$T/trace.csv")" = 600
exit 0
