#!/bin/bash
# The userspace pipeline (issue 7, items 4 and 5's memory half).
#
#   aggregation   bench/src/pipeline agg N: agg_add on in-memory events
#   session       pipeline session N: everything an event goes through without
#                 a trace (filters, aggregation, launch sessions, recent rings)
#   CSV writer    pipeline csv N FILE: the same plus the trace writer
#   replay        gfntop -r FILE -b (the real program, end to end) on a large
#                 trace, against `wc -l FILE` (the memory-scan floor) and
#                 Python's csv module summarising the same file
#                 (bench/peers/summary.py: what a user would write instead),
#                 in alternating rounds; and pipeline replay FILE (the reader
#                 and session in-process, without exec and summary)
#   memory        pipeline rss N: resident set as 10^7 events go through
#   hot paths     allocations and printf-family calls counted inside each timed
#                 loop: none may happen per event
# The trace lives in /dev/shm (page cache either way; no disk is needed).
. "$(dirname "$0")/lib.sh"

ROUNDS=${BENCH_ROUNDS:-$(quick && echo 3 || echo 5)}
EVENTS=${BENCH_PIPE_EVENTS:-$(quick && echo 2000000 || echo 10000000)}
TRACE_ROWS=${BENCH_TRACE_ROWS:-$(quick && echo 300000 || echo 2000000)}
RSS_EVENTS=${BENCH_RSS_EVENTS:-$(quick && echo 1000000 || echo 10000000)}
PIPE=$BENCH_BIN/pipeline

echo "## Userspace pipeline"
echo
command -v python3 >/dev/null || { requirement_missing bench "pipeline: no python3 (the Python peer)"; exit 0; }
DIR=/dev/shm
[ -d "$DIR" ] && [ -w "$DIR" ] || DIR=/tmp
T=$(mktemp -d "$DIR/gfntop-bench-pipe.XXXXXX")
trap 'rm -rf "$T"' EXIT

# in-memory throughput, median of ROUNDS runs
echo "In-memory events (a fixed mix: tracepoint, notifier, handler, aging, PSP and launch rows," \
	"some failing), $EVENTS per run, median of $ROUNDS runs; $(machine)."
echo
echo "| stage | events/s min | median | max | ns/event (median) | allocations in the loop | printf calls in the loop |"
echo "|---|---:|---:|---:|---:|---:|---:|"
hot_ok=1
for stage in agg session csv; do
	: >"$T/$stage.rate"
	for ((r = 0; r < ROUNDS; r++)); do
		case $stage in
		csv) out=$("$PIPE" csv "$EVENTS" "$T/w.csv") ;;
		*) out=$("$PIPE" "$stage" "$EVENTS") ;;
		esac || { not_ok "pipeline: $stage ran"; exit 0; }
		kv events_per_s "$out" >>"$T/$stage.rate"
		allocs=$(kv allocs "$out") printfs=$(kv printfs "$out")
	done
	# the same stage over 1/100 of the events: per-event calls would scale with it
	case $stage in
	csv) small=$("$PIPE" csv $((EVENTS / 100)) "$T/w.csv") ;;
	*) small=$("$PIPE" "$stage" $((EVENTS / 100))) ;;
	esac
	[ "$allocs" = 0 ] && [ "$printfs" = "$(kv printfs "$small")" ] || hot_ok=0
	read -r mn md mx < <(stats <"$T/$stage.rate")
	echo "| $stage | $(int "$mn") | $(int "$md") | $(int "$mx") | $(calc "1e9 / $md") | $allocs | $printfs (over $((EVENTS / 100)) events: $(kv printfs "$small")) |"
	eval "rate_$stage=$md"
done
rm -f "$T/w.csv"
echo
echo "The printf calls are per VM, not per event: the launch-session cause text, written once when a VM's launch first fails."
echo

# the large trace, written by gfntop's own writer
"$PIPE" csv "$TRACE_ROWS" "$T/trace.csv" >/dev/null || { not_ok "pipeline: trace written"; exit 0; }
bytes=$(stat -c %s "$T/trace.csv")
cat "$T/trace.csv" >/dev/null	# in the page cache before the first round
for ((r = 0; r < ROUNDS; r++)); do
	for tool in $(rotate "$r" wc gfntop python); do
		case $tool in
		wc) s=$(time_cmd wc -l "$T/trace.csv") ;;
		gfntop) s=$(time_cmd -o "$T/gfntop.out" "$GFNTOP" -r "$T/trace.csv" -b) ;;
		python) s=$(time_cmd -o "$T/python.out" python3 "$BENCH_ROOT/bench/peers/summary.py" "$T/trace.csv") ;;
		esac || { not_ok "pipeline: $tool read the trace (round $r)"; exit 0; }
		echo "$s" >>"$T/$tool.s"
	done
done
# the peer summarises what gfntop does: the same per-VM counts (the first table of
# each one's output in the last round), or the comparison means nothing
# (gfntop's group line before kernel threads and its TOTAL line are not VMs)
vm_counts() { awk 'NR > 1 && /VMM_PID/ { t = 1; next } t && NF == 0 { exit } t && !/^ *(--|TOTAL )/ { print $1, $3, $4, $5, $6 }' "$1" | sort; }
vm_counts "$T/gfntop.out" >"$T/gfntop.vms"
vm_counts "$T/python.out" >"$T/python.vms"
if [ -s "$T/gfntop.vms" ] && cmp -s "$T/gfntop.vms" "$T/python.vms"; then
	ok "pipeline: the Python peer's per-VM ops, pages and errors are gfntop's ($(wc -l <"$T/gfntop.vms") VMs)"
else
	not_ok "pipeline: the Python peer's per-VM ops, pages and errors are gfntop's" \
		"$(diff "$T/gfntop.vms" "$T/python.vms" | head -5)"
fi
inproc=$("$PIPE" replay "$T/trace.csv") || { not_ok "pipeline: in-process replay"; exit 0; }
small_rows=$((TRACE_ROWS / 10))
small_trace=$(head -$((small_rows + 1)) "$T/trace.csv" >"$T/small.csv" && "$PIPE" replay "$T/small.csv")
echo "Replay of a $TRACE_ROWS-row trace ($(int "$bytes / 1e6") MB) written by gfntop's writer, from the page cache," \
	"$ROUNDS alternating rounds:"
echo
echo "| reader | seconds min | median | max | MB/s | rows/s | × wc -l |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for tool in wc gfntop python; do
	read -r mn md mx < <(stats <"$T/$tool.s")
	label=$tool
	case $tool in
	wc) label='`wc -l`' ;;
	gfntop) label='`gfntop -r FILE -b`' ;;
	python) label='Python csv module (bench/peers/summary.py)' ;;
	esac
	echo "| $label | $mn | $md | $mx | $(int "$bytes / 1e6 / $md") | $(int "$TRACE_ROWS / $md") | $(calc "$md / $(median <"$T/wc.s")") |"
	eval "t_$tool=$md"
done
echo "| reader + session in-process (pipeline replay) | | $(kv seconds "$inproc") | | $(int "$(kv mb_per_s "$inproc")") | $(kv events_per_s "$inproc") | $(calc "$(kv seconds "$inproc") / $t_wc") |"
echo
# the reader allocates its buffers once per file, never per row
[ "$(kv allocs "$inproc")" = "$(kv allocs "$small_trace")" ] && [ "$(kv printfs "$inproc")" = "$(kv printfs "$small_trace")" ] || hot_ok=0
echo "Replay allocations: $(kv allocs "$inproc") for $TRACE_ROWS rows, $(kv allocs "$small_trace") for $small_rows rows;" \
	"printf calls: $(kv printfs "$inproc") and $(kv printfs "$small_trace")."
echo

# memory: bounded tables, so the resident set must not grow with the event count
echo "Resident set of the per-event path as $RSS_EVENTS events go through it (pipeline rss):"
echo
echo '```'
"$PIPE" rss "$RSS_EVENTS" | tee "$T/rss" | sed 's/^bench=rss //'
echo '```'
echo
rss_first=$(awk '/events=1000000 /' "$T/rss" | sed 's/.*rss_kib=//')
[ -n "$rss_first" ] || rss_first=$(sed -n '2p' "$T/rss" | sed 's/.*rss_kib=//')
rss_last=$(tail -1 "$T/rss" | sed 's/.*rss_kib=//')

if [ $hot_ok = 1 ]; then
	ok "pipeline: no allocation and no printf per event (aggregation, session, CSV writer, replay)"
else
	not_ok "pipeline: no allocation and no printf per event (aggregation, session, CSV writer, replay)"
fi
budget "pipeline: resident set growth from 10^6 (or the first sample) to $RSS_EVENTS events, KiB" \
	"$((rss_last - rss_first))" 256
if quick; then
	budget "pipeline (quick): gfntop replay ÷ wc -l" "$(calc "$t_gfntop / $t_wc")" 25
	budget "pipeline (quick): gfntop replay ÷ Python summary (≥ 5× faster)" "$(calc "$t_gfntop / $t_python")" 0.2
	# the writer has no peer of its own: priced against the reader, which is guarded by wc -l
	budget "pipeline (quick): CSV writer ns/row ÷ in-process replay ns/row" \
		"$(calc "(1 / $rate_csv) / ($(kv seconds "$inproc") / $TRACE_ROWS)")" 6
else
	budget "pipeline: gfntop replay ÷ wc -l (budget 5)" "$(calc "$t_gfntop / $t_wc")" 5
	budget "pipeline: gfntop replay ÷ Python summary (budget: ≥ 20× faster)" "$(calc "$t_gfntop / $t_python")" 0.05
fi
