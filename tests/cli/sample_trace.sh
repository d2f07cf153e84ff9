#!/bin/bash
# CLI tier: the committed sample (tests/data/sample-mmu.csv, recorded by gfntop in a
# Debian 6.12 guest with tests/vm/in-guest.sh) replays with per-VM and per-slot counts
# equal to what the rows say, counted independently here; `make demo` shows it.
. "$(dirname "$0")/../lib.sh"

S="$GFNTOP_ROOT/tests/data/sample-mmu.csv"
[ -x "$GFNTOP" ] && [ -f "$S" ] || { not_ok "sample: gfntop and the sample exist"; exit 0; }
out=$("$GFNTOP" -r "$S")
check "sample: replay exits 0" test $? -eq 0

vm_pid=$(sed -n 's/^vm_pid=//p' "$GFNTOP_ROOT/tests/data/sample-mmu.truth")
# independent counts from the CSV: rows of this VM with a vm_id (mmu rows) and without (tp rows,
# taken from the VMM's own task); rows naming no VM at all (tp rows in kernel threads), per thread
mmu_ops=$(csv_columns "$S" vm_pid vm_id | awk -v p="$vm_pid" '$1 == p && NF == 2' | wc -l)
tp_ops=$(csv_columns "$S" vm_pid vm_id | awk -v p="$vm_pid" '$1 == p && NF == 1' | wc -l)
vm_id=$(csv_columns "$S" vm_pid vm_id | awk -v p="$vm_pid" '$1 == p && NF == 2 { print $2; exit }')
kthreads=$(awk -F, 'NR > 1 && $5 == "" && $6 == "" { print $3, $4 }' "$S" | sort | uniq -c | awk '{ print $2, $3, $1 }')
unmap_s1=$(csv_columns "$S" vm_pid op slot | awk -v p="$vm_pid" '$1 == p && $2 == "unmap" && $3 == 1' | wc -l)
madvised_s1=$(grep -c '^madvise slot=1 ' "$GFNTOP_ROOT/tests/data/sample-mmu.truth")
check "sample: the VM's tracepoint and mmu rows are one VM row of $((mmu_ops + tp_ops)) ops ($mmu_ops + $tp_ops)" \
	grep -Eq "^ +$vm_pid +kvm_madvise +$vm_id +$((mmu_ops + tp_ops)) " <<<"$out"
check "sample: ... and no second row for the VMM" test "$(grep -Ec "^ +$vm_pid +kvm_madvise " <<<"$out")" -eq 1
check "sample: the kernel threads acting for no known VM are a group of their own" \
	grep -q -- "-- kernel threads acting for no known VM" <<<"$out"
while read -r tid comm n; do
	check "sample: ... $comm (pid $tid) with its $n tracepoint ops, no VM_ID" \
		sh -c "sed -n '/kernel threads acting for no known VM/,/TOTAL/p' | grep -Eq '^ +$tid +$comm +- +$n '" <<<"$out"
done <<<"$kthreads"
check "sample: the TOTAL row counts every event" grep -Eq "^ +TOTAL +$(($(wc -l <"$S") - 1)) " <<<"$out"
check "sample: slot 1 unmap row shows $unmap_s1 ops = $madvised_s1 madvised ranges" \
	test "$unmap_s1" -eq "$madvised_s1" -a -n "$(grep -E "^ +$vm_pid +[0-9a-f]{16} +0 +1 unmap +$unmap_s1 " <<<"$out")"
check "sample: no kernel address in the sample (vm_id is a hash; hva are user addresses)" \
	test "$(grep -ciE '0xffff[89a-f][0-9a-f]{11}' "$S")" -eq 0
check "sample: make demo replays it" sh -c "make -s -C \"$GFNTOP_ROOT\" demo >/dev/null"
exit 0
