#!/bin/bash
# CLI tier: the JSON twin of batch output and the metrics textfile, over replayed traces, as an
# unprivileged user. The JSON summary parses (python3 json) and holds the same numbers as the
# text tables; hostile strings come back exactly, escaped; --metrics-textfile writes an
# exposition promtool accepts, with the trace's counts, never through a symbolic link, and
# nothing for a trace that does not parse; option misuse exits 2.
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "json: gfntop built"; exit 0; }
command -v python3 >/dev/null || { requirement_missing cli "python3 not installed"; exit 0; }
T=$(mktemp -d /tmp/gfntop-json.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 777 "$T"

as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	else
		"$@"
	fi
}

# A trace with two VMs, a failing post_populate with a firmware status, a failing SNP launch,
# lost events and a VMM command holding a quote, a backslash, an escape sequence, a control
# character and a non-ASCII letter.
HDR="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
COMM=$(printf 'q""\\\033[2J\001\303\251')	# CSV-quoted: q"\ ESC [2J SOH é
{
	echo "$HDR"
	echo "1000,0,500,\"$COMM\",500,00000000000000aa,mmu,notifier,kvm_mmu_notifier_invalidate_range_start,1,,,,,4,0x7f0000000000,0x7f0000004000,900,0,,,,,"
	echo "1001,0,500,\"$COMM\",500,00000000000000aa,mmu,unmap,kvm_unmap_gfn_range,1,0,1,0x40000,0x40004,4,0x7f0000000000,0x7f0000004000,400,1,,,,,"
	echo "1002,1,500,\"$COMM\",500,00000000000000aa,mmu,unmap,kvm_unmap_gfn_range,2,0,0,0x10,0x12,2,0x7e0000010000,0x7e0000012000,300,0,,,,,"
	echo "2000,1,600,qemu-2,600,00000000000000bb,snp,launch_start,sev_mem_enc_ioctl,10,,,,,,,,7000,0,,0,SUCCESS,,"
	echo "2001,1,600,qemu-2,600,00000000000000bb,snp,post_populate,sev_gmem_post_populate,11,0,1,0x80e,0x80f,1,,,5000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID"
	echo "2002,1,600,qemu-2,600,00000000000000bb,snp,launch_update,sev_mem_enc_ioctl,11,0,1,0x80e,0x80f,1,,,9000,-5,EIO,22,INVALID_PARAM,,CPUID"
	echo "3000,,,,,,,lost,,,,,,,,,,,7,,,,,"
} >"$T/trace.csv"
chmod 644 "$T/trace.csv"

as_user "$GFNTOP" -r "$T/trace.csv" --json >"$T/json" 2>"$T/err"
check "json: replay --json exits 0" test $? -eq 0
check "json: replay --json prints one line (the summary)" test "$(wc -l <"$T/json")" -eq 1
check "json: the output holds no raw control character" test "$(LC_ALL=C tr -d '\n' <"$T/json" | LC_ALL=C grep -c '[[:cntrl:]]')" -eq 0
python3 - "$T/json" "$COMM" >"$T/py" 2>&1 <<'EOF'
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").read())
comm = sys.argv[2].replace('""', '"')
assert d["type"] == "summary" and d["schema"] == 1 and d["source"] == "replay", d
assert d["events"] == 6 and d["lost"] == 7 and d["overflow"] == 0, d
vms = {(v["vm_pid"], v["vm_id"]): v for v in d["vms"]}
a = vms[(500, "00000000000000aa")]
assert a["comm"] == comm, (a["comm"], comm)
assert (a["ops"], a["pages"], a["errors"], a["timed"]) == (3, 10, 0, 3), a
b = vms[(600, "00000000000000bb")]
assert (b["ops"], b["errors"]) == (3, 2), b
rows = {(r["vm_pid"], r["as_id"], r["slot"], r["op"]): r for r in d["slots"]}
r = rows[(500, 0, 1, "unmap")]
assert (r["family"], r["base_gfn"], r["ops"], r["pages"]) == ("mmu", "0x40000", 1, 4), r
n = rows[(500, None, None, "notifier")]
assert n["base_gfn"] is None and n["p50_ns"] == 1023, n
[l] = d["launches"]
assert l["vm_pid"] == 600 and l["state"] == "FAILED" and "CPUID" in l["description"], l
assert "INVALID_PARAM" in l["cause"], l
print("ok")
EOF
check "json: summary schema and values (VMs, slots, launches, hostile comm round-trips)" grep -qx ok "$T/py"
grep -qx ok "$T/py" || sed 's/^/#   /' "$T/py" | tail -5

# the JSON twin says what the text tables say: the committed sample trace, VM by VM
SAMPLE="$GFNTOP_ROOT/tests/data/sample-mmu.csv"
"$GFNTOP" -r "$SAMPLE" >"$T/text" && "$GFNTOP" -r "$SAMPLE" --json >"$T/sample.json"
python3 - "$T/text" "$T/sample.json" >"$T/py2" 2>&1 <<'EOF'
import json, sys
text = open(sys.argv[1]).read().split("\n")
d = json.loads(open(sys.argv[2]).read())
# the first table after the summary line: VMM_PID COMM VM_ID OPS PAGES ERRORS P50 P99
i = next(k for k, l in enumerate(text) if l.split()[:2] == ["VMM_PID", "COMM"])
want = set()
threads = False     # below the heading: kernel threads acting for no known VM, by their own pid
for l in text[i + 1:]:
    if not l.strip():
        break
    f = l.split()
    if f[0] == "--":
        threads = True
        continue
    if f[0] == "TOTAL":
        continue
    pid = None if f[0] == "-" else int(f[0])
    want.add(("task" if threads else "vm", pid, None if f[2] == "-" else f[2], int(f[3]), int(f[4]), int(f[5])))
got = {("task", v["task_pid"], v["vm_id"], v["ops"], v["pages"], v["errors"]) if v.get("task_pid") is not None
       else ("vm", v["vm_pid"], v["vm_id"], v["ops"], v["pages"], v["errors"]) for v in d["vms"]}
assert want == got and len(got) >= 2, (want, got)
assert d["events"] == int(next(l for l in text if l.startswith("gfntop replay")).split(": ")[1].split()[0])
print("ok")
EOF
check "json: the sample trace's JSON VMs equal its text table" grep -qx ok "$T/py2"
grep -qx ok "$T/py2" || sed 's/^/#   /' "$T/py2" | tail -5

# --metrics-textfile: the exposition of the whole trace
mkdir "$T/tf" && chmod 777 "$T/tf"
as_user "$GFNTOP" -r "$T/trace.csv" --metrics-textfile "$T/tf" --metrics-vms 4 >/dev/null 2>"$T/tf.err"
check "textfile: replay --metrics-textfile exits 0" test $? -eq 0
P="$T/tf/gfntop.prom"
check "textfile: gfntop.prom written, mode 0644" test "$(stat -c %a "$P" 2>/dev/null)" = 644
check "textfile: no temporary file left" test "$(ls -A "$T/tf")" = gfntop.prom
check "textfile: operations by family and op" grep -qx 'gfntop_operations_total{family="mmu",op="unmap"} 2' "$P"
check "textfile: pages by family and op" grep -qx 'gfntop_pages_total{family="mmu",op="unmap"} 6' "$P"
check "textfile: a failure by errno and firmware status" \
	grep -qx 'gfntop_errors_total{family="snp",op="post_populate",errno="EIO",fw_status="INVALID_PARAM"} 1' "$P"
check "textfile: the launch failure by step, errno and firmware status" \
	grep -qx 'gfntop_launch_failures_total{step="launch_update",errno="EIO",fw_status="INVALID_PARAM"} 1' "$P"
check "textfile: launches started" grep -qx 'gfntop_launches_started_total 1' "$P"
check "textfile: lost events" grep -qx 'gfntop_lost_events_total 7' "$P"
check "textfile: the duration histogram's count" \
	grep -qx 'gfntop_operation_duration_seconds_count{family="mmu",op="unmap"} 2' "$P"
check "textfile: no pid, gfn, hva or slot label outside the per-VM series" \
	test "$(grep -v '^gfntop_vm_' "$P" | grep -c '[{,]\(vm_pid\|pid\|gfn[a-z_]*\|hva[a-z_]*\|slot\)="')" -eq 0
if command -v promtool >/dev/null; then
	promtool check metrics <"$P" >"$T/lint" 2>&1
	rc=$?
	check "textfile: promtool check metrics accepts it" test $rc -eq 0
	[ $rc -eq 0 ] || sed 's/^/#   /' "$T/lint" | head
else
	requirement_missing cli "promtool (Debian package prometheus) not installed"
fi
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	/usr/bin/python3 - "$P" "$COMM" >"$T/py3" 2>&1 <<'EOF'
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read())}
# the hostile command as a label value: quote and backslash escaped, controls replaced
want = sys.argv[2].replace('""', '"').replace("\x1b", "\ufffd").replace("\x01", "\ufffd")
vmm = {s.labels["vmm"] for s in fams["gfntop_vm_operations"].samples if s.labels["vm_pid"] == "500"}
assert vmm == {want}, (vmm, want)
print("ok")
EOF
	check "textfile: the hostile command parses back as its label value (Python's text-format parser)" grep -qx ok "$T/py3"
	grep -qx ok "$T/py3" || sed 's/^/#   /' "$T/py3" | tail -5
else
	requirement_missing cli "python3-prometheus-client not installed"
fi

# never through a symbolic link: the link is replaced, its target untouched
mkdir "$T/tf2" && chmod 777 "$T/tf2"
echo untouched >"$T/victim" && chmod 666 "$T/victim"
ln -s "$T/victim" "$T/tf2/gfntop.prom"
as_user "$GFNTOP" -r "$T/trace.csv" --metrics-textfile "$T/tf2" >/dev/null 2>&1
check "textfile: a symbolic link at gfntop.prom is replaced, not followed" \
	test "$(cat "$T/victim")" = untouched -a ! -L "$T/tf2/gfntop.prom" -a -f "$T/tf2/gfntop.prom"

# a trace that does not parse: exit 2, and no textfile
mkdir "$T/tf3" && chmod 777 "$T/tf3"
printf '%s\n1,2,3\n' "$HDR" >"$T/bad.csv" && chmod 644 "$T/bad.csv"
as_user "$GFNTOP" -r "$T/bad.csv" --metrics-textfile "$T/tf3" >/dev/null 2>"$T/bad.err"
check "textfile: a bad trace exits 2" test $? -eq 2
check "textfile: ... and writes no textfile" test -z "$(ls -A "$T/tf3")"
as_user "$GFNTOP" -r "$T/trace.csv" --metrics-textfile "$T/nonexistent" >/dev/null 2>"$T/nodir.err"
rc=$?
check "textfile: a missing directory exits 1 naming it" \
	test $rc -eq 1 -a "$(grep -c "$T/nonexistent" "$T/nodir.err")" -eq 1

# usage errors
usage() {
	"$GFNTOP" "$@" >/dev/null 2>"$T/usage.err"
	[ $? -eq 2 ] && grep -q . "$T/usage.err"
}
check "usage: --metrics with a replay exits 2" usage -r "$T/trace.csv" --metrics 127.0.0.1:0
check "usage: --metrics with a bad address exits 2" usage --metrics 127.0.0.1:99999
check "usage: --metrics with a host name exits 2 (numeric only)" usage --metrics example.org:9435
check "usage: --metrics-vms without a metrics output exits 2" usage --metrics-vms 4
check "usage: --metrics-vms 0 exits 2" usage --metrics-vms 0 --metrics 9435
check "usage: --metrics-vms above 4096 exits 2" usage --metrics-vms 4097 --metrics 9435
exit 0
