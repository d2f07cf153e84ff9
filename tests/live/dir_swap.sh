#!/bin/bash
# A directory on the trace's path is never followed if it is a symbolic link, and is
# opened once: when another user, who owns the directory above it, swaps it for a
# symlink to another directory of root's before logrotate's SIGHUP, the reopened trace
# is created where the first one was, and nothing appears in the other directory. A symlink on the path at start is
# refused; so is a directory that others may write.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-swap.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }

chmod 0755 "$T"
mkdir "$T/victim" "$T/home" "$T/home/logs"
chown 65534:65534 "$T/home"	# another user's directory, 0755, holding root's logs/
"$GFNTOP" -b -d 0.2 -P tp -w "$T/home/logs/trace.csv" >/dev/null 2>"$T/err" &
g=$!
wait_for_header "$T/home/logs/trace.csv" || { not_ok "swap: recording started in another user's directory" "$(cat "$T/err")"; exit 0; }
"$WORKLOADS/kvm_madvise" -n 100 >"$T/truth1"
sleep 0.4
# logrotate rotates; the other user swaps logs/ for a symlink to root's victim/; SIGHUP
mv "$T/home/logs/trace.csv" "$T/home/logs/trace.csv.1"
as_nobody mv "$T/home/logs" "$T/home/logs.real"
as_nobody ln -s "$T/victim" "$T/home/logs"
kill -HUP $g
sleep 0.5
"$WORKLOADS/kvm_madvise" -n 50 >"$T/truth2"
sleep 0.4
kill -INT $g
wait $g
rc=$?
pid2=$(sed -n 's/^vm_pid=//p' "$T/truth2")
check "swap: exits 0 (status $rc)" test $rc -eq 0
check "swap: nothing was created through the symlink in root's directory" test -z "$(ls -A "$T/victim")"
check "swap: the reopened trace is where the first one was, with the rows after the signal" \
	test "$(csv_columns "$T/home/logs.real/trace.csv" vm_pid | grep -c "^$pid2\$")" -ge 50

# at start: a symlink anywhere on the path is refused
ln -s "$T/victim" "$T/link"
"$GFNTOP" -b -n 1 -P tp -w "$T/link/sub.csv" >/dev/null 2>"$T/err"
rc=$?
check "swap: a symlinked directory on the path is refused (status $rc)" test $rc -eq 1
check "swap: ... naming it" grep -q "'link' on the way is a symbolic link; refusing to follow it" "$T/err"
check "swap: ... and nothing is created" test -z "$(ls -A "$T/victim")"

# a directory that others may write: refused unless sticky and root's
mkdir -m 0777 "$T/open"
chmod 0777 "$T/open"
"$GFNTOP" -b -n 1 -P tp -w "$T/open/x.csv" >/dev/null 2>"$T/err"
rc=$?
check "swap: a world-writable directory is refused (status $rc)" test $rc -eq 1 -a ! -e "$T/open/x.csv"
check "swap: ... saying why" grep -q "users other than its owner may write this directory (mode 0777)" "$T/err"
chmod 1777 "$T/open"
"$GFNTOP" -b -n 1 -d 0.1 -P tp -w "$T/open/x.csv" >/dev/null 2>"$T/err"
rc=$?
check "swap: a sticky one of root's (like /tmp) is used (status $rc)" test $rc -eq 0 -a -s "$T/open/x.csv"
exit 0
