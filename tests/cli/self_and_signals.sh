#!/bin/bash
# CLI tier, data loss without privileges:
#  - a replay never writes over its own trace, whatever the spelling (./x, a
#    symlink, a hard link, stdout redirected to it), with or without --force: exit 2
#    and the trace untouched
#  - writes to a closed pipe: exit 1 with a message, never death by SIGPIPE (141)
#  - SIGINT/SIGTERM during a replay: exit 1, nothing written, no temporary file;
#    also while the reader waits on a pipe
#  - signal handlers are installed before the trace is even opened
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "self: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-self.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1

S="$GFNTOP_ROOT/tests/data/sample-mmu.csv"
cp "$S" precious.csv
sum=$(md5sum <precious.csv)

# ---- self-overwrite ----
ln -s precious.csv link.csv
ln precious.csv hard.csv
mkdir sub
for spelling in "./precious.csv" "$T/precious.csv" "sub/../precious.csv" "hard.csv"; do
	for force in "" "--force"; do
		"$GFNTOP" -r precious.csv -w "$spelling" $force -b >/dev/null 2>err
		rc=$?
		check "self: -r precious.csv -w $spelling $force is refused with exit 2 (status $rc)" test $rc -eq 2
		check "self: ... saying so" grep -q "refusing to write the trace being replayed" err
		check "self: ... and the trace is untouched" test "$(md5sum <precious.csv)" = "$sum"
	done
done
"$GFNTOP" -r link.csv -w precious.csv --force -b >/dev/null 2>err
rc=$?
check "self: -r through a symlink -w its target --force: exit 2, untouched (status $rc)" \
	test $rc -eq 2 -a "$(md5sum <precious.csv)" = "$sum"
"$GFNTOP" -r precious.csv -w - -b >>precious.csv 2>err
rc=$?
check "self: -w - appending to the trace itself: exit 2, untouched (status $rc)" \
	test $rc -eq 2 -a "$(md5sum <precious.csv)" = "$sum"
"$GFNTOP" -r - -w hard.csv --force -b <precious.csv >/dev/null 2>err
rc=$?
check "self: -r - (the trace on stdin) -w a hard link of it: exit 2, untouched (status $rc)" \
	test $rc -eq 2 -a "$(md5sum <precious.csv)" = "$sum"
# a different file is still written, and --force replaces it
cp precious.csv other.csv
"$GFNTOP" -r precious.csv -e -w other.csv --force -b >/dev/null 2>err
rc=$?
check "self: another file is replaced with --force (status $rc)" test $rc -eq 0 -a "$(wc -l <other.csv)" -eq 1

# ---- closed pipes: SIGPIPE is ignored, the failed write is reported ----
# a pipe whose reader is gone before gfntop writes: fd 4
exec 4> >(exit 0)
wait $! 2>/dev/null || sleep 0.2
"$GFNTOP" -r precious.csv -w - >&4 2>err
rc=$?
check "pipe: -w - into a closed pipe exits 1, not 141 (status $rc)" test "$rc" -eq 1
check "pipe: ... with a message" grep -q "<stdout>: write failed: Broken pipe" err
"$GFNTOP" -r precious.csv -b >&4 2>err
rc=$?
check "pipe: the summary into a closed pipe exits 1, not 141 (status $rc)" test "$rc" -eq 1
check "pipe: ... with a message" grep -q "cannot write to standard output: Broken pipe" err
exec 4>&-

# ---- signals during a replay ----
# a trace on a pipe that never ends: the replay waits for input when the signal comes
for sig in INT TERM; do
	mkfifo "slow.$sig"
	{ cat "$S"; sleep 30; } >"slow.$sig" &
	feeder=$!
	"$GFNTOP" -r - -w "out.$sig.csv" -b <"slow.$sig" >/dev/null 2>err &
	g=$!
	sleep 0.5
	kill -$sig $g
	wait_exit $g 5
	rc=$?
	kill $feeder 2>/dev/null
	check "signal: SIG$sig while a replay waits on a pipe: exit 1 (status $rc)" test $rc -eq 1
	check "signal: ... saying so" grep -q "interrupted while reading -; nothing written" err
	check "signal: ... nothing written, no temporary file left" \
		test ! -e "out.$sig.csv" -a -z "$(ls -A . | grep '^\.gfntop-')"
done

# handlers first: gfntop blocked in opening its trace (a FIFO without a writer)
# already catches SIGINT, SIGTERM and SIGHUP and ignores SIGPIPE
mkfifo first.fifo
"$GFNTOP" -r first.fifo -w early.csv -b >/dev/null 2>err &
g=$!
for _ in $(seq 100); do
	[ "$(readlink /proc/$g/exe 2>/dev/null)" = "$(readlink -f "$GFNTOP")" ] &&
		grep -q '^State:.*S' /proc/$g/status && grep -q fifo_open /proc/$g/wchan 2>/dev/null && break
	sleep 0.05
done
caught=$(awk '/^SigCgt:/ { print $2 }' /proc/$g/status)
ignored=$(awk '/^SigIgn:/ { print $2 }' /proc/$g/status)
# bits: SIGHUP 1, SIGINT 2, SIGPIPE 13, SIGTERM 15
check "signal: handlers are in place before the trace is open (SigCgt $caught)" \
	test $((0x$caught & 0x4003)) -eq $((0x4003))
check "signal: ... and SIGPIPE is ignored (SigIgn $ignored)" test $((0x$ignored & 0x1000)) -eq $((0x1000))
kill -TERM $g
cat "$S" >first.fifo
wait_exit $g 5
rc=$?
check "signal: SIGTERM while opening the trace: exit 1, nothing written (status $rc)" test $rc -eq 1 -a ! -e early.csv
ls -A . | grep -q '^\.gfntop-' && not_ok "signal: a temporary file was left behind" || ok "signal: no temporary file left behind"
exit 0
