#!/bin/bash
# CLI tier: --connect without a recorder, and with options that do not apply to it.
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "connect: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-conn.XXXXXX)
trap 'rm -rf "$T"' EXIT

"$GFNTOP" --connect "$T/none.sock" -b -n 1 >/dev/null 2>"$T/err"
rc=$?
check "connect: no recorder there: exit 1 (status $rc)" test $rc -eq 1
check "connect: ... saying so and asking whether gfntop record runs" grep -q "$T/none.sock: cannot connect to a recorder: No such file or directory (is gfntop record running?)" "$T/err"
: >"$T/file"
"$GFNTOP" --connect="$T/file" -b -n 1 >/dev/null 2>"$T/err"
check "connect: a file that is not a socket: exit 1" test $? -eq 1
python3 -c "
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept(); c.send(b'HTTP/1.0 200 OK\r\n\r\n'); time.sleep(2)" "$T/other.sock" &
for _ in $(seq 50); do [ -S "$T/other.sock" ] && break; sleep 0.1; done
"$GFNTOP" --connect "$T/other.sock" -b -n 1 >/dev/null 2>"$T/err"
rc=$?
check "connect: something else on the socket: exit 1 (status $rc)" test $rc -eq 1
check "connect: ... 'not a gfntop recorder'" grep -q "not a gfntop recorder" "$T/err"
wait
for opt in "-r x.csv" "-w x.csv" "-P tp" "--handler f" "--list-probes" "--ringbuf-size 64K"; do
	# shellcheck disable=SC2086
	"$GFNTOP" --connect "$T/s" $opt >/dev/null 2>"$T/err"
	check "connect: with $opt: exit 2" test $? -eq 2
done
check "connect: ... saying what does not apply" grep -q -- "--connect shows a recorder's events" "$T/err"
"$GFNTOP" --connect= -b >/dev/null 2>&1
check "connect: an empty socket path: exit 2" test $? -eq 2
"$GFNTOP" --help | grep -q -- "--connect \[PATH\]"
check "connect: --help lists --connect [PATH]" test $? -eq 0
exit 0
