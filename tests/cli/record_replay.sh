#!/bin/bash
# CLI tier: traces run through the recorder's own path (gfntop record -r, no
# privileges): a launch failure gives exactly one incident file (schema v1, 0600)
# with the whole failing chain and one log line with the decoded cause; failures
# of one VM within the window share an incident, later ones get their own; the
# number and total size of incident files are capped; a symbolic link in place of
# the incident directory is refused; the rotated trace files hold every row once.
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "record: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-recr.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 777 "$T"

as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	else
		"$@"
	fi
}

HDR="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
S=1764000000000000000	# 2025-11-24T16:00:00Z in ns

# An SNP launch failing on its CPUID page, rows in kernel exit order (as tests/cli/launch_replay.sh),
# with MMU traffic of the same VM around it and another VM's events that must not be in the incident.
{
	echo "$HDR"
	echo "$((S + 1000)),0,700,qemu-system-x86,700,00000000000000cc,snp,launch_start,sev_mem_enc_ioctl,1,,,,,,,,5000,0,,0,SUCCESS,SNP_LAUNCH_START,"
	for i in $(seq 1 50); do
		echo "$((S + 1000 + i)),1,700,qemu-system-x86,700,00000000000000cc,mmu,unmap,kvm_unmap_gfn_range,,0,1,0x40000,0x40004,4,,,300,0,,,,,"
		echo "$((S + 1000 + i)),1,800,other-vmm,800,00000000000000dd,mmu,unmap,kvm_unmap_gfn_range,,0,1,0x40000,0x40004,4,,,300,0,,,,,"
	done
	echo "$((S + 2000)),0,700,qemu-system-x86,700,00000000000000cc,snp,launch_update,sev_mem_enc_ioctl,2,,,0x0,0x800,2048,0x7f0000000000,0x7f0000800000,900000,0,,0,SUCCESS,SNP_LAUNCH_UPDATE,NORMAL"
	echo "$((S + 3100)),0,700,qemu-system-x86,,,psp,psp_cmd,__sev_do_cmd_locked,3,,,,,,,,4000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,"
	echo "$((S + 3000)),0,700,qemu-system-x86,700,00000000000000cc,snp,post_populate,sev_gmem_post_populate,3,,,0x80e,0x80f,1,,,9000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID"
	echo "$((S + 2900)),0,700,qemu-system-x86,700,00000000000000cc,snp,populate,kvm_gmem_populate,3,,,0x80e,0x80f,1,0x7f0000900000,0x7f0000901000,12000,-5,EIO,,,,"
	echo "$((S + 2800)),0,700,qemu-system-x86,700,00000000000000cc,snp,launch_update,sev_mem_enc_ioctl,3,,,0x80e,0x80f,1,0x7f0000900000,0x7f0000901000,15000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID"
	# 1 s later, inside a 2 s window; 10 s later, outside it
	echo "$((S + 1000000000)),0,700,qemu-system-x86,700,00000000000000cc,mmu,unmap,kvm_unmap_gfn_range,,0,1,0x40000,0x40004,4,,,300,0,,,,,"
	echo "$((S + 10000000000)),0,700,qemu-system-x86,700,00000000000000cc,mmu,unmap,kvm_unmap_gfn_range,,0,1,0x40000,0x40004,4,,,300,0,,,,,"
} >"$T/launch.csv"
chmod 644 "$T/launch.csv"
mkdir "$T/d1" && chown 65534 "$T/d1" 2>/dev/null
as_user "$GFNTOP" record -r "$T/launch.csv" --dir "$T/d1" --no-trace >"$T/out1" 2>"$T/err1"
check "record -r: exits 0 as an unprivileged user (status $?)" test $? -eq 0
inc=$(ls "$T/d1/incidents")
check "record -r: one incident file, named <UTC time>-<vm_pid>-<step>.csv ($inc)" \
	test "$inc" = "20251124T160000.000003Z-700-launch_update.csv"
f="$T/d1/incidents/$inc"
check "record -r: the incident file is mode 0600" test "$(stat -c %a "$f")" = 600
check "record -r: it is a schema-v1 trace that replays" sh -c "test \"\$(head -1 '$f')\" = '$HDR' && '$GFNTOP' -r '$f' >/dev/null"
check "record -r: it holds only VM 700's events" test "$(csv_columns "$f" pid | sort -u)" = 700
check "record -r: it holds the whole failing chain (psp, post_populate, populate, ioctl) and the launch's start" \
	test "$(csv_columns "$f" op iter_id | awk '$2 == 3 || $1 == "launch_start"' | awk '{print $1}' | tr '\n' ' ')" = \
	"launch_start psp_cmd post_populate populate launch_update "
check "record -r: it holds the VM's events before the failure (50 unmaps) and 1 s after it, not 10 s after" \
	test "$(csv_columns "$f" op | grep -c '^unmap$')" -eq 51
check "record -r: one log line names the VM, the decoded failure and the cause in words" \
	grep -q "^gfntop: incident: VM 700: FAILED launch_update gfn 0x80e CPUID: EIO, fw INVALID_PARAM (0x16), SNP_LAUNCH_UPDATE; likely cause: firmware rejected the CPUID page (INVALID_PARAM).*in $f\$" "$T/err1"
check "record -r: --no-trace writes no trace file" test -z "$(ls "$T/d1" | grep -v '^incidents$')"

# A failure outside any launch (attr) is decoded from its own event; a second failure
# of the same VM 10 s later, after the window, is an incident of its own.
{
	echo "$HDR"
	echo "$((S + 5000)),1,900,vmm,900,00000000000000ee,attr,attr_pre,kvm_arch_pre_set_memory_attributes,,0,2,0x100,0x200,256,,,700,-14,EFAULT,,,,"
	echo "$((S + 10000005000)),1,900,vmm,900,00000000000000ee,attr,attr_pre,kvm_arch_pre_set_memory_attributes,,0,2,0x100,0x200,256,,,700,-14,EFAULT,,,,"
} >"$T/attr.csv"
chmod 644 "$T/attr.csv"
mkdir "$T/d2" && chown 65534 "$T/d2" 2>/dev/null
as_user "$GFNTOP" record -r "$T/attr.csv" --dir "$T/d2" --no-trace >/dev/null 2>"$T/err2"
check "record -r: two failures 10 s apart are two incidents" test "$(ls "$T/d2/incidents" | wc -l)" -eq 2
check "record -r: a failure outside a launch is decoded from its event" \
	grep -q "incident: VM 900: attr_pre (kvm_arch_pre_set_memory_attributes) failed: EFAULT, gfn 0x100 slot 2;" "$T/err2"

# Caps: 20 VMs fail, one incident each; --incident-keep 5 keeps the 5 newest, a size cap fewer.
{
	echo "$HDR"
	for v in $(seq 1 20); do
		echo "$((S + v * 1000)),0,$((1000 + v)),vmm,$((1000 + v)),00000000000000ff,snp,launch_start,sev_mem_enc_ioctl,$v,,,,,,,,5000,-22,EINVAL,,,SNP_LAUNCH_START,"
	done
} >"$T/many.csv"
chmod 644 "$T/many.csv"
mkdir "$T/d3" "$T/d4" && chown 65534 "$T/d3" "$T/d4" 2>/dev/null
as_user "$GFNTOP" record -r "$T/many.csv" --dir "$T/d3" --no-trace --incident-keep 5 >/dev/null 2>"$T/err3"
check "record -r: --incident-keep 5 keeps 5 of 20 incident files" test "$(ls "$T/d3/incidents" | wc -l)" -eq 5
check "record -r: ... the newest (VMs 1016 to 1020)" \
	test "$(ls "$T/d3/incidents" | cut -d- -f2 | tr '\n' ' ')" = "1016 1017 1018 1019 1020 "
check "record -r: every one of the 20 was logged" test "$(grep -c 'incident: VM' "$T/err3")" -eq 20
one=$(stat -c %s "$T/d3/incidents/"* | head -1)
as_user "$GFNTOP" record -r "$T/many.csv" --dir "$T/d4" --no-trace --incident-keep "$((one * 3 + one / 2))B" >/dev/null 2>&1
check "record -r: --incident-keep SIZE keeps what fits in SIZE (3 files of $one bytes in $((one * 3 + one / 2)))" \
	test "$(ls "$T/d4/incidents" | wc -l)" -eq 3

# Never through a symbolic link: incidents/ as a link to elsewhere is refused.
mkdir "$T/d5" "$T/elsewhere" && ln -s "$T/elsewhere" "$T/d5/incidents" && chown -h 65534 "$T/d5" "$T/d5/incidents" "$T/elsewhere" 2>/dev/null
as_user "$GFNTOP" record -r "$T/launch.csv" --dir "$T/d5" --no-trace >/dev/null 2>"$T/err5"
rc=$?
check "record -r: a symlink as the incident directory is refused (status $rc)" test $rc -eq 1
check "record -r: ... with a message naming it" grep -q "$T/d5/incidents" "$T/err5"
check "record -r: ... and nothing written through it" test -z "$(ls "$T/elsewhere")"

# ... nor a symbolic link anywhere on the way to --dir
mkdir "$T/real" && ln -s "$T/real" "$T/via" && chown -h 65534 "$T/real" "$T/via" 2>/dev/null
as_user "$GFNTOP" record -r "$T/launch.csv" --dir "$T/via/d" >/dev/null 2>"$T/err5b"
check "record -r: a symlink on the way to --dir is refused (status $?)" test -z "$(ls "$T/real")"

# Rotation over a replayed trace: files of at most 64K, every row exactly once, in order.
{
	echo "$HDR"
	for i in $(seq 1 3000); do
		echo "$((S + i)),1,700,qemu,700,00000000000000cc,mmu,unmap,kvm_unmap_gfn_range,,0,1,0x$(printf %x $i),0x$(printf %x $((i + 4))),4,,,300,0,,,,,"
	done
} >"$T/big.csv"
chmod 644 "$T/big.csv"
mkdir "$T/d6" && chown 65534 "$T/d6" 2>/dev/null
as_user "$GFNTOP" record -r "$T/big.csv" --dir "$T/d6" --rotate 64K --keep 100 >/dev/null 2>"$T/err6"
check "record -r: rotation by size made several files ($(ls "$T/d6" | grep -c '^trace-'))" test "$(ls "$T/d6" | grep -c '^trace-')" -ge 3
big=0
for f in "$T/d6"/trace-*.csv; do
	[ "$(stat -c %s "$f")" -le 65536 ] || big=$((big + 1))
	[ "$(head -1 "$f")" = "$HDR" ] || big=$((big + 1))
done
check "record -r: each file at most 64K and starting with the header" test $big -eq 0
check "record -r: the files together hold every row once, in order" \
	cmp -s <(tail -n +2 "$T/big.csv") <(for f in "$T/d6"/trace-*.csv; do tail -n +2 "$f"; done)
as_user "$GFNTOP" record -r "$T/big.csv" --dir "$T/d6" --rotate 64K --keep 2 >/dev/null 2>&1
check "record -r: --keep 2 leaves 2 trace files" test "$(ls "$T/d6" | grep -c '^trace-')" -eq 2

# Bad input: exit 2 naming file, line and column; incidents already complete stay.
printf '%s\n1,2,3\n' "$HDR" >"$T/bad.csv"
chmod 644 "$T/bad.csv"
mkdir "$T/d7" && chown 65534 "$T/d7" 2>/dev/null
as_user "$GFNTOP" record -r "$T/bad.csv" --dir "$T/d7" >/dev/null 2>"$T/err7"
rc=$?
check "record -r: a malformed trace exits 2 (status $rc)" test $rc -eq 2
check "record -r: ... naming file and line" grep -q "$T/bad.csv:2:" "$T/err7"
as_user "$GFNTOP" record --bogus >/dev/null 2>"$T/err8"
check "record: an unknown option exits 2" test $? -eq 2
"$GFNTOP" record --help | grep -q -- "--rotate SIZE|DURATION"
check "record: --help lists --rotate" test $? -eq 0
"$GFNTOP" --help | grep -q "gfntop record \[OPTIONS\]"
check "gfntop --help lists the record command" test $? -eq 0
exit 0
