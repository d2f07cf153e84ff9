#!/bin/bash
# TUI tier: the real binary in a real terminal (tmux), over replayed traces: what is on
# screen after each key, drill-down and back, errors and launch views, help, resize to
# 80x24 and below, and quitting with status 0.
. "$(dirname "$0")/../lib.sh"

command -v tmux >/dev/null || { requirement_missing tui "no tmux"; exit 0; }
[ -x "$GFNTOP" ] || { not_ok "tui: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-tui.XXXXXX)
# one tmux server (and socket) per terminal started: a new session on the socket of a server
# that kill-server has not finished stopping fails ("no server running"), seen under load
NSERVER=0
SOCK="$T/tmux.0.sock"
tm() { tmux -S "$SOCK" "$@"; }
new_server() {
	tm kill-server 2>/dev/null
	NSERVER=$((NSERVER + 1))
	SOCK="$T/tmux.$NSERVER.sock"
	rm -f "$T/rc"
}
trap 'for s in "$T"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$T"' EXIT

screen() { tm capture-pane -t g -p; }
# key KEYS... then wait until the screen shows WANT (or give up after 3 s)
key_until() {
	local want=$1
	shift
	[ $# -gt 0 ] && tm send-keys -t g "$@"
	for _ in $(seq 60); do
		screen | grep -qF -- "$want" && return 0
		sleep 0.05
	done
	return 1
}
start() {	# start WIDTH HEIGHT TRACE
	new_server
	tm -f /dev/null new-session -d -s g -x "$1" -y "$2" \
		"TERM=xterm-256color '$GFNTOP' -r '$3'; echo \$? > '$T/rc'; sleep 30"
}

start 120 30 "$GFNTOP_ROOT/tests/data/sample-mmu.csv"
check "tui: replay opens the VM view" key_until "gfntop - VMs - kernel"
check "tui: the busiest VM is listed first" sh -c "tmux -S '$SOCK' capture-pane -t g -p | sed -n 4p | grep -q 'kvm_madvise .* 476 '"
check "tui: Enter drills into the VM's memslots" key_until "0     1 unmap            0x40000" Enter
check "tui: Down + Enter shows the recent events of a slot" key_until "VM 188 slot 0 unmap - the most recent events" Down Down Enter
check "tui: ... with their gfn ranges" key_until "kvm_unmap_gfn_range          0x1c-0x20"
check "tui: Esc goes back" key_until "0     1 unmap            0x40000" Escape
check "tui: Esc again to the VMs" key_until "VMM_PID COMM" Escape
check "tui: H shows the log2 latency histogram" key_until "log2 latency of VM 188" H
check "tui: ... with bars" key_until "| ####"
check "tui: h shows the help generated from the key table" key_until "drill in: VM -> memslots -> recent events" Escape h
check "tui: any key leaves the help" key_until "VMM_PID COMM" x
check "tui: / filters VMs incrementally" key_until "filter: kd" / k d
check "tui: ... showing only the match" sh -c "! tmux -S '$SOCK' capture-pane -t g -p | grep -q kvm_madvise"
check "tui: ... and Esc at the prompt keeps the filter while clearing the prompt" key_until "q quit" Escape
tm send-keys -t g / BSpace BSpace Enter
check "tui: the filter can be emptied again" key_until "kvm_madvise"
check "tui: > sorts by the next column" key_until "sort: PAGES" ">"
tm resize-window -t g -x 80 -y 24
check "tui: resized to 80x24 it repaints at once, still usable" key_until "probes - | 0 ev/s | lost 0 | trace - | sort: PAGES"
check "tui: ... the VM table fits" sh -c "tmux -S '$SOCK' capture-pane -t g -p | grep -q 'VMM_PID COMM'"
tm resize-window -t g -x 70 -y 20
check "tui: below 80x24 it says so" key_until "gfntop needs at least 80x24 (this terminal is 70x20)"
tm resize-window -t g -x 120 -y 30
tm send-keys -t g q
for _ in $(seq 60); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "tui: q quits with status 0" test "$(cat "$T/rc" 2>/dev/null)" = 0

# a failing SNP launch: the VM line, the error view with its cause, the launch view
cat >"$T/launch.csv" <<'CSV'
ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type
1000,0,700,qemu-system-x86,700,00000000000000cc,snp,launch_start,sev_mem_enc_ioctl,1,,,,,,,,5000,0,,0,SUCCESS,SNP_LAUNCH_START,
3000,0,700,qemu-system-x86,700,00000000000000cc,snp,post_populate,sev_gmem_post_populate,3,0,1,0x80e,0x80f,1,,,9000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID
2800,0,700,qemu-system-x86,700,00000000000000cc,snp,launch_update,sev_mem_enc_ioctl,3,0,1,0x80e,0x80f,1,0x7f0000900000,0x7f0000901000,15000,-5,EIO,22,INVALID_PARAM,SNP_LAUNCH_UPDATE,CPUID
CSV
start 140 30 "$T/launch.csv"
check "tui: a failed launch shows on the VM line" key_until "FAILED launch_update gfn 0x80e slot 1 CPUID: EIO, fw INVALID_PARAM"
check "tui: e lists the failures with the likely cause" key_until "likely cause: firmware rejected the CPUID page (INVALID_PARAM)" e
check "tui: L shows the launch timeline" key_until "SNP launches: START, UPDATE by page type, VMSA, FINISH" L
tm send-keys -t g q
for _ in $(seq 60); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "tui: q quits with status 0 (launch trace)" test "$(cat "$T/rc" 2>/dev/null)" = 0

# a monochrome terminal: the same view, with bold and reverse instead of colours
new_server
tm -f /dev/null new-session -d -s g -x 100 -y 30 "TERM=vt100 '$GFNTOP' -r '$T/launch.csv'; echo \$? > '$T/rc'; sleep 30"
check "tui: on a monochrome terminal (vt100) the view works" key_until "FAILED launch_update gfn 0x80e"
reverse_selected() { tm capture-pane -t g -p -e | grep -qE $'\033\\[([0-9]+;)*7m.*qemu-system-x86'; }
check "tui: ... the selected row is in reverse video" reverse_selected
tm send-keys -t g q
for _ in $(seq 60); do [ -s "$T/rc" ] && break; sleep 0.05; done
check "tui: q quits with status 0 (vt100)" test "$(cat "$T/rc" 2>/dev/null)" = 0
exit 0
