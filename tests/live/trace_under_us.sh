#!/bin/bash
# What others do to a trace while it is recorded, with the KVM workload:
#  - logrotate's copytruncate (copy, then truncate in place, no signal): the file
#    goes on as a valid trace, a header again and then the rows (no NUL bytes)
#  - deleted: said once, a new file with a header takes its name, the recording
#    goes on, and the run ends with status 1 (the rows of the deleted file are gone)
#  - replaced by another instance's --force: said, the run stops with status 1,
#    and the other instance's file is left alone
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-under.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

rows_of() { csv_columns "$1" vm_pid | grep -c "^$2\$"; }
vm_pid() { sed -n 's/^vm_pid=//p' "$1"; }
valid() { "$GFNTOP" -r "$1" >/dev/null 2>"$T/replay.err"; }

# ---- copytruncate ----
"$GFNTOP" -b -d 0.2 -P tp -w "$T/ct.csv" >/dev/null 2>"$T/err" &
g=$!
wait_for_header "$T/ct.csv" || { not_ok "copytruncate: recording started"; exit 0; }
"$WORKLOADS/kvm_madvise" -n 300 >"$T/truth1"
sleep 0.5
cp "$T/ct.csv" "$T/ct.csv.1" && truncate -s 0 "$T/ct.csv"	# logrotate copytruncate
"$WORKLOADS/kvm_madvise" -n 200 >"$T/truth2"
sleep 0.5
kill -INT $g
wait $g
rc=$?
check "copytruncate: exits 0 (status $rc)" test $rc -eq 0
check "copytruncate: the truncated file holds no NUL byte" test "$(tr -cd '\000' <"$T/ct.csv" | wc -c)" -eq 0
check "copytruncate: ... starts with the header again" test "$(head -1 "$T/ct.csv" | cut -d, -f1)" = ts_ns
check "copytruncate: ... and replays" valid "$T/ct.csv"
check "copytruncate: the copy holds the first workload's 300 ranges" test "$(rows_of "$T/ct.csv.1" "$(vm_pid "$T/truth1")")" -ge 300
check "copytruncate: the file goes on with the second's 200" test "$(rows_of "$T/ct.csv" "$(vm_pid "$T/truth2")")" -ge 200

# ---- deleted ----
"$GFNTOP" -b -d 0.2 -P tp -w "$T/del.csv" >/dev/null 2>"$T/err" &
g=$!
wait_for_header "$T/del.csv" || not_ok "deleted: recording started"
"$WORKLOADS/kvm_madvise" -n 100 >"$T/truth1"
sleep 0.4
rm "$T/del.csv"
wait_for_header "$T/del.csv" || not_ok "deleted: a new file with a header took its name" "$(cat "$T/err")"
"$WORKLOADS/kvm_madvise" -n 150 >"$T/truth2"
sleep 0.4
check "deleted: the recording goes on" kill -0 $g
kill -INT $g
wait $g
rc=$?
check "deleted: the run ends with status 1 (status $rc)" test $rc -eq 1
check "deleted: said, once" test "$(grep -c "del.csv: the trace was deleted while being written (the rows it held are gone); recording goes on in a new file of that name" "$T/err")" -eq 1
check "deleted: the new file holds the second workload's 150 ranges and replays" \
	test "$(rows_of "$T/del.csv" "$(vm_pid "$T/truth2")")" -ge 150 -a "$(grep -c '^ts_ns,' "$T/del.csv")" -eq 1
check "deleted: ... and replays" valid "$T/del.csv"

# ---- replaced by a second instance with --force ----
"$GFNTOP" -b -d 0.2 -P tp -w "$T/rep.csv" >/dev/null 2>"$T/err" &
g=$!
wait_for_header "$T/rep.csv" || not_ok "replaced: recording started"
"$WORKLOADS/kvm_madvise" -n 100 >"$T/truth1"
sleep 0.3
"$GFNTOP" -b -d 0.2 -P tp -w "$T/rep.csv" --force >/dev/null 2>"$T/err2" &
g2=$!
wait_exit $g 5
rc=$?
check "replaced: the first instance stops with status 1 (status $rc)" test $rc -eq 1
check "replaced: ... saying so" grep -q "rep.csv: the trace was deleted while being written and another file now has its name; recording stopped" "$T/err"
"$WORKLOADS/kvm_madvise" -n 80 >"$T/truth2"
sleep 0.4
kill -INT $g2
wait $g2
rc=$?
check "replaced: the second instance's file is its own and complete (status $rc)" \
	test $rc -eq 0 -a "$(rows_of "$T/rep.csv" "$(vm_pid "$T/truth2")")" -ge 80 -a "$(grep -c '^ts_ns,' "$T/rep.csv")" -eq 1
check "replaced: ... and replays" valid "$T/rep.csv"
exit 0
