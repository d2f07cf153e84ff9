#!/bin/bash
# Probe overhead on the traced operation (issue 7, item 2).
#
# bench/src/kvm_refault times madvise(MADV_DONTNEED)+refault cycles on memory a
# KVM VM maps; each cycle fires kvm:kvm_unmap_hva_range exactly once. It runs
# pinned to one CPU, alone and under each recorder, in alternating rounds
# (the order rotates every round). Overhead per event = median ns/cycle under
# the recorder - median ns/cycle alone. Every recorder's count is checked
# against the workload's: nothing may be lost.
#
# The peers (both modes; BENCH_QUICK=1 runs alone, gfntop, bt_count, bare):
#   alone           nothing attached
#   gfntop          gfntop -b -P tp -w FILE: every event recorded to a CSV file
#   bt_stream       bpftrace, printf per event (classic tracepoint), to a file
#   bt_count        bpftrace, count() in the kernel (classic tracepoint)
#   bare            bench/src/bare_recorder: tp_btf, ring-buffer reserve/submit
#                   of a 32-byte record, no wake-up, a consumer that only counts
#   empty           an empty tp_btf program: the cost of the hook itself
# Where gfntop's cost goes (full mode only):
#   gfntop_kernel   gfntop stopped (SIGSTOP) for the run: its BPF side alone
#                   (64 MiB buffer, so that nothing is lost)
#   gfntop_nocsv    gfntop without -w: the consumer drains and aggregates only
#   gfntop_samecpu  gfntop pinned to the workload's CPU: consumer and CSV
#                   formatting compete with the traced operation
#   gfntop_classic  GFNTOP_METHODS=tracepoint: a classic tracepoint program
#   bare128         the bare recorder with gfntop's record size (128 B, zeroed)
#   bare_wake       the bare recorder with the kernel's default wake-up
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_ROUNDS:-$(quick && echo 3 || echo 7)}
CYCLES=${BENCH_CYCLES:-$(quick && echo 50000 || echo 200000)}
if quick; then
	MODES="alone gfntop bt_count bare"
else
	MODES="alone gfntop bt_stream bt_count bare empty gfntop_kernel gfntop_nocsv gfntop_samecpu gfntop_classic bare128 bare_wake"
fi
MODES=${BENCH_MODES:-$MODES}	# a subset, for a closer look (the budget lines need gfntop, bt_count, bare)

echo "## Probe overhead: madvise(DONTNEED)+refault cycles under each recorder"
echo
[ "$(id -u)" -eq 0 ] || { requirement_missing bench "probe overhead: not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing bench "probe overhead: no /dev/kvm"; exit 0; }
command -v bpftrace >/dev/null || { requirement_missing bench "probe overhead: no bpftrace (scripts/deps.sh installs it)"; exit 0; }
mount_tracefs
T=$(mktemp -d /tmp/gfntop-bench.XXXXXX)
peer=""
trap '[ -n "$peer" ] && kill -CONT "$peer" 2>/dev/null && kill "$peer" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

BT_PROBE='tracepoint:kvm:kvm_unmap_hva_range'

start_peer() {	# start_peer MODE: starts it, returns once it is attached
	local mode=$1
	rm -f "$T/peer.out" "$T/peer.err" "$T/peer.txt"
	case $mode in
	alone) peer=""; return 0 ;;
	gfntop) "$GFNTOP" -b -d 3600 -P tp -w "$T/peer.out" >"$T/peer.txt" 2>"$T/peer.err" & ;;
	gfntop_kernel) "$GFNTOP" -b -d 3600 -P tp --ringbuf-size $((64 << 20)) -w "$T/peer.out" \
			>"$T/peer.txt" 2>"$T/peer.err" & ;;
	gfntop_nocsv) "$GFNTOP" -b -d 3600 -P tp >"$T/peer.txt" 2>"$T/peer.err" & ;;
	gfntop_samecpu) taskset -c "$WORKLOAD_CPU" "$GFNTOP" -b -d 3600 -P tp -w "$T/peer.out" \
			>"$T/peer.txt" 2>"$T/peer.err" & ;;
	gfntop_classic) GFNTOP_METHODS=tracepoint "$GFNTOP" -b -d 3600 -P tp -w "$T/peer.out" \
			>"$T/peer.txt" 2>"$T/peer.err" & ;;
	bt_stream) bpftrace -e "$BT_PROBE { printf(\"%llu %d %lx %lx\\n\", nsecs, pid, args->start, args->end); }" \
			>"$T/peer.out" 2>"$T/peer.err" & ;;
	bt_count) bpftrace -e "$BT_PROBE { @ = count(); }" >"$T/peer.out" 2>"$T/peer.err" & ;;
	bare) "$BENCH_BIN/bare_recorder" record >"$T/peer.out" 2>"$T/peer.err" & ;;
	bare128) "$BENCH_BIN/bare_recorder" record128 >"$T/peer.out" 2>"$T/peer.err" & ;;
	bare_wake) "$BENCH_BIN/bare_recorder" record-wake >"$T/peer.out" 2>"$T/peer.err" & ;;
	empty) "$BENCH_BIN/bare_recorder" empty >"$T/peer.out" 2>"$T/peer.err" & ;;
	*) echo "probe_overhead: unknown mode $mode" >&2; return 1 ;;
	esac
	peer=$!
	case $mode in
	gfntop_nocsv) wait_for_line "$T/peer.err" '^gfntop: tracing' ;;
	gfntop*) wait_for_line "$T/peer.out" '^ts_ns,' && wait_for_line "$T/peer.err" '^gfntop: tracing' ;;
	bt_*) wait_for_line "$T/peer.out" '^Attaching' && sleep 1 ;;	# it attaches right after
	*) wait_for_line "$T/peer.out" '^ready' ;;
	esac
}

stop_peer() {	# stop_peer MODE: stops the peer and waits for its last words
	[ -z "$peer" ] && return
	[ "$1" = gfntop_kernel ] && kill -CONT "$peer"
	kill -INT "$peer"
	wait "$peer"
	peer=""
}

# peer_counts MODE PID EVENTS: "SEEN LOST": how many of the workload's events
# the stopped peer recorded (or, for the counters, how many events of the host
# it counted), and how many it reported lost
peer_counts() {
	local mode=$1 pid=$2 events=$3
	case $mode in
	alone | empty) echo "$events 0" ;;
	gfntop_nocsv) sed -n 's/^gfntop summary: \([0-9]*\) events, \([0-9]*\) lost.*/\1 \2/p' "$T/peer.txt" ;;
	gfntop*) awk -F, -v pid="$pid" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["op"] == "lost" { lost += $c["ret"] } $c["pid"] == pid { n++ }
			END { print n + 0, lost + 0 }' "$T/peer.out" ;;
	bt_stream) awk -v pid="$pid" '$2 == pid { n++ } END { print n + 0, 0 }' "$T/peer.out" ;;
	bt_count) echo "$(sed -n 's/^@: //p' "$T/peer.out") 0" ;;
	bare*) sed -n 's/^records=\([0-9]*\) lost=\([0-9]*\)$/\1 \2/p' "$T/peer.out" ;;
	esac
}

# recorded_all MODE SEEN LOST EVENTS: did the peer record every event of the workload?
recorded_all() {
	local mode=$1 seen=${2:-0} lost=${3:-x} events=$4
	case $mode in
	gfntop | gfntop_kernel | gfntop_samecpu | gfntop_classic | bt_stream)	# exactly the workload's rows
		[ "$seen" = "$events" ] && [ "$lost" = 0 ] ;;
	*)	# host-wide counters: at least the workload's events
		[ "$seen" -ge "$events" ] && [ "$lost" = 0 ] ;;
	esac
}

gfntop_missed=0 peer_missed=0
for ((r = 0; r < ROUNDS; r++)); do
	for mode in $(rotate "$r" $MODES); do
		if ! start_peer "$mode"; then
			not_ok "probe overhead: $mode started" "$(tail -3 "$T/peer.err" 2>/dev/null)"
			exit 0
		fi
		[ "$mode" = gfntop_kernel ] && kill -STOP "$peer"
		if ! out=$(taskset -c "$WORKLOAD_CPU" "$BENCH_BIN/kvm_refault" -n "$CYCLES"); then
			not_ok "probe overhead: the workload ran under $mode"
			exit 0
		fi
		events=$(kv events "$out")
		stop_peer "$mode"
		read -r seen lost < <(peer_counts "$mode" "$(kv pid "$out")" "$events")
		if ! recorded_all "$mode" "$seen" "$lost" "$events"; then
			echo "# round $r: $mode recorded ${seen:-nothing} and lost ${lost:-?} of $events events"
			case $mode in gfntop*) gfntop_missed=$((gfntop_missed + 1)) ;; *) peer_missed=$((peer_missed + 1)) ;; esac
		fi
		kv ns_per_cycle "$out" >>"$T/$mode.ns"
	done
done

base=$(median <"$T/alone.ns")
echo "Workload: $CYCLES cycles per run, $ROUNDS alternating rounds, pinned to CPU $WORKLOAD_CPU; $(machine)."
echo
for mode in $MODES; do
	calc "$(median <"$T/$mode.ns") - $base" >"$T/$mode.over"
done
echo "| recorder | ns/cycle min | median | max | overhead ns/event | × bpftrace count() | × bare |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for mode in $MODES; do
	read -r mn md mx < <(stats <"$T/$mode.ns")
	over=$(cat "$T/$mode.over")
	row="| $mode | $mn | $md | $mx | $over"
	for ref in bt_count bare; do
		if [ "$mode" != alone ] && [ -f "$T/$ref.over" ]; then
			row="$row | $(calc "$over / $(cat "$T/$ref.over")")"
		else
			row="$row | "
		fi
	done
	echo "$row |"
done
echo
echo "Raw ns/cycle per round, in the order measured:"
echo
echo '```'
for mode in $MODES; do printf '%-15s %s\n' "$mode" "$(tr '\n' ' ' <"$T/$mode.ns")"; done
echo '```'
echo

# ---- the programs alone: in-kernel time per run, from the kernel's BPF statistics ----
# kernel.bpf_stats_enabled makes the kernel time every program run (at the
# price of two clock reads each, the same for all): the program's own cost,
# without the hook or any consumer, and steady enough to tell 10 ns apart.
if ! quick && [ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	PROG_MODES="empty bt_count bare bare128 gfntop gfntop_classic"
	prog_ids() { bpftool prog show -j | python3 -c 'import json, sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)))'; }
	# prog_ns IDS_BEFORE: ns per run of the busiest program loaded since
	prog_ns() {
		bpftool prog show -j | python3 -c '
import json, sys
old = set(sys.argv[1].split())
runs = [p for p in json.load(sys.stdin) if str(p["id"]) not in old and p.get("run_cnt")]
best = max(runs, key=lambda p: p["run_cnt"], default=None)
print(round(best["run_time_ns"] / best["run_cnt"], 1) if best else "nan")' "$1"
	}
	stats_was=$(cat /proc/sys/kernel/bpf_stats_enabled)
	for ((r = 0; r < 3; r++)); do
		for mode in $(rotate "$r" $PROG_MODES); do
			before=$(prog_ids)
			echo 1 >/proc/sys/kernel/bpf_stats_enabled
			start_peer "$mode" || { not_ok "probe overhead: $mode started (program cost)"; break 2; }
			taskset -c "$WORKLOAD_CPU" "$BENCH_BIN/kvm_refault" -n "$CYCLES" >/dev/null
			prog_ns "$before" >>"$T/$mode.prog"
			stop_peer "$mode"
			echo "$stats_was" >/proc/sys/kernel/bpf_stats_enabled
		done
	done
	echo "$stats_was" >/proc/sys/kernel/bpf_stats_enabled
	echo "The programs alone: ns per run as the kernel's BPF statistics time them (kernel.bpf_stats_enabled," \
		"which adds two clock reads to every run), 3 alternating rounds:"
	echo
	echo "| program | ns/run min | median | max |"
	echo "|---|---:|---:|---:|"
	for mode in $PROG_MODES; do
		read -r mn md mx < <(stats <"$T/$mode.prog")
		echo "| $mode | $mn | $md | $mx |"
	done
	echo
fi

[ "$peer_missed" -eq 0 ] || echo "# $peer_missed runs of a peer missed events (see above)"
if [ "$gfntop_missed" -eq 0 ]; then
	ok "probe overhead: gfntop recorded every event of every round, none lost"
else
	not_ok "probe overhead: gfntop recorded every event of every round, none lost" "$gfntop_missed runs missed events"
fi
if ! [ -f "$T/gfntop.over" ] || ! [ -f "$T/bt_count.over" ] || ! [ -f "$T/bare.over" ]; then
	echo "# BENCH_MODES without gfntop, bt_count and bare: no budget lines"
	exit 0
fi
over=$(cat "$T/gfntop.over")
if quick; then
	# gross-regression guards, on whole-cycle ratios (a small overhead divided by
	# another small, noisy one would flake): a 10x slip of gfntop's cost fails both
	budget "probe overhead (quick): gfntop's ns/cycle ÷ alone" "$(calc "$(median <"$T/gfntop.ns") / $base")" 1.5
	budget "probe overhead (quick): gfntop's ns/cycle ÷ under bpftrace count()" \
		"$(calc "$(median <"$T/gfntop.ns") / $(median <"$T/bt_count.ns")")" 1.3
else
	budget "probe overhead: gfntop ÷ bpftrace count() (budget)" "$(calc "$over / $(cat "$T/bt_count.over")")" 0.5
	# the floor: a budget that even a program doing nothing misses cannot be met by any recorder
	if [ -f "$T/empty.over" ] && ! le "$(calc "$(cat "$T/empty.over") / $(cat "$T/bt_count.over")")" 0.5; then
		echo "#   here the empty program alone costs $(calc "$(cat "$T/empty.over") / $(cat "$T/bt_count.over")")×" \
			"bpftrace count(), and the bare recorder $(calc "$(cat "$T/bare.over") / $(cat "$T/bt_count.over")")×:" \
			"no recorder of every event can meet 0.5× on this kernel"
	fi
	budget "probe overhead: gfntop ÷ bare recorder (goal)" "$(calc "$over / $(cat "$T/bare.over")")" 2
fi
