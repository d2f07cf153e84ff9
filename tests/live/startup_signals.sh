#!/bin/bash
# Signals at start-up: gfntop catches SIGINT, SIGTERM and SIGHUP from its first
# moments, before its probes are loaded. A stop signal while the probes attach ends
# the run cleanly: probes detached, no trace file created, exit status 1 with a
# message. A SIGHUP then, with -w FILE, is not a stop (it would reopen the trace);
# without a trace file it is one.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
T=$(mktemp -d /tmp/gfntop-start.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

# waits until gfntop ($1) catches SIGTERM; prints whether $2 existed at that moment
wait_caught() {
	local g=$1 file=$2 mask
	for _ in $(seq 2000); do
		mask=$(awk '/^SigCgt:/ { print $2 }' /proc/"$g"/status 2>/dev/null)
		if [ -n "$mask" ] && [ $((0x$mask & 0x4000)) -ne 0 ]; then
			[ -e "$file" ] && echo existed || echo absent
			return 0
		fi
		kill -0 "$g" 2>/dev/null || break
	done
	echo never
}

for sig in TERM INT; do
	rm -f "$T/x.csv"
	"$GFNTOP" -b -P tp -w "$T/x.csv" >/dev/null 2>"$T/err" &
	g=$!
	seen=$(wait_caught $g "$T/x.csv")
	kill -$sig $g
	wait_exit $g 10
	rc=$?
	check "start: SIG$sig is caught before the probes attach (the trace was $seen then)" test "$seen" = absent
	check "start: SIG$sig while attaching: exit 1, not death by the signal (status $rc)" test $rc -eq 1
	check "start: ... saying so" grep -q "interrupted while attaching probes; nothing recorded" "$T/err"
	check "start: ... and no trace file is created" test ! -e "$T/x.csv"
done

# SIGHUP while attaching, with a trace file: the run goes on
rm -f "$T/x.csv"
"$GFNTOP" -b -d 0.2 -P tp -w "$T/x.csv" >/dev/null 2>"$T/err" &
g=$!
seen=$(wait_caught $g "$T/x.csv")
kill -HUP $g
wait_for_header "$T/x.csv"
sleep 0.3
check "start: SIGHUP while attaching with -w FILE does not stop the run" kill -0 $g
kill -TERM $g
wait_exit $g 10
rc=$?
check "start: ... which then ends with status 0 and a valid trace (status $rc)" \
	sh -c "test $rc -eq 0 && '$GFNTOP' -r '$T/x.csv' >/dev/null"

# without a trace file, SIGHUP (a hang-up) is a stop
"$GFNTOP" -b -P tp >/dev/null 2>"$T/err" &
g=$!
seen=$(wait_caught $g /nonexistent)
kill -HUP $g
wait_exit $g 10
rc=$?
check "start: SIGHUP while attaching without a trace file stops the run: exit 1 (status $rc)" test $rc -eq 1
exit 0
