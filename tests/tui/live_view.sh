#!/bin/bash
# TUI tier, live: gfntop's live view in a real terminal while a KVM workload produces
# 100000 events as fast as it can; the view shows the VM, the trace written meanwhile
# holds every event (the consumer is drained between paints: nothing lost), and q
# quits with status 0.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { requirement_missing tui "no tmux"; exit 0; }
[ "$(id -u)" -eq 0 ] || { requirement_missing tui "live view needs root"; exit 0; }
[ -c /dev/kvm ] || { requirement_missing tui "no /dev/kvm"; exit 0; }
T=$(mktemp -d /tmp/gfntop-tuilive.XXXXXX)
SOCK="$T/tmux.sock"
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT

tm -f /dev/null new-session -d -s g -x 120 -y 30 \
	"TERM=xterm-256color '$GFNTOP' -d 1 -P tp -w '$T/trace.csv' 2>'$T/err'; echo \$? > '$T/rc'; sleep 30"
wait_for_header "$T/trace.csv" || { not_ok "tui live: recording started" "$(cat "$T/err")"; exit 0; }
"$WORKLOADS/kvm_madvise" -n 100000 -p 1 >"$T/truth"
pid=$(sed -n 's/^vm_pid=//p' "$T/truth")
seen=0
for _ in $(seq 60); do
	tm capture-pane -t g -p | grep -Eq "^ *$pid kvm_madvise" && { seen=1; break; }
	sleep 0.1
done
check "tui live: the workload's VM appears in the live view" test $seen -eq 1
check "tui live: the header names the probes and the trace" sh -c "tmux -S '$SOCK' capture-pane -t g -p | grep -q 'probes mmu 0/9 tp 3/3\\|probes .*tp 3/3.*trace $T/trace.csv'"
tm send-keys -t g q
for _ in $(seq 100); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "tui live: q quits with status 0" test "$(cat "$T/rc" 2>/dev/null)" = 0
rows=$(csv_columns "$T/trace.csv" vm_pid op | awk -v p="$pid" '$1 == p && $2 == "tp_unmap_hva"' | wc -l)
lost=$(csv_columns "$T/trace.csv" op ret | awk '$1 == "lost" { n += $2 } END { print n + 0 }')
check "tui live: every one of the 100000 madvise events was recorded ($rows) under the view" test "$rows" -ge 100000
check "tui live: nothing lost while painting" test "$lost" -eq 0
exit 0
