#!/bin/bash
# A write that fails (disk full) keeps every complete row that reached the disk and
# no part of one, reports the error and exits 1 — a live recording; a re-export
# (-r -w) is complete or absent instead, and says so. Needs root to mount a tiny tmpfs.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root (a tiny tmpfs is mounted)"; exit 0; }
T=$(mktemp -d /tmp/gfntop-full.XXXXXX)
mkdir "$T/small"
trap 'kill $(jobs -p) 2>/dev/null; umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
mount -t tmpfs -o size=256k,mode=0700 tmpfs "$T/small" || { not_ok "full: mount a 256 KiB tmpfs"; exit 0; }
CAP=262144

# a trace much larger than 256 KiB: the committed sample, repeated
S="$GFNTOP_ROOT/tests/data/sample-mmu.csv"
{ cat "$S"; for _ in 1 2 3 4; do tail -n +2 "$S"; done; } >"$T/big.csv"

"$GFNTOP" -r "$T/big.csv" -w "$T/small/out.csv" >/dev/null 2>"$T/err"
rc=$?
check "full: re-export into a full disk exits 1 (status $rc)" test $rc -eq 1
check "full: ... says the re-export was abandoned, not that a trace was cut back" \
	grep -q "$T/small/out.csv: write failed: No space left on device; the re-export was abandoned and the file not created" "$T/err"
check "full: a failed re-export leaves nothing behind" test -z "$(ls -A "$T/small")"

# --force over an existing file: it stays as it was
echo "keep me" >"$T/small/old.csv"
"$GFNTOP" -r "$T/big.csv" -w "$T/small/old.csv" --force >/dev/null 2>"$T/err"
rc=$?
check "full: a forced re-export into a full disk exits 1 (status $rc)" test $rc -eq 1
check "full: ... and says the file was left as it was" grep -q "the file left as it was" "$T/err"
check "full: ... which it was" test "$(cat "$T/small/old.csv")" = "keep me"
rm -f "$T/small/old.csv"

# live: the workload produces far more than 256 KiB of rows
if [ -c /dev/kvm ]; then
	"$GFNTOP" -b -d 0.3 -P tp -w "$T/small/live.csv" >/dev/null 2>"$T/lerr" &
	g=$!
	wait_for_header "$T/small/live.csv" || not_ok "full: live recording started" "$(cat "$T/lerr")"
	"$WORKLOADS/kvm_madvise" -n 6000 >"$T/truth"
	wait_exit $g 10
	rc=$?
	F="$T/small/live.csv"
	size=$(stat -c %s "$F")
	check "full: live recording into a full disk exits 1 by itself (status $rc)" test $rc -eq 1
	check "full: live error is reported, saying the trace keeps its complete rows" \
		grep -q "live.csv: write failed: No space left on device; the trace ends with the last complete row that reached it" "$T/lerr"
	check "full: the live trace ends with a complete row" test "$(tail -c1 "$F" | od -An -c | tr -d ' ')" = '\n'
	check "full: every row of the live trace is whole (24 fields) and it replays" \
		sh -c "test \$(awk -F, 'NF != 24' '$F' | wc -l) -eq 0 && '$GFNTOP' -r '$F' >/dev/null"
	# every complete row that reached the disk is kept: the file fills the disk but
	# for less than one row (rows are < 200 bytes), not cut back to a buffer boundary
	check "full: the rows that reached the disk are all kept ($size of $CAP bytes)" test "$size" -gt $((CAP - 512))
	# (rows of other tests' VMs on this machine may share the disk with the workload's)
	rows=$(($(wc -l <"$F") - 1))
	check "full: ... which is over a thousand rows ($rows)" test "$rows" -gt 1000
else
	requirement_missing live "no /dev/kvm"
fi
exit 0
