#!/bin/bash
# Loss at the highest rate (issue 7, item 3).
#
# One kvm_refault per CPU, unpinned, as fast as they go: the most
# kvm_unmap_hva_range events this machine makes, while gfntop (on the same
# cores) records every one to a CSV file.
#   default buffer   gfntop -P tp -w FILE: must record every event, lose none
#   tiny buffer      the same with --ringbuf-size 4096 (about 30 events): it
#                    must lose events, and its rows plus its op=lost count must
#                    equal what the workloads generated, exactly
# The workloads stop themselves before their first madvise; gfntop starts
# filtered to their pids (-p, in the kernel), so that other users of KVM on
# the host (DAMON's kdamond ageing their pages, say) neither add rows nor
# fill the tiny buffer; every row's pid is still checked.
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_LOSS_ROUNDS:-$(quick && echo 1 || echo 3)}
CYCLES=${BENCH_CYCLES:-$(quick && echo 100000 || echo 400000)}
NWORK=$(nproc)

echo "## Loss at the highest rate"
echo
[ "$(id -u)" -eq 0 ] || { requirement_missing bench "loss: not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing bench "loss: no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-bench-loss.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

# run_once LABEL GFNTOP_ARGS...: prints "generated recorded lost foreign ev_per_s"
run_once() {
	local label=$1
	shift
	rm -f "$T/$label.csv"
	local i pids=() generated=0 slowest=0
	for ((i = 0; i < NWORK; i++)); do
		"$BENCH_BIN/kvm_refault" -S -n "$CYCLES" >"$T/w$i.out" &
		pids+=($!)
	done
	for i in "${pids[@]}"; do wait_stopped "$i"; done
	"$GFNTOP" -b -d 1 -P tp -p "$(IFS=,; echo "${pids[*]}")" -w "$T/$label.csv" "$@" \
		>"$T/$label.txt" 2>"$T/$label.err" &
	local g=$!
	wait_for_line "$T/$label.err" '^gfntop: tracing' || { echo "0 0 0 0 0"; kill $g "${pids[@]}"; return 1; }
	kill -CONT "${pids[@]}"
	wait "${pids[@]}"
	kill -INT $g
	wait $g
	for ((i = 0; i < NWORK; i++)); do
		local out
		out=$(cat "$T/w$i.out")
		generated=$((generated + $(kv events "$out")))
		slowest=$(awk -v a="$slowest" -v b="$(kv ns_total "$out")" 'BEGIN { print (b > a) ? b : a }')
		echo "$(kv pid "$out")" >>"$T/$label.pids"
	done
	awk -F, -v pidfile="$T/$label.pids" -v generated=$generated -v ns=$slowest -v cycles=$CYCLES -v nw=$NWORK '
		BEGIN { while ((getline p < pidfile) > 0) ours[p] = 1 }
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["op"] == "lost" { lost += $c["ret"]; next }
		{ rows++ }
		!($c["pid"] in ours) { foreign++; print "# foreign row: pid " $c["pid"] " comm " $c["comm"] " op " $c["op"] > "/dev/stderr" }
		END { printf "%d %d %d %d %.0f\n", generated, rows, lost, foreign, cycles * nw / (ns / 1e9) }' "$T/$label.csv"
	rm -f "$T/$label.pids"
}

echo "$NWORK workloads of $CYCLES cycles each, unpinned, gfntop on the same $(nproc) CPUs; $(machine)."
echo
echo "| buffer | round | generated | recorded | lost | recorded + lost | events/s (all workloads) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
default_ok=1 tiny_ok=1 tiny_lost_some=1 foreign_rows=0
for ((r = 0; r < ROUNDS; r++)); do
	for buf in default tiny; do
		if [ $buf = tiny ]; then args=(--ringbuf-size 4096); else args=(); fi
		read -r gen rec lost foreign rate < <(run_once "$buf" "${args[@]}")
		echo "| $buf | $r | $gen | $rec | $lost | $((rec + lost)) | $rate |"
		foreign_rows=$((foreign_rows + foreign))
		if [ $buf = default ]; then
			[ "$rec" = "$gen" ] && [ "$lost" = 0 ] || default_ok=0
		else
			[ $((rec + lost)) = "$gen" ] || tiny_ok=0
			[ "$lost" -gt 0 ] || tiny_lost_some=0
		fi
	done
done
echo
if [ "$foreign_rows" -gt 0 ]; then
	not_ok "loss: only the workloads drove KVM meanwhile" "$foreign_rows rows came from other processes: the counts cannot be exact"
fi
check "loss: default buffer at the highest rate: every event recorded, none lost" test $default_ok = 1
check "loss: tiny buffer: recorded + lost = generated, exactly" test $tiny_ok = 1
check "loss: tiny buffer: it did lose events (the check above is not vacuous)" test $tiny_lost_some = 1
