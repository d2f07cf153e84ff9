#!/bin/bash
# SIGHUP and the trace file (logrotate), with the KVM workload:
#  - rotated (renamed away, then SIGHUP): rows before the signal stay in the rotated
#    file, rows after go to a new file with its own header; both are complete traces
#  - not rotated (a stray SIGHUP, a terminal's hang-up), with or without --force: the
#    same file goes on, nothing lost, the run does not stop
#  - logrotate's "create" (an empty file in place): taken over
#  - another file in place: refused, the run stops with status 1, and every row
#    (also those of the final drain) is in the file that had the name
# SIGTERM flushes and closes: the last row is complete.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-hup.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

ends_complete() { test "$(tail -c1 "$1" | od -An -c | tr -d ' ')" = '\n' && "$GFNTOP" -r "$1" >/dev/null; }
rows_of() { csv_columns "$1" vm_pid | grep -c "^$2\$"; }

# ---- rotated: mv, then SIGHUP ----
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
check "hup: the rotated file holds the first workload's 100 ranges" test "$(rows_of "$T/trace.csv.1" "$pid1")" -ge 100
check "hup: the rotated file holds nothing of the second" test "$(rows_of "$T/trace.csv.1" "$pid2")" -eq 0
check "hup: the new file starts with the header" test "$(head -1 "$T/trace.csv" | cut -d, -f1)" = ts_ns
check "hup: the new file holds the second workload's 50 ranges" test "$(rows_of "$T/trace.csv" "$pid2")" -ge 50
for f in trace.csv.1 trace.csv; do
	check "hup: $f ends with a complete row and replays" ends_complete "$T/$f"
done
check "hup: the new file is mode 0600" test "$(stat -c %a "$T/trace.csv")" = 600

# ---- not rotated: the path still names the file being written ----
for force in "" "--force"; do
	what="hup${force:+ $force}: no rotation"
	rm -f "$T/same.csv"
	"$GFNTOP" -b -d 0.2 -P tp -w "$T/same.csv" $force >"$T/out" 2>"$T/err" &
	g=$!
	wait_for_header "$T/same.csv" || { not_ok "$what: recording started" "$(cat "$T/err")"; continue; }
	"$WORKLOADS/kvm_madvise" -n 300 >"$T/truth1"
	sleep 0.4
	kill -HUP $g
	sleep 0.3
	check "$what: a SIGHUP does not end the recording" kill -0 $g
	"$WORKLOADS/kvm_madvise" -n 200 >"$T/truth2"
	sleep 0.4
	kill -INT $g
	wait $g
	rc=$?
	pid1=$(sed -n 's/^vm_pid=//p' "$T/truth1")
	pid2=$(sed -n 's/^vm_pid=//p' "$T/truth2")
	n1=$(rows_of "$T/same.csv" "$pid1")
	n2=$(rows_of "$T/same.csv" "$pid2")
	check "$what: exits 0 (status $rc)" test $rc -eq 0
	check "$what: one header, then the rows from before the signal ($n1) and after it ($n2)" \
		test "$(grep -c '^ts_ns,' "$T/same.csv")" -eq 1 -a "$n1" -ge 300 -a "$n2" -ge 200
	rows=$(($(wc -l <"$T/same.csv") - 1))
	check "$what: the summary's event count is what the file holds ($rows rows)" \
		grep -q "^gfntop summary: $rows events, 0 lost" "$T/out"
	check "$what: the file ends with a complete row and replays" ends_complete "$T/same.csv"
done

# ---- logrotate's create: an empty file in place is taken over ----
rm -f "$T"/c.csv*
"$GFNTOP" -b -d 0.2 -P tp -w "$T/c.csv" >/dev/null 2>"$T/err" &
g=$!
wait_for_header "$T/c.csv" || not_ok "hup create: recording started"
mv "$T/c.csv" "$T/c.csv.1"
: >"$T/c.csv"
kill -HUP $g
wait_for_header "$T/c.csv" || not_ok "hup create: the empty file in place was taken over" "$(cat "$T/err")"
"$WORKLOADS/kvm_madvise" -n 50 >"$T/truth2"
sleep 0.4
kill -TERM $g
wait $g
rc=$?
pid2=$(sed -n 's/^vm_pid=//p' "$T/truth2")
check "hup create: exits 0 (status $rc) and the new file holds the workload's rows" \
	test $rc -eq 0 -a "$(rows_of "$T/c.csv" "$pid2")" -ge 50

# ---- another file in place: refused; the run stops, nothing is lost ----
rm -f "$T"/r.csv*
"$GFNTOP" -b -d 0.2 -P tp -w "$T/r.csv" >"$T/out" 2>"$T/err" &
g=$!
wait_for_header "$T/r.csv" || not_ok "hup refused: recording started"
"$WORKLOADS/kvm_madvise" -n 200 >"$T/truth1"
sleep 0.4
mv "$T/r.csv" "$T/r.csv.1"
echo "somebody else's" >"$T/r.csv"
kill -HUP $g
wait_exit $g 5
rc=$?
pid1=$(sed -n 's/^vm_pid=//p' "$T/truth1")
check "hup refused: the run stops with status 1 (status $rc)" test $rc -eq 1
check "hup refused: ... saying why and where the rows are" \
	grep -q "r.csv: file exists; use --force to replace it (reopening after SIGHUP; the rows so far are in the file that had the name)" "$T/err"
check "hup refused: the other file is untouched" test "$(cat "$T/r.csv")" = "somebody else's"
rows=$(($(wc -l <"$T/r.csv.1") - 1))
check "hup refused: the old file holds the workload's rows and is complete" \
	test "$(rows_of "$T/r.csv.1" "$pid1")" -ge 200 -a "$(tail -c1 "$T/r.csv.1" | od -An -c | tr -d ' ')" = '\n'
check "hup refused: ... all the summary counted ($rows rows)" grep -q "^gfntop summary: $rows events, 0 lost" "$T/out"
exit 0
