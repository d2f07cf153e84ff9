#!/bin/bash
# TUI tier, live: the TUI attached to a running recorder (gfntop --connect) in a real
# terminal: the header names the recorder, the workload's VM appears with exactly the
# operations and pages the recorder's trace holds for it (cumulative view, 'c'), and q
# quits with status 0 while the recorder goes on.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { requirement_missing tui "no tmux"; exit 0; }
[ "$(id -u)" -eq 0 ] || { requirement_missing tui "the recorder needs root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing tui "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-tuiconn.XXXXXX)
SOCK="$T/tmux.sock"
S="$T/gfntop.sock"
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; kill $(jobs -p) 2>/dev/null; rm -rf "$T"' EXIT

"$GFNTOP" record --dir "$T/d" --socket "$S" -P tp -d 0.2 2>"$T/rec.err" &
rec=$!
for _ in $(seq 100); do [ -S "$S" ] && break; sleep 0.1; done
[ -S "$S" ] || { not_ok "tui connect: the recorder serves its socket" "$(cat "$T/rec.err")"; exit 0; }
tm -f /dev/null new-session -d -s g -x 120 -y 30 \
	"TERM=xterm-256color '$GFNTOP' --connect '$S' -d 0.5 2>'$T/err'; echo \$? > '$T/rc'; sleep 30"
for _ in $(seq 50); do tm capture-pane -t g -p | grep -q "recorder $S" && break; sleep 0.1; done
check "tui connect: the header names the recorder's socket and its probes" \
	sh -c "tmux -S '$SOCK' capture-pane -t g -p | grep -q 'tp 3/3.*recorder $S'"
"$WORKLOADS/kvm_madvise" -n 3000 -s 16 >"$T/truth"
pid=$(sed -n 's/^vm_pid=//p' "$T/truth")
sleep 0.5
tm send-keys -t g c	# cumulative counts
line=""
for _ in $(seq 50); do
	line=$(tm capture-pane -t g -p | grep -E "^ *$pid kvm_madvise" | head -1)
	[ -n "$line" ] && break
	sleep 0.1
done
check "tui connect: the workload's VM appears in the view" test -n "$line"
# the recorder's trace so far (flushed every tick)
sleep 0.5
cat "$T"/d/trace-*.csv >"$T/all.csv"
read -r want_ops want_pages < <(csv_columns "$T/all.csv" vm_pid npages | awk -v p="$pid" '$1 == p { n++; s += $2 } END { print n + 0, s + 0 }')
read -r _ _ _ ops pages _ < <(echo "$line")
check "tui connect: its OPS and PAGES are the trace's exactly ($ops/$pages shown, $want_ops/$want_pages in the trace)" \
	test "$ops" = "$want_ops" -a "$pages" = "$want_pages"
tm send-keys -t g q
for _ in $(seq 100); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "tui connect: q quits with status 0" test "$(cat "$T/rc" 2>/dev/null)" = 0
check "tui connect: the recorder goes on" kill -0 $rec
kill -TERM $rec
wait $rec
check "tui connect: the recorder exits 0" test $? -eq 0
exit 0
