#!/bin/bash
# Attach time (issue 7, item 5): how long gfntop takes to be recording.
#
#   start         exec of `gfntop -b -w FILE` (every family) until its
#                 "tracing" line: BTF and kallsyms read, probes detected,
#                 loaded and attached, the trace's header written
#   list-probes   the whole `gfntop --list-probes` run: every probe's real
#                 load and attach trial, then detach
# On this machine (only the tp family can attach: fentry is refused, there are
# no kprobes) and, in full mode, inside a QEMU guest running Debian's 6.12
# (software emulation: its times are not a real host's), where every family
# that the kernel has attaches through fentry.
#
# bench/attach.sh --here measures the machine it runs on (what the guest runs).
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_ATTACH_ROUNDS:-$(quick && echo 2 || echo 5)}

# measure_here: "start_s list_s probes-line" per round, on this kernel
measure_here() {
	local T r t0 t1 g list
	T=$(mktemp -d /tmp/gfntop-bench-attach.XXXXXX)
	for ((r = 0; r < ROUNDS; r++)); do
		rm -f "$T/trace.csv" "$T/err"
		t0=$(date +%s%N)
		"$GFNTOP" -b -d 3600 -w "$T/trace.csv" >/dev/null 2>"$T/err" &
		g=$!
		until grep -q '^gfntop: tracing' "$T/err" 2>/dev/null || ! kill -0 $g 2>/dev/null; do sleep 0.005; done
		t1=$(date +%s%N)
		kill -INT $g 2>/dev/null
		wait $g
		list=$(time_cmd "$GFNTOP" --list-probes) || list=failed
		echo "$(calc "($t1 - $t0) / 1e9") $list $(sed -n 's/^gfntop: tracing (probes \(.*\)); .*/\1/p' "$T/err")"
	done
	rm -rf "$T"
}

if [ "${1:-}" = --here ]; then
	measure_here
	exit 0
fi

echo "## Attach time"
echo
[ "$(id -u)" -eq 0 ] || { requirement_missing bench "attach: not root"; exit 0; }

# table LABEL < rounds: one Markdown row of min/median/max for both measures
table_row() {
	local label=$1 rounds
	rounds=$(cat)
	read -r smn smd smx < <(echo "$rounds" | awk '{ print $1 }' | stats)
	read -r lmn lmd lmx < <(echo "$rounds" | awk '{ print $2 }' | stats)
	probes=$(echo "$rounds" | head -1 | cut -d' ' -f3-)
	echo "| $label | $probes | $smn / $smd / $smx | $lmn / $lmd / $lmx |"
	eval "start_${2}=$smd"
}

here=$(measure_here)
echo "| where | probes attached (family ok/total) | start to recording, s (min / median / max) | --list-probes, s |"
echo "|---|---|---:|---:|"
table_row "this machine, kernel $(uname -r)" host <<<"$here"
guest_status=skipped
if ! quick; then
	G=$(mktemp -d /tmp/gfntop-bench-attach-vm.XXXXXX)
	if "$BENCH_ROOT/tests/vm/guest-run" --kernel 6.12 --timeout 600 --out "$G" -- \
		env BENCH_ATTACH_ROUNDS="$ROUNDS" GFNTOP_BIN="$GFNTOP" bash bench/attach.sh --here >"$G/run.log" 2>&1; then
		guest=$(grep -E '^[0-9.]+ [0-9.]+ ' "$G/run.log")
		table_row "QEMU/TCG guest (emulated), Debian $(cat ~/.cache/gfntop/kernels/6.12/version 2>/dev/null || echo 6.12)" guest <<<"$guest"
		guest_status=ok
	else
		guest_status=failed
		tail -20 "$G/run.log" | sed 's/^/# /'
	fi
	rm -rf "$G"
fi
echo
echo "$ROUNDS rounds each; $(machine)."
echo
budget "attach: start to recording on this machine, s (gross limit)" "$start_host" 5
if ! quick; then
	if [ $guest_status = ok ]; then
		ok "attach: measured in a 6.12 guest (every family its kernel has, through fentry)"
	else
		not_ok "attach: measured in a 6.12 guest" "the guest did not run (see above)"
	fi
fi
