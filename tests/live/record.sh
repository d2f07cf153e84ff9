#!/bin/bash
# Live tier, tp family: gfntop record on this machine's kernel with the KVM workload.
# Rotation by size and by time and on SIGHUP: every file a complete schema-v1 trace,
# the workload's ranges each in exactly one file exactly once, the rows of all files
# together exactly the events the recorder counted; SIGTERM drains and exits 0;
# systemd's readiness protocol (READY=1 once recording, STOPPING=1) over a socket of
# the test's own; no capability left once attached.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
[ -e /sys/kernel/btf/vmlinux ] || { requirement_missing live "kernel has no BTF"; exit 0; }
command -v python3 >/dev/null || { requirement_missing live "no python3"; exit 0; }
[ -x "$GFNTOP" ] && [ -x "$WORKLOADS/kvm_madvise" ] || { not_ok "record: binaries built" "run make tests-build"; exit 0; }

T=$(mktemp -d /tmp/gfntop-rec.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT
HDR="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"

# sd_notify's receiving end: every datagram, one line each, into a file
python3 - "$T/notify.sock" "$T/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", "|") + "\n")
PY
for _ in $(seq 50); do [ -S "$T/notify.sock" ] && break; sleep 0.1; done

# ranges of one workload run, "start end" per line
ranges() { grep '^madvise ' "$1" | sed 's/.*hva_start=\([^ ]*\) hva_end=\([^ ]*\).*/\1 \2/' | sort; }
# rows of all trace files in DIR for VM PID: "hva_start hva_end" of its tp_unmap_hva rows
rows_of() {
	for f in "$1"/trace-*.csv; do csv_columns "$f" op vm_pid hva_start hva_end; done |
		awk -v p="$2" '$1 == "tp_unmap_hva" && $2 == p { print $3, $4 }' | sort
}
# every file: header first, whole rows, replays
files_complete() {
	local bad=0
	for f in "$1"/trace-*.csv; do
		[ "$(head -1 "$f")" = "$HDR" ] || bad=$((bad + 1))
		[ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || bad=$((bad + 1))
		[ "$(awk -F, 'NF != 24' "$f" | wc -l)" -eq 0 ] || bad=$((bad + 1))
		"$GFNTOP" -r "$f" >/dev/null 2>&1 || bad=$((bad + 1))
	done
	[ "$bad" -eq 0 ]
}

# ---- by size: 64K files over 3000 ranges (32 MiB slots: every range distinct) ----
NOTIFY_SOCKET="$T/notify.sock" "$GFNTOP" record --dir "$T/size" --rotate 64K --keep 1000 --no-socket \
	-P tp -d 0.2 2>"$T/size.err" &
g=$!
for _ in $(seq 100); do grep -q '^READY=1' "$T/notify.log" 2>/dev/null && break; sleep 0.1; done
check "record: READY=1 sent once recording" grep -q '^READY=1|STATUS=recording, probes tp 3/3' "$T/notify.log"
first=$(ls "$T/size" | grep '^trace-' | head -1)
check "record: the first file has its header when READY=1 is sent" test "$(head -1 "$T/size/$first")" = "$HDR"
check "record: it is mode 0600, the directory 0700" \
	test "$(stat -c %a "$T/size/$first") $(stat -c %a "$T/size")" = "600 700"
check "record: no capability left once attached (CapEff 0, NoNewPrivs 1)" \
	test "$(awk '/^CapEff/ {print $2} /^NoNewPrivs/ {print $2}' /proc/$g/status | tr '\n' ' ')" = "0000000000000000 1 "
"$WORKLOADS/kvm_madvise" -n 3000 -s 32 >"$T/truth1"
sleep 0.5
kill -TERM $g
wait $g
rc=$?
check "record: SIGTERM drains and exits 0 (status $rc)" test $rc -eq 0
check "record: STOPPING=1 sent at the end" grep -q '^STOPPING=1' "$T/notify.log"
pid1=$(sed -n 's/^vm_pid=//p' "$T/truth1")
ranges "$T/truth1" >"$T/want1"
rows_of "$T/size" "$pid1" >"$T/got1"
nfiles=$(ls "$T/size" | grep -c '^trace-')
check "record: rotation by size made several files ($nfiles)" test "$nfiles" -ge 5
big=$(for f in "$T/size"/trace-*.csv; do stat -c %s "$f"; done | awk '$1 > 65536' | wc -l)
check "record: no file above 64K ($big are)" test "$big" -eq 0
check "record: every file is a complete trace (header, whole rows) that replays" files_complete "$T/size"
matched=$(comm -12 "$T/want1" "$T/got1" | wc -l)
check "record: each of the 3000 ranges in exactly one file, once ($matched matched, $(uniq -d "$T/got1" | wc -l) repeated)" \
	test "$matched" -eq 3000 -a "$(uniq -d "$T/got1" | wc -l)" -eq 0
recorded=$(sed -n 's/.*stopped: \([0-9]*\) events recorded.*/\1/p' "$T/size.err")
rows=$(for f in "$T/size"/trace-*.csv; do tail -n +2 "$f"; done | wc -l)
lost=$(for f in "$T/size"/trace-*.csv; do csv_columns "$f" op; done | grep -c '^lost$')
check "record: the rows of all files are the events recorded ($rows rows, $recorded events, $lost lost rows)" \
	test "$rows" -eq "$recorded" -a "$lost" -eq 0

# ---- by time, and SIGHUP: two runs 1.5 s apart with --rotate 1s; a SIGHUP between ----
"$GFNTOP" record --dir "$T/time" --rotate 1s --keep 1000 --no-socket -P tp -d 0.1 2>"$T/time.err" &
g=$!
for _ in $(seq 100); do ls "$T/time" 2>/dev/null | grep -q '^trace-' && break; sleep 0.1; done
sleep 0.5
"$WORKLOADS/kvm_madvise" -n 500 >"$T/truth2"
sleep 1.5
kill -HUP $g
sleep 0.3
"$WORKLOADS/kvm_madvise" -n 500 >"$T/truth3"
sleep 0.5
kill -TERM $g
wait $g
check "record: exits 0 after rotations by time and SIGHUP" test $? -eq 0
pid2=$(sed -n 's/^vm_pid=//p' "$T/truth2")
pid3=$(sed -n 's/^vm_pid=//p' "$T/truth3")
ntime=$(ls "$T/time" | grep -c '^trace-')
check "record: rotation by time made a new file at least every second ($ntime files in ~3 s)" test "$ntime" -ge 3
check "record: every file is a complete trace" files_complete "$T/time"
files_with() { for f in "$T/time"/trace-*.csv; do csv_columns "$f" vm_pid | grep -qx "$1" && echo "$f"; done; }
check "record: the two runs, 1.5 s apart, are in different files" \
	test -z "$(comm -12 <(files_with "$pid2") <(files_with "$pid3"))"
for n in 2 3; do
	p=$(sed -n 's/^vm_pid=//p' "$T/truth$n")
	ranges "$T/truth$n" >"$T/want$n"
	rows_of "$T/time" "$p" >"$T/got$n"
	check "record: run $n's 500 ranges each once across the files" \
		test "$(comm -12 "$T/want$n" "$T/got$n" | wc -l)" -eq 500 -a "$(uniq -d "$T/got$n" | wc -l)" -eq 0
done
recorded=$(sed -n 's/.*stopped: \([0-9]*\) events recorded.*/\1/p' "$T/time.err")
rows=$(for f in "$T/time"/trace-*.csv; do tail -n +2 "$f"; done | wc -l)
check "record: nothing missing or repeated across time rotations ($rows rows, $recorded events)" test "$rows" -eq "$recorded"

# ---- the file being written deleted under the recorder: made again, said ----
"$GFNTOP" record --dir "$T/del" --no-socket -P tp -d 0.2 2>"$T/del.err" &
g=$!
for _ in $(seq 100); do ls "$T/del" 2>/dev/null | grep -q '^trace-' && break; sleep 0.1; done
f=$(ls "$T/del"/trace-*.csv)
rm -f "$f"
sleep 0.6
check "record: a trace deleted under the recorder is made again with its header" \
	sh -c "test \"\$(head -1 '$f')\" = '$HDR'"
check "record: ... and the log says so" grep -q "$f" "$T/del.err"
"$WORKLOADS/kvm_madvise" -n 100 >"$T/truth5"
sleep 0.5
kill -TERM $g
wait $g
pid5=$(sed -n 's/^vm_pid=//p' "$T/truth5")
check "record: ... and records on into it" test "$(csv_columns "$f" vm_pid | grep -c "^$pid5\$")" -ge 100

# ---- --metrics: the recorder's counters, scraped, are its trace's ----
"$GFNTOP" record --dir "$T/met" --no-socket --metrics 127.0.0.1:0 -P tp -d 0.2 2>"$T/met.err" &
g=$!
for _ in $(seq 100); do grep -qs 'metrics at http' "$T/met.err" && break; sleep 0.1; done
url=$(sed -n 's/.*metrics at \(http[^ ]*\).*/\1/p' "$T/met.err")
"$WORKLOADS/kvm_madvise" -n 700 >/dev/null
sleep 0.6
scraped=$(python3 -c "import urllib.request, sys; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" "$url" |
	sed -n 's/^gfntop_operations_total{family="tp",op="tp_unmap_hva"} \([0-9]*\)$/\1/p')
kill -TERM $g
wait $g
rc=$?
rows=$(for f in "$T/met"/trace-*.csv; do csv_columns "$f" op; done | grep -c '^tp_unmap_hva$')
check "record: --metrics serves the recorder's counters: tp_unmap_hva $scraped, its trace $rows" \
	test -n "$scraped" -a "$scraped" = "$rows"
check "record: ... and it exits 0 with them (status $rc)" test $rc -eq 0

# ---- --keep: the oldest go, the total stays bounded ----
"$GFNTOP" record --dir "$T/keep" --rotate 64K --keep 3 --no-socket -P tp -d 0.2 2>"$T/keep.err" &
g=$!
for _ in $(seq 100); do ls "$T/keep" 2>/dev/null | grep -q '^trace-' && break; sleep 0.1; done
"$WORKLOADS/kvm_madvise" -n 3000 -s 32 >/dev/null
sleep 0.5
kill -TERM $g
wait $g
check "record: --keep 3 leaves 3 files" test "$(ls "$T/keep" | grep -c '^trace-')" -eq 3

# ---- the unit's capabilities are enough: its bounding set, its umask, as root ----
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$GFNTOP_ROOT/systemd/gfntop.service.in" | tr 'A-Z' 'a-z' |
	sed 's/cap_//g; s/ /,+/g; s/^/-all,+/')
(umask 077; exec setpriv --bounding-set="$caps" -- "$GFNTOP" record --dir "$T/caps" --no-socket -P tp -d 0.2) \
	2>"$T/caps.err" &
g=$!
for _ in $(seq 100); do ls "$T/caps" 2>/dev/null | grep -q '^trace-' && break; sleep 0.1; done
check "record: with only the unit's capabilities ($caps) it attaches and records" \
	sh -c "ls '$T/caps' | grep -q '^trace-'"
"$WORKLOADS/kvm_madvise" -n 200 >"$T/truth4"
sleep 0.5
kill -TERM $g
wait $g
pid4=$(sed -n 's/^vm_pid=//p' "$T/truth4")
ranges "$T/truth4" >"$T/want4"
rows_of "$T/caps" "$pid4" >"$T/got4"
check "record: ... all 200 ranges of a workload" test "$(comm -12 "$T/want4" "$T/got4" | wc -l)" -eq 200

# ---- loss across rotations: a tiny ring buffer's rows plus its lost rows, over all files,
# are exactly what a default-buffer recorder saw of the same burst ----
"$GFNTOP" -b -d 1 -P tp -w "$T/ref.csv" >/dev/null 2>"$T/ref.err" &
g_ref=$!
"$GFNTOP" record --dir "$T/loss" --rotate 256K --keep 1000 --no-socket -P tp --ringbuf-size 4096 -d 0.5 2>"$T/loss.err" &
g=$!
wait_for_header "$T/ref.csv" || not_ok "record: reference recorder started"
for _ in $(seq 100); do ls "$T/loss" 2>/dev/null | grep -q '^trace-' && break; sleep 0.1; done
"$WORKLOADS/kvm_madvise" -n 20000 -p 1 >/dev/null &
w1=$!
"$WORKLOADS/kvm_madvise" -n 20000 -p 1 >/dev/null
wait $w1
sleep 0.3
kill -TERM $g $g_ref
wait $g
wait $g_ref
ref=$(csv_columns "$T/ref.csv" op | grep -vc '^lost$')
rows=$(for f in "$T/loss"/trace-*.csv; do csv_columns "$f" op; done | grep -vc '^lost$')
lost=$(for f in "$T/loss"/trace-*.csv; do csv_columns "$f" op ret; done | awk '$1 == "lost" { n += $2 } END { print n + 0 }')
check "record: a tiny buffer lost some ($lost) over $(ls "$T/loss" | grep -c '^trace-') files" test "$lost" -gt 0
check "record: rows + lost over all files = what the reference saw ($rows + $lost = $ref)" test $((rows + lost)) -eq "$ref"
check "record: every file still a complete trace" files_complete "$T/loss"
exit 0
