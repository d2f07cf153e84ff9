#!/bin/bash
# Live tier: detection on this machine's kernel. Here fentry is refused (EPERM) and
# there are no kprobes: gfntop must say so per probe, fall back to the tp family on
# its own, and when nothing at all can attach, exit 1 saying what is missing.
. "$(dirname "$0")/../lib.sh"

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -e /sys/kernel/btf/vmlinux ] || { requirement_missing live "kernel has no BTF"; exit 0; }
T=$(mktemp -d /tmp/gfntop-detect.XXXXXX)
trap 'rm -rf "$T"' EXIT

"$GFNTOP" --list-probes >"$T/list" 2>"$T/err"
check "detect: --list-probes exits 0" test $? -eq 0
check "detect: one line per attach point with family, target, kind, state, reason" \
	test "$(awk 'NR > 1 && NF < 5' "$T/list" | wc -l)" -eq 0
check "detect: the tp family attaches (BTF raw tracepoints)" \
	test "$(awk '$1 == "tp" && $4 == "ok"' "$T/list" | wc -l)" -eq 3
fentry_works=0
awk '$1 == "mmu" && $4 == "ok"' "$T/list" | grep -q . && fentry_works=1
if [ $fentry_works = 0 ]; then
	check "detect: every mmu function present is reported refused with the reason" \
		test "$(awk '$1 == "mmu" && $4 == "refused" && !/refused: E[A-Z]+/' "$T/list" | wc -l)" -eq 0
	check "detect: absent functions are reported missing" \
		grep -Eq '^mmu +kvm_set_spte_gfn +fentry +missing +not in BTF or kallsyms' "$T/list"

	"$GFNTOP" -P mmu -b -d 0.2 -n 1 >"$T/out" 2>"$T/err"
	rc=$?
	check "detect: -P mmu falls back to tp and runs (status $rc)" test $rc -eq 0
	check "detect: the fallback is announced" grep -q "falling back to the tp family" "$T/err"
	check "detect: the refused family is reported with its reason" grep -q "mmu: 0/9 probes attached: fentry refused" "$T/err"
else
	echo "# SKIP detect: fentry works on this kernel; the refusal path is covered by GFNTOP_METHODS below"
fi

GFNTOP_METHODS=fentry "$GFNTOP" -P tp -b -n 1 >"$T/out" 2>"$T/err"
rc=$?
check "detect: nothing can attach -> exit 1 (status $rc)" test $rc -eq 1
check "detect: ... with a message naming what is missing" grep -q "no probe could attach" "$T/err"
check "detect: ... per probe" grep -q "tp kvm:kvm_unmap_hva_range: unsupported (tp_btf: disabled by GFNTOP_METHODS" "$T/err"

mkdir -p "$T/nobtf"
GFNTOP_BTF_DIR="$T/nobtf" "$GFNTOP" -b -n 1 >/dev/null 2>"$T/err"
rc=$?
check "detect: a kernel without BTF -> exit 1 (status $rc)" test $rc -eq 1
check "detect: ... with a clear message" grep -q "kernel has no BTF (.*): gfntop needs a kernel built with CONFIG_DEBUG_INFO_BTF=y" "$T/err"
exit 0
