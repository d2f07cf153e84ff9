#!/bin/bash
# Memory and view cost of the live program (issue 7, item 5).
#
#   resident set   gfntop -b -P tp -w - (the trace to a pipe into /dev/null)
#                  while one kvm_refault per CPU makes 10^7 events (10^6 with
#                  BENCH_QUICK=1); its RSS sampled at every interval line (-d 0.25). The
#                  16 MiB ring buffer's pages join the RSS as the consumer
#                  first reads them (the first ~123000 events); after that it
#                  must stay flat.
#   view cost      the TUI (in tmux, 1 Hz) against batch mode, both without a
#                  trace, each while kvm_refault -r 100000 makes 100k events/s;
#                  gfntop's CPU time over the same span, alternating rounds.
#                  Their difference is what the view costs beyond the consumer.
. "$(dirname "$0")/lib.sh"

RSS_CYCLES=${BENCH_RSS_CYCLES:-$(quick && echo 500000 || echo 5000000)}
VIEW_ROUNDS=${BENCH_VIEW_ROUNDS:-$(quick && echo 1 || echo 3)}
VIEW_SECONDS=${BENCH_VIEW_SECONDS:-$(quick && echo 4 || echo 15)}
RATE=100000
NWORK=$(nproc)

echo "## Memory and view cost"
echo
[ "$(id -u)" -eq 0 ] || { requirement_missing bench "footprint: not root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing bench "footprint: no /dev/kvm"; exit 0; }
command -v tmux >/dev/null || { requirement_missing bench "footprint: no tmux"; exit 0; }
T=$(mktemp -d /tmp/gfntop-bench-fp.XXXXXX)
SOCK=$T/tmux.sock
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

# ---- resident set over 10^7 events ----

"$GFNTOP" -b -d 0.25 -P tp -w - 2>"$T/rss.err" >/dev/null &
g=$!
wait_for_line "$T/rss.err" '^gfntop: tracing' || { not_ok "footprint: gfntop started" "$(cat "$T/rss.err")"; exit 0; }
pids=()
for ((i = 0; i < NWORK; i++)); do
	"$BENCH_BIN/kvm_refault" -n "$RSS_CYCLES" >"$T/w$i.out" &
	pids+=($!)
done
# one sample per interval line: events so far, RSS now
lines=0
while kill -0 "${pids[0]}" 2>/dev/null || kill -0 "${pids[-1]}" 2>/dev/null; do
	n=$(grep -c '^gfntop interval' "$T/rss.err")
	if [ "$n" -gt "$lines" ]; then
		lines=$n
		events=$(sed -n 's/^gfntop interval .*): \([0-9]*\) events.*/\1/p' "$T/rss.err" | awk '{ s += $1 } END { print s + 0 }')
		echo "$events $(rss_kib $g)" >>"$T/rss.samples"
	fi
	sleep 0.1
done
wait "${pids[@]}"
sleep 0.5	# the interval that holds the last events
echo "$(sed -n 's/^gfntop interval .*): \([0-9]*\) events.*/\1/p' "$T/rss.err" | awk '{ s += $1 } END { print s + 0 }') $(rss_kib $g)" >>"$T/rss.samples"
kill -INT $g
wait $g
total=$(sed -n 's/^gfntop summary: \([0-9]*\) events.*/\1/p' "$T/rss.err")
echo "gfntop recording $total events (the trace to a pipe), an interval every 0.25 s; $(machine)."
echo
echo "| events so far | RSS KiB |"
echo "|---:|---:|"
# the first sample, the first past each million, the last
awk '{ m = int($1 / 1000000) } NR == 1 || m > last { printf "| %d | %d |\n", $1, $2; last = m; shown = NR }
	{ final = $0 } END { if (shown != NR) { split(final, f, " "); printf "| %d | %d |\n", f[1], f[2] } }' "$T/rss.samples"
echo
# flat: from the first sample past 250000 events (the ring buffer wholly touched) to the end
rss_from=$(awk '$1 >= 250000 { print $2; exit }' "$T/rss.samples")
rss_to=$(tail -1 "$T/rss.samples" | awk '{ print $2 }')
samples=$(awk '$1 >= 250000' "$T/rss.samples" | wc -l)
[ "$samples" -ge 3 ] || not_ok "footprint: at least 3 RSS samples past 250000 events ($samples)"
budget "footprint: live RSS growth after the ring buffer is mapped (KiB, over $total events)" \
	"$((rss_to - rss_from))" 256

# ---- view cost: TUI vs batch at 100k events/s ----

cycles=$((RATE * VIEW_SECONDS))
# run_view MODE: prints the % of one CPU gfntop used while the workload ran
run_view() {
	local mode=$1 g t0 t1 s0 s1
	rm -f "$T/view.err"
	if [ "$mode" = tui ]; then
		tm -f /dev/null new-session -d -s v -x 120 -y 40 \
			"exec env TERM=xterm-256color '$GFNTOP' -d 1 -P tp 2>'$T/view.err'"
		wait_for_line "$T/view.err" '^gfntop: tracing' || return 1
		g=$(tm list-panes -t v -F '#{pane_pid}')
	else
		"$GFNTOP" -b -d 1 -P tp >/dev/null 2>"$T/view.err" &
		g=$!
		wait_for_line "$T/view.err" '^gfntop: tracing' || return 1
	fi
	sleep 1
	"$BENCH_BIN/kvm_refault" -S -r $RATE -n $cycles >"$T/view.w" &
	local w=$!
	wait_stopped $w
	t0=$(date +%s%N)
	s0=$(cpu_ns "$g")
	kill -CONT $w
	wait $w
	s1=$(cpu_ns "$g")
	t1=$(date +%s%N)
	if [ "$mode" = tui ]; then
		tm send-keys -t v q
		for _ in $(seq 100); do kill -0 "$g" 2>/dev/null || break; sleep 0.05; done
		tm kill-server 2>/dev/null
	else
		kill -INT $g
		wait $g
	fi
	calc "100 * ($s1 - $s0) / ($t1 - $t0)"
}

for ((r = 0; r < VIEW_ROUNDS; r++)); do
	for mode in $(rotate "$r" tui batch); do
		pct=$(run_view $mode) || { not_ok "footprint: gfntop ($mode) started" "$(cat "$T/view.err")"; exit 0; }
		echo "$pct" >>"$T/$mode.pct"
	done
done
echo "View cost: gfntop -P tp live at $RATE events/s for ${VIEW_SECONDS}s, TUI (tmux, 1 Hz) vs batch (-b), no trace," \
	"$VIEW_ROUNDS alternating rounds; % of one CPU (the scheduler's runtime of gfntop's threads):"
echo
echo "| mode | % CPU min | median | max |"
echo "|---|---:|---:|---:|"
for mode in batch tui; do
	read -r mn md mx < <(stats <"$T/$mode.pct")
	echo "| $mode | $mn | $md | $mx |"
done
echo
view=$(calc "$(median <"$T/tui.pct") - $(median <"$T/batch.pct")")
echo "The view costs $view% of a core beyond the consumer (TUI median - batch median)."
echo
if quick; then
	budget "footprint (quick): the TUI's cost beyond the consumer, % of a core" "$view" 10
else
	budget "footprint: the TUI's cost beyond the consumer, % of a core (budget 2)" "$view" 2
fi
