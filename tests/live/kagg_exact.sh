#!/bin/bash
# Live tier, tp family: the kernel's aggregates (no -w) and every event queued
# (-w, and without -w under GFNTOP_KAGG=0) measure the same workload alike: the
# same per-VM and per-slot operations, pages and errors, the VM named by its
# VMM's command; the aggregated run counts (nearly) all of it in the kernel.
. "$(dirname "$0")/../lib.sh"

N=${GFNTOP_LIVE_N:-2000}

[ "$(id -u)" -eq 0 ] || { requirement_missing live "not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing live "no /dev/kvm"; exit 0; }
[ -e /sys/kernel/btf/vmlinux ] || { requirement_missing live "kernel has no BTF"; exit 0; }
[ -x "$GFNTOP" ] && [ -x "$WORKLOADS/kvm_madvise" ] || { not_ok "live: binaries built" "run make tests-build"; exit 0; }
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null

T=$(mktemp -d /tmp/gfntop-kagg.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

attached() {	# attached FILE: until gfntop said it is tracing
	local t=200
	while [ $t -gt 0 ]; do
		grep -q '^gfntop: tracing' "$1" 2>/dev/null && return 0
		sleep 0.05
		t=$((t - 1))
	done
	return 1
}

# two rounds: 4 pages per call, then 1..16 pages (the page sums must agree too)
for pages in 4 16; do
	rm -f "$T/trace.csv"
	"$WORKLOADS/kvm_madvise" -n "$N" -p "$pages" -w 2 >"$T/truth" 2>"$T/wl.err" &
	wl=$!
	"$GFNTOP" -b -d 0.3 -P tp -p "$wl" >"$T/kagg.out" 2>"$T/kagg.err" &
	g1=$!
	GFNTOP_KAGG=0 "$GFNTOP" -b -d 0.3 -P tp -p "$wl" >"$T/queued.out" 2>"$T/queued.err" &
	g2=$!
	"$GFNTOP" -b -d 0.3 -P tp -p "$wl" -w "$T/trace.csv" >"$T/trace.out" 2>"$T/trace.err" &
	g3=$!
	for f in kagg queued trace; do
		attached "$T/$f.err" || { not_ok "live kagg: gfntop ($f) attached" "$(cat "$T/$f.err")"; exit 0; }
	done
	wait $wl
	check "live kagg ($pages pages): workload ran" grep -q "^done madvise=$N\$" "$T/truth"
	sleep 0.4	# an interval: the aggregates are read at the end anyway
	kill -INT $g1 $g2 $g3
	for p in $g1 $g2 $g3; do wait $p || not_ok "live kagg: gfntop pid $p exited with status $?"; done

	vm_pid=$(sed -n 's/^vm_pid=//p' "$T/truth")
	# the summary's tables without the VM_ID column (a per-run keyed hash)
	tables() { sed -n '/^gfntop summary/,$p' "$1" | awk '/^ *[0-9]+ / { $3 = ""; print }'; }
	tables "$T/kagg.out" >"$T/kagg.tab"
	tables "$T/queued.out" >"$T/queued.tab"
	tables "$T/trace.out" >"$T/trace.tab"
	check "live kagg ($pages pages): the summary has the workload's VM and row" \
		test "$(awk -v p="$vm_pid" '$1 == p' "$T/kagg.tab" | wc -l)" -ge 2
	check "live kagg ($pages pages): aggregated in the kernel = every event queued (per VM and per row)" \
		cmp -s "$T/kagg.tab" "$T/queued.tab"
	check "live kagg ($pages pages): aggregated in the kernel = recorded with -w" cmp -s "$T/kagg.tab" "$T/trace.tab"
	if ! cmp -s "$T/kagg.tab" "$T/trace.tab"; then
		diff "$T/kagg.tab" "$T/trace.tab" | sed 's/^/#   /'
	fi
	ops=$(awk -v p="$vm_pid" '$1 == p && $4 == "tp_unmap_hva" { print $5 }' "$T/kagg.tab")
	check "live kagg ($pages pages): $N unmaps counted (got ${ops:-none})" test "${ops:-0}" -ge "$N"
	counted=$(sed -n 's/^note: \([0-9]*\) events counted in the kernel.*/\1/p' "$T/kagg.out")
	check "live kagg ($pages pages): the kernel counted them (${counted:-no note}; queued run: none)" \
		test "${counted:-0}" -ge "$N" -a "$(grep -c 'counted in the kernel' "$T/queued.out")" -eq 0
	check "live kagg ($pages pages): -w wrote every event" \
		test "$(csv_columns "$T/trace.csv" op | grep -c '^tp_unmap_hva$')" -ge "$N"
done
exit 0
