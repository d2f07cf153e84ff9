#!/bin/bash
# CLI tier: the real binary without privileges. Replay, bad input (exit 2 with
# file:line:col), trace-file safety (no overwrite without --force, never through a
# symlink, nothing half-written), -w - and -e re-export, usage errors.
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "cli: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
# the unprivileged user's own directory (gfntop refuses one that others may write)
[ "$(id -u)" -eq 0 ] && chown 65534:65534 "$T"

# Run as an unprivileged user where we can (root in CI), else as ourselves.
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	else
		"$@"
	fi
}

HDR="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
cat >"$T/trace.csv" <<EOF
$HDR
1000,0,500,qemu,500,00000000000000aa,mmu,notifier,kvm_mmu_notifier_invalidate_range_start,1,,,,,4,0x7f0000000000,0x7f0000004000,900,0,,,,,
1001,0,500,qemu,500,00000000000000aa,mmu,unmap,kvm_unmap_gfn_range,1,0,1,0x40000,0x40004,4,0x7f0000000000,0x7f0000004000,400,1,,,,,
1002,1,500,qemu,500,00000000000000aa,mmu,unmap,kvm_unmap_gfn_range,2,0,0,0x10,0x12,2,0x7e0000010000,0x7e0000012000,300,0,,,,,
1003,1,600,qemu-2,600,00000000000000bb,snp,post_populate,sev_gmem_post_populate,3,0,1,0x80e,0x80f,1,,,5000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID
1004,,,,,,,lost,,,,,,,,,,,7,,,,,
EOF
chmod 644 "$T/trace.csv"

as_user "$GFNTOP" -r "$T/trace.csv" >"$T/out" 2>"$T/err"
check "cli: replay as an unprivileged user exits 0" test $? -eq 0
check "cli: replay summary counts events and lost" grep -q "replay of $T/trace.csv: 4 events, 7 lost" "$T/out"
check "cli: per-VM line for pid 500 (3 ops, 10 pages, 0 errors)" \
	grep -Eq '^ +500 qemu +00000000000000aa +3 +10 +0 ' "$T/out"
check "cli: per-VM line for pid 600 (1 op, 1 error)" grep -Eq '^ +600 qemu-2 +00000000000000bb +1 +1 +1 ' "$T/out"
check "cli: per-slot line (pid 500, as 0, slot 1, unmap)" \
	grep -Eq '^ +500 00000000000000aa +0 +1 unmap +1 +4 +0 ' "$T/out"

# -p filters a replay in userspace
as_user "$GFNTOP" -r "$T/trace.csv" -p 600 >"$T/out" 2>&1
check "cli: -p keeps only that VMM" test "$(grep -c '^ \+500 ' "$T/out")" -eq 0 -a "$(grep -c '^ \+600 ' "$T/out")" -ge 1

# -e with -w re-exports only the failures (and the loss), byte-identical rows
as_user "$GFNTOP" -r "$T/trace.csv" -e -w "$T/errors.csv" >/dev/null 2>"$T/err"
check "cli: -r -e -w exits 0" test $? -eq 0
check "cli: re-exported trace holds header + failures only" \
	test "$(cat "$T/errors.csv")" = "$(printf '%s\n' "$HDR"; grep -E ',post_populate,|,lost,' "$T/trace.csv")"
check "cli: trace file is created mode 0600" test "$(stat -c %a "$T/errors.csv")" = 600

# a replayed trace re-exported in full is identical to the original
as_user "$GFNTOP" -r "$T/trace.csv" -w "$T/copy.csv" >/dev/null 2>&1
check "cli: replay -> CSV is an exact round trip" cmp -s "$T/trace.csv" "$T/copy.csv"

# -w -: the trace on stdout, the summary on stderr
as_user "$GFNTOP" -r "$T/trace.csv" -w - >"$T/stdout.csv" 2>"$T/stderr"
check "cli: -w - writes the trace to stdout" cmp -s "$T/trace.csv" "$T/stdout.csv"
check "cli: -w - sends the summary to stderr" grep -q "replay of" "$T/stderr"

# no overwrite without --force; --force replaces; never through a symlink
echo keep >"$T/exists.csv"
as_user "$GFNTOP" -r "$T/trace.csv" -w "$T/exists.csv" >/dev/null 2>"$T/err"
rc=$?
check "cli: existing file refused without --force (status $rc)" test $rc -eq 1
check "cli: refusal says to use --force" grep -q "file exists; use --force" "$T/err"
check "cli: refused file untouched" test "$(cat "$T/exists.csv")" = keep
as_user "$GFNTOP" -r "$T/trace.csv" -w "$T/exists.csv" --force >/dev/null 2>"$T/err"
check "cli: --force replaces an existing file" cmp -s "$T/trace.csv" "$T/exists.csv"
echo secret >"$T/target"
ln -s "$T/target" "$T/link.csv"
as_user "$GFNTOP" -r "$T/trace.csv" -w "$T/link.csv" --force >/dev/null 2>"$T/err"
rc=$?
check "cli: symlink refused even with --force (status $rc)" test $rc -ne 0
check "cli: symlink refusal is explained" grep -q "symbolic link" "$T/err"
check "cli: symlink target untouched" test "$(cat "$T/target")" = secret

# bad input: exit 2, file:line:col, and nothing half-written
printf '%s\n%s\n' "$HDR" "1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0xZZ,0x2000,,,,,,," >"$T/bad.csv"
cp "$T/trace.csv" "$T/mixed.csv"
echo "1,0,1,c,1,,tp,tp_unmap_hva,f,,,,,,1,0xZZ,0x2000,,,,,,," >>"$T/mixed.csv"
chmod 644 "$T"/*.csv
as_user "$GFNTOP" -r "$T/bad.csv" >/dev/null 2>"$T/err"
check "cli: bad value exits 2" test $? -eq 2
check "cli: bad value message names file, line, column and column name" \
	grep -q "$T/bad.csv:2:37: column 'hva_start': invalid hex value" "$T/err"
as_user "$GFNTOP" -r "$T/mixed.csv" -w "$T/half.csv" >/dev/null 2>"$T/err"
check "cli: bad row after good rows exits 2" test $? -eq 2
check "cli: bad row message names line 7" grep -q "mixed.csv:7:37:" "$T/err"
check "cli: no half-written output remains" test ! -e "$T/half.csv" -a -z "$(ls -A "$T" | grep gfntop-)"
echo "ts_ns,cpu,pid" >"$T/cols.csv"
as_user "$GFNTOP" -r "$T/cols.csv" >/dev/null 2>"$T/err"
check "cli: missing column exits 2" test $? -eq 2
check "cli: missing column is named" grep -q "missing required column 'comm'" "$T/err"
as_user "$GFNTOP" -r "$T/nonexistent.csv" >/dev/null 2>"$T/err"
check "cli: unreadable trace is an error naming it" grep -q "nonexistent.csv: cannot open" "$T/err"

# a write error on the trace (stdout is /dev/full): a clear message and exit 1
as_user "$GFNTOP" -r "$T/trace.csv" -w - >/dev/full 2>"$T/err"
rc=$?
check "cli: writing the trace to /dev/full exits 1 (status $rc)" test $rc -eq 1
check "cli: ... with a clear message" grep -q "<stdout>: write failed.*No space left on device" "$T/err"

# usage
"$GFNTOP" --bogus >/dev/null 2>"$T/err"
check "cli: unknown option exits 2" test $? -eq 2
"$GFNTOP" -d 0 >/dev/null 2>&1
check "cli: bad delay exits 2" test $? -eq 2
check "cli: --version" "$GFNTOP" --version
"$GFNTOP" --help >"$T/help"
check "cli: --help lists every option" grep -q -- "--list-probes" "$T/help"

# live mode without privileges names what it needs
as_user "$GFNTOP" -b -n 1 >/dev/null 2>"$T/err"
rc=$?
check "cli: unprivileged live run exits 1 (status $rc)" test $rc -eq 1
check "cli: unprivileged live run names CAP_BPF and CAP_PERFMON" grep -q "CAP_BPF and CAP_PERFMON" "$T/err"
exit 0
