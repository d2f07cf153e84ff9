#!/bin/bash
# A terminal's hang-up does not end a recording to a file. gfntop runs on a pty of its
# own (it is the session leader, as under ssh), in the live view and in batch mode;
# the pty's master is closed (SIGHUP, then EIO and end-of-file on the terminal). With
# -w FILE it must go on recording the KVM workload into the same file until SIGTERM,
# then end with the documented status 1 (the view was lost) and a complete trace;
# without a trace file the hang-up ends it.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
command -v python3 >/dev/null || { requirement_missing live "no python3 (drives the pty)"; exit 0; }
T=$(mktemp -d /tmp/gfntop-hangup.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

# run_on_pty TRACE ARGS...: gfntop ARGS on a new pty; once TRACE has a header (or after
# 3 s without TRACE), the master is closed. Prints "alive=0|1" a second later; with a
# trace, then runs the workload, SIGTERMs gfntop and prints "vm_pid=N" and "status=N".
run_on_pty() {
	python3 - "$GFNTOP" "$WORKLOADS/kvm_madvise" "$@" <<'EOF'
import os, pty, select, signal, subprocess, sys, time
gfntop, workload, trace, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.execv(gfntop, [gfntop] + args)
def status(wait_s):
    end = time.time() + wait_s
    while time.time() < end:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            return os.waitstatus_to_exitcode(st)
        time.sleep(0.05)
    return None
start = time.time()
while time.time() - start < 10:
    if select.select([fd], [], [], 0.05)[0]:
        try:
            os.read(fd, 65536)          # what the view paints: read, or it would block
        except OSError:
            break
    if trace != "-" and os.path.exists(trace) and open(trace).readline().startswith("ts_ns,"):
        break
    if trace == "-" and time.time() - start > 3:
        break
time.sleep(0.3)
os.close(fd)                            # the hang-up
rc = status(1.0)
print("alive=%d" % (rc is None))
if trace == "-":
    if rc is None:
        rc = status(5.0)
    print("status=%s" % rc)
    if rc is None:
        os.kill(pid, signal.SIGKILL)
    sys.exit(0)
out = subprocess.run([workload, "-n", "200"], capture_output=True, text=True).stdout
print(next(l for l in out.splitlines() if l.startswith("vm_pid=")))
time.sleep(0.5)
if rc is None:
    os.kill(pid, signal.SIGTERM)
    rc = status(5.0)
print("status=%s" % rc)
EOF
}

for mode in "view" "batch"; do
	flag=""; [ $mode = batch ] && flag=-b
	run_on_pty "$T/$mode.csv" $flag -d 0.2 -P tp -w "$T/$mode.csv" >"$T/$mode.out" 2>&1
	vm_pid=$(sed -n 's/^vm_pid=//p' "$T/$mode.out")
	rows=$(csv_columns "$T/$mode.csv" vm_pid | grep -c "^${vm_pid:-none}\$")
	check "hangup ($mode, -w FILE): the recording outlives the terminal" grep -q '^alive=1' "$T/$mode.out"
	check "hangup ($mode, -w FILE): the workload after the hang-up is in the same file ($rows of 200 rows)" \
		test "$rows" -ge 200 -a "$(grep -c '^ts_ns,' "$T/$mode.csv")" -eq 1
	check "hangup ($mode, -w FILE): SIGTERM then ends it with status 1, the view lost ($(grep status= "$T/$mode.out"))" \
		grep -q '^status=1$' "$T/$mode.out"
	check "hangup ($mode, -w FILE): the trace ends with a complete row and replays" \
		sh -c "test \"\$(tail -c1 '$T/$mode.csv' | od -An -c | tr -d ' ')\" = '\\n' && '$GFNTOP' -r '$T/$mode.csv' >/dev/null"
done

for mode in "view" "batch"; do
	flag=""; [ $mode = batch ] && flag=-b
	run_on_pty - $flag -d 0.2 -P tp >"$T/none.out" 2>&1
	check "hangup ($mode, no trace file): the hang-up ends the run ($(grep status= "$T/none.out"))" \
		grep -Eq '^status=[0-9]+$' "$T/none.out"
done
exit 0
