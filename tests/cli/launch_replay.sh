#!/bin/bash
# CLI tier: an SNP launch that fails on the CPUID page, as gfntop records it (rows in
# kernel exit order: PSP command, post_populate, populate, then the ioctl), replayed:
# the batch summary must show the launch state line and the cause in words.
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "launch: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-launch.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/launch.csv" <<'CSV'
ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type
1000,0,700,qemu-system-x86,700,00000000000000cc,snp,launch_start,sev_mem_enc_ioctl,1,,,,,,,,5000,0,,0,SUCCESS,SNP_LAUNCH_START,
2000,0,700,qemu-system-x86,700,00000000000000cc,snp,launch_update,sev_mem_enc_ioctl,2,,,0x0,0x800,2048,0x7f0000000000,0x7f0000800000,900000,0,,0,SUCCESS,SNP_LAUNCH_UPDATE,NORMAL
3100,0,700,qemu-system-x86,,,psp,psp_cmd,__sev_do_cmd_locked,3,,,,,,,,4000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,
3000,0,700,qemu-system-x86,700,00000000000000cc,snp,post_populate,sev_gmem_post_populate,3,,,0x80e,0x80f,1,,,9000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID
2900,0,700,qemu-system-x86,700,00000000000000cc,snp,populate,kvm_gmem_populate,3,,,0x80e,0x80f,1,0x7f0000900000,0x7f0000901000,12000,-5,EIO,,,,
2800,0,700,qemu-system-x86,700,00000000000000cc,snp,launch_update,sev_mem_enc_ioctl,3,,,0x80e,0x80f,1,0x7f0000900000,0x7f0000901000,15000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID
CSV
chmod 644 "$T/launch.csv"
"$GFNTOP" -r "$T/launch.csv" >"$T/out" 2>&1
check "launch: replay exits 0" test $? -eq 0
check "launch: the state line names step, gfn, page type, errno, firmware status and PSP command" \
	grep -q "^ *700 00000000000000cc FAILED launch_update gfn 0x80e CPUID: EIO, fw INVALID_PARAM (0x16), SNP_LAUNCH_UPDATE\$" "$T/out"
check "launch: the cause is stated in words" \
	grep -q "cause: firmware rejected the CPUID page (INVALID_PARAM): the CPUID values the VMM supplied" "$T/out"
"$GFNTOP" -r "$T/launch.csv" -e -w - 2>/dev/null >"$T/errors.csv"
check "launch: -e keeps the failing chain (psp, post_populate, populate, ioctl)" \
	test "$(csv_columns "$T/errors.csv" op | tail -n +1 | tr '\n' ' ')" = "psp_cmd post_populate populate launch_update "
exit 0
