#!/bin/bash
# Terminal safety: control bytes and escape sequences from a trace (comm, func, bad
# values) never reach the terminal, in batch output or in error messages; and no
# value that looks like a kernel address is ever written by gfntop.
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "term: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-term.XXXXXX)
trap 'rm -rf "$T"' EXIT
HDR="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
ESC=$'\033' BEL=$'\a' CSI=$'\xc2\x9b'
{
	echo "$HDR"
	echo "1,0,9,${ESC}]0;pwn${BEL},9,,mmu,unmap,f${ESC}[2J,1,0,0,0x1,0x2,1,,,5,0,,,,,"
	echo "2,0,8,x${CSI}31m,8,,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,,"
} >"$T/evil.csv"
"$GFNTOP" -r "$T/evil.csv" >"$T/out" 2>&1
check "term: replay of a trace with escape sequences exits 0" test $? -eq 0
check "term: no ESC, BEL or C1 CSI byte in the batch output" \
	sh -c "! grep -q \"[$ESC$BEL]\" '$T/out' && ! grep -q '$CSI' '$T/out'"
check "term: the hostile comm is shown, defused" grep -q '?]0;pwn?' "$T/out"
printf '%s\n1,0,9,c,9,,mmu,unmap,f,1,0,0,0x%s,0x2,1,,,5,0,,,,,\n' "$HDR" "${ESC}[31m" >"$T/bad.csv"
"$GFNTOP" -r "$T/bad.csv" >/dev/null 2>"$T/err"
check "term: a bad value with an escape sequence is rejected (exit 2)" test $? -eq 2
check "term: ... and the message shows it defused" sh -c "grep -q \"'0x?\\[31m'\" '$T/err' && ! grep -q \"$ESC\" '$T/err'"

# Invisible characters that reorder or hide text (Unicode bidi overrides and isolates,
# zero-width and other format characters) are replaced like controls: in the batch
# output, and in a re-exported trace, so `cat` of it cannot mislead either.
RLO=$'\xe2\x80\xae' LRI=$'\xe2\x81\xa6' PDI=$'\xe2\x81\xa9' ZWSP=$'\xe2\x80\x8b' RLM=$'\xe2\x80\x8f'
ZWNBSP=$'\xef\xbb\xbf' TAG=$'\xf3\xa0\x81\x81' LSEP=$'\xe2\x80\xa8' SHY=$'\xc2\xad'
{
	echo "$HDR"
	echo "1,0,9,a${RLO}cod.exe,9,,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,,"
	echo "2,0,8,b${LRI}x${PDI}${ZWSP},8,,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,,"
	echo "3,0,7,c${RLM}${ZWNBSP}${TAG},7,,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,,"
	echo "4,0,6,d${LSEP}${SHY}é,6,,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,,"
} >"$T/bidi.csv"
"$GFNTOP" -r "$T/bidi.csv" -w "$T/bidi-out.csv" >"$T/out" 2>&1
check "term: a trace with bidi and format characters replays (status $?)" test $? -eq 0
for f in out bidi-out.csv; do
	found=""
	for c in "$RLO" "$LRI" "$PDI" "$ZWSP" "$RLM" "$ZWNBSP" "$TAG" "$LSEP" "$SHY"; do
		grep -qF "$c" "$T/$f" && found="$found $(printf '%s' "$c" | od -An -tx1 | tr -d ' ')"
	done
	check "term: no bidi override, isolate, mark or format character in $f${found:+ (found:$found)}" test -z "$found"
done
check "term: ... each is shown as ?, the rest as it was" \
	sh -c "grep -q 'a?cod.exe' '$T/out' && grep -q 'b?x??' '$T/out' && grep -q 'c???' '$T/out' && grep -q 'd??é' '$T/out'"
# a file name is text from outside too: the message that names it is defused
"$GFNTOP" -r "$T/${ESC}[31mred.csv" >/dev/null 2>"$T/err"
check "term: an escape sequence in a file name does not reach the terminal in a message" \
	sh -c "grep -q '?\[31mred.csv: cannot open' '$T/err' && ! grep -q \"$ESC\" '$T/err'"

# Kernel addresses (0xffff8..., bare or in decimal) anywhere in what gfntop writes: the
# committed sample trace and its replay summary. vm_id is a keyed hash that may take any
# value, so the trace's own vm_ids are blanked first; everything else is scanned.
addr_re='(0x)?ffff[89a-f][0-9a-f]{11}|18446[0-9]{15}'
S="$GFNTOP_ROOT/tests/data/sample-mmu.csv"
vmids=$(csv_columns "$S" vm_id | sort -u | grep . | paste -sd'|')
"$GFNTOP" -r "$S" >"$T/summary"
scan() { sed -E "s/$vmids/VMID/g" "$1" | grep -ciE "$addr_re"; }
for f in "$S" "$T/summary"; do
	check "term: no kernel address in $(basename "$f")" test "$(scan "$f")" -eq 0
done
sed '2s/0x[0-9a-f]*,/0xffff888012345678,/' "$S" >"$T/planted.csv"
check "term: the scan does find a planted kernel address" test "$(scan "$T/planted.csv")" -eq 1
exit 0
