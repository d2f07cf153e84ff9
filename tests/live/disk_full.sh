#!/bin/bash
# A write that fails (disk full) cuts the trace back to its last complete row,
# reports the error and exits 1 — for a live recording and for a re-export.
# Needs root to mount a tiny tmpfs.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root (a tiny tmpfs is mounted)"; exit 0; }
T=$(mktemp -d /tmp/gfntop-full.XXXXXX)
mkdir "$T/small"
trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
mount -t tmpfs -o size=64k tmpfs "$T/small" || { not_ok "full: mount a 64 KiB tmpfs"; exit 0; }

# a trace much larger than 64 KiB: the committed sample, repeated
S="$GFNTOP_ROOT/tests/data/sample-mmu.csv"
{ cat "$S"; for _ in 1 2 3; do tail -n +2 "$S"; done; } >"$T/big.csv"

"$GFNTOP" -r "$T/big.csv" -w "$T/small/out.csv" >/dev/null 2>"$T/err"
rc=$?
check "full: re-export into a full disk exits 1 (status $rc)" test $rc -eq 1
check "full: the error names the file and says the trace was cut back" \
	grep -q "$T/small/out.csv: write failed; the trace was cut back to its last complete row: No space left on device" "$T/err"
check "full: a failed re-export leaves nothing behind" test -z "$(ls -A "$T/small")"

# live: the workload produces far more than 64 KiB of rows
if [ -c /dev/kvm ]; then
	"$GFNTOP" -b -d 0.3 -P tp -w "$T/small/live.csv" >/dev/null 2>"$T/lerr" &
	g=$!
	wait_for_header "$T/small/live.csv" || not_ok "full: live recording started" "$(cat "$T/lerr")"
	"$WORKLOADS/kvm_madvise" -n 3000 >/dev/null
	wait $g
	rc=$?
	check "full: live recording into a full disk exits 1 by itself (status $rc)" test $rc -eq 1
	check "full: live error is reported" grep -q "No space left on device" "$T/lerr"
	check "full: the live trace ends with a complete row" test "$(tail -c1 "$T/small/live.csv" | od -An -c | tr -d ' ')" = '\n'
	check "full: every row of the live trace is whole (24 fields) and it replays" \
		sh -c "test \$(awk -F, 'NF != 24' '$T/small/live.csv' | wc -l) -eq 0 && '$GFNTOP' -r '$T/small/live.csv' >/dev/null"
else
	requirement_missing live "no /dev/kvm"
fi
exit 0
