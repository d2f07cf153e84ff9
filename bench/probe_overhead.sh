#!/bin/bash
# Probe overhead on the traced operation (issue 7, item 2).
#
# bench/src/kvm_refault times madvise(MADV_DONTNEED)+refault cycles on memory a
# KVM VM maps; each cycle fires kvm:kvm_unmap_hva_range exactly once. It runs
# pinned to one CPU, alone and under each peer, in alternating rounds:
#
#   alone        nothing attached
#   gfntop       gfntop -b -P tp recording every event to a CSV file
#   gfntop_stalled  the same gfntop stopped (SIGSTOP) while the workload runs: a
#                consumer that lags must not make events dearer (full mode)
#   bt_stream    bpftrace printf per event (classic tracepoint), output to a file
#   bt_count     bpftrace count() in the kernel (classic tracepoint)
#   bare         bench/src/bare_recorder: tp_btf, ring-buffer reserve/submit of a
#                32-byte record, no wake-up, a consumer that counts every 10 ms
#   bare_wake    the same with the kernel's default wake-up (informative; full mode)
#   empty        an empty tp_btf program: the cost of the hook itself
#
# Overhead per event = median ns/cycle under the peer - median ns/cycle alone.
# Every recorder's count is checked against the workload's: nothing may be lost.
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_ROUNDS:-$(quick && echo 3 || echo 7)}
CYCLES=${BENCH_CYCLES:-$(quick && echo 50000 || echo 200000)}
if quick; then
	MODES="alone gfntop bare"
else
	MODES="alone gfntop gfntop_stalled bt_stream bt_count bare bare_wake empty"
fi

echo "## Probe overhead: madvise(DONTNEED)+refault cycles under each recorder"
[ "$(id -u)" -eq 0 ] || { requirement_missing "probe overhead: not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing "probe overhead: no /dev/kvm"; exit 0; }
if ! quick && ! command -v bpftrace >/dev/null; then
	requirement_missing "probe overhead: bpftrace not installed (scripts/deps.sh installs it)"
	exit 0
fi
mount_tracefs
T=$(mktemp -d /tmp/gfntop-bench.XXXXXX)
peer=""
trap '[ -n "$peer" ] && kill "$peer" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

BT_PROBE='tracepoint:kvm:kvm_unmap_hva_range'

start_peer() {	# start_peer MODE: starts it, returns once it is attached
	local mode=$1
	rm -f "$T/peer.out" "$T/peer.err"
	case $mode in
	alone) peer=""; return 0 ;;
	gfntop*) "$GFNTOP" -b -d 3600 -P tp -w "$T/peer.out" --force ${BENCH_GFNTOP_ARGS:-} \
			>/dev/null 2>"$T/peer.err" & ;;
	bt_stream) bpftrace -e "$BT_PROBE { printf(\"%llu %d %lx %lx\\n\", nsecs, pid, args->start, args->end); }" \
			>"$T/peer.out" 2>"$T/peer.err" & ;;
	bt_count) bpftrace -e "$BT_PROBE { @ = count(); }" >"$T/peer.out" 2>"$T/peer.err" & ;;
	bare) "$BENCH_BIN/bare_recorder" record >"$T/peer.out" 2>"$T/peer.err" & ;;
	bare_wake) "$BENCH_BIN/bare_recorder" record-wake >"$T/peer.out" 2>"$T/peer.err" & ;;
	empty) "$BENCH_BIN/bare_recorder" empty >"$T/peer.out" 2>"$T/peer.err" & ;;
	esac
	peer=$!
	case $mode in
	gfntop*) wait_for_line "$T/peer.out" '^ts_ns,' ;;
	bt_*) wait_for_line "$T/peer.out" '^Attaching' && sleep 1 ;;	# attaches right after
	*) wait_for_line "$T/peer.out" '^ready' ;;
	esac
}

stop_peer() {	# stop_peer MODE: stops the peer and waits for its last words
	[ -z "$peer" ] && return
	[ "$1" = gfntop_stalled ] && kill -CONT "$peer"
	kill -INT "$peer"
	wait "$peer"
	peer=""
}

# peer_counts MODE PID EVENTS: prints "SEEN LOST": how many of the workload's
# events the stopped peer recorded, and how many it reported lost
peer_counts() {
	local mode=$1 pid=$2 events=$3
	case $mode in
	alone) echo "$events 0" ;;
	gfntop*) awk -F, -v pid="$pid" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
			$c["op"] == "lost" { lost += $c["ret"] } $c["pid"] == pid { n++ }
			END { print n + 0, lost + 0 }' "$T/peer.out" ;;
	bt_stream) awk -v pid="$pid" '$2 == pid { n++ } END { print n + 0, 0 }' "$T/peer.out" ;;
	bt_count) echo "$(sed -n 's/^@: //p' "$T/peer.out") 0" ;;
	bare | bare_wake) sed -n 's/^records=\([0-9]*\) lost=\([0-9]*\)$/\1 \2/p' "$T/peer.out" ;;
	empty) echo "$events 0" ;;
	esac
}

failures=0
for ((r = 0; r < ROUNDS; r++)); do
	for mode in $(rotate "$r" $MODES); do
		if ! start_peer "$mode"; then
			not_ok "probe overhead: $mode started" "$(tail -3 "$T/peer.err" 2>/dev/null)"
			exit 0
		fi
		[ "$mode" = gfntop_stalled ] && kill -STOP "$peer"
		out=$(taskset -c "$WORKLOAD_CPU" "$BENCH_BIN/kvm_refault" -n "$CYCLES")
		events=$(kv events "$out")
		stop_peer "$mode"
		read -r seen lost < <(peer_counts "$mode" "$(kv pid "$out")" "$events")
		# what a recorder must have seen: bare and bt_count see every kvm_unmap_hva_range
		# of the host (at least the workload's), the others exactly the workload's; a
		# stalled gfntop may lose events but must account for each one
		case $mode in
		gfntop) good=$([ "$seen" = "$events" ] && [ "$lost" = 0 ] && echo 1) ;;
		gfntop_stalled) good=$([ $((seen + lost)) = "$events" ] && echo 1) ;;
		bt_stream) good=$([ "$seen" = "$events" ] && echo 1) ;;
		*) good=$([ "${seen:-0}" -ge "$events" ] && [ "${lost:-0}" = 0 ] && echo 1) ;;
		esac
		if [ "$good" != 1 ]; then
			echo "# round $r: $mode recorded ${seen:-nothing} and lost ${lost:-?} of $events events"
			failures=$((failures + 1))
			case $mode in gfntop*) gfntop_loss=1 ;; esac
		fi
		echo "$(kv ns_per_cycle "$out")" >>"$T/$mode.ns"
	done
done

base=$(median <"$T/alone.ns")
echo
echo "Workload: $CYCLES cycles per run, $ROUNDS alternating rounds, pinned to CPU $WORKLOAD_CPU; $(machine)."
echo
for mode in $MODES; do
	calc "$(median <"$T/$mode.ns") - $base" >"$T/$mode.over"
done
echo "| recorder | ns/cycle min | median | max | overhead ns/event | × bpftrace count | × bare |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for mode in $MODES; do
	read -r mn md mx < <(stats <"$T/$mode.ns")
	over=$(cat "$T/$mode.over")
	row="| $mode | $mn | $md | $mx | $over"
	for ref in bt_count bare; do
		if [ -f "$T/$ref.over" ] && [ "$mode" != alone ]; then
			row="$row | $(calc "$over / $(cat "$T/$ref.over")")"
		else
			row="$row | "
		fi
	done
	echo "$row |"
done
echo

gfntop_over=$(cat "$T/gfntop.over")
check_exact() {
	if [ "${gfntop_loss:-0}" = 0 ]; then
		ok "probe overhead: gfntop recorded every event of every round, none lost (stalled: recorded + lost = generated)"
	else
		not_ok "probe overhead: gfntop recorded every event of every round, none lost (stalled: recorded + lost = generated)"
	fi
}
check_exact
[ "$failures" -eq 0 ] || echo "# $failures runs of a peer missed events (see above)"
if quick; then
	# a gross-regression guard: an event costing as much as the operation itself fails
	budget "probe overhead (quick): gfntop ns/cycle ÷ alone" \
		"$(calc "$(median <"$T/gfntop.ns") / $base")" 1.5
	budget "probe overhead (quick): gfntop overhead ÷ bare recorder's" \
		"$(calc "$gfntop_over / $(cat "$T/bare.over")")" 5
else
	budget "probe overhead: gfntop ÷ bpftrace count() (budget 0.5)" \
		"$(calc "$gfntop_over / $(cat "$T/bt_count.over")")" 0.5
	budget "probe overhead: gfntop ÷ bare recorder (goal 2)" \
		"$(calc "$gfntop_over / $(cat "$T/bare.over")")" 2
fi
