#!/bin/bash
# Hostile traces through the real binary: each malformed input exits 2 with a message
# naming file, line and column, and never crashes; valid oddities (CRLF, unknown
# columns) replay. (The fuzz tier throws random bytes at the same reader.)
. "$(dirname "$0")/../lib.sh"

[ -x "$GFNTOP" ] || { not_ok "hostile: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-hostile.XXXXXX)
trap 'rm -rf "$T"' EXIT
HDR="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
ROW="1,0,9,qemu,9,,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,,"

expect() {	# expect NAME WANT_STATUS MESSAGE_REGEX FILE
	"$GFNTOP" -r "$4" >/dev/null 2>"$T/err"
	local rc=$?
	check "hostile: $1 -> exit $2 (got $rc)" test $rc -eq "$2"
	[ -z "$3" ] || check "hostile: $1 -> message '$3'" grep -Eq "$3" "$T/err"
}

: >"$T/empty.csv"
expect "empty file" 2 "empty.csv:1:1: empty trace" "$T/empty.csv"
echo "ts_ns,cpu,pid,comm" >"$T/cols.csv"
expect "missing required column" 2 "cols.csv:1:1: missing required column 'vm_pid'" "$T/cols.csv"
printf '%s\n%s\n' "$HDR" "${ROW/,5,0,/,5x,0,}" >"$T/num.csv"
expect "bad number" 2 "num.csv:2:[0-9]+: column 'dur_ns': invalid number '5x'" "$T/num.csv"
printf '%s\n%s\n' "$HDR" "${ROW/0x1,0x2/0x1,0xg}" >"$T/hex.csv"
expect "bad hex" 2 "hex.csv:2:[0-9]+: column 'gfn_end': invalid hex value" "$T/hex.csv"
printf '%s\n1,0,9,"qemu,9\n' "$HDR" >"$T/quote.csv"
expect "unterminated quote" 2 "quote.csv:2:7: unterminated quoted field" "$T/quote.csv"
printf '%s\n1,0,9,qe\0mu\n' "$HDR" >"$T/nul.csv"
expect "NUL byte" 2 "nul.csv:2:[0-9]+: NUL byte" "$T/nul.csv"
head -c 200000 /dev/urandom >"$T/random.csv"
expect "random bytes" 2 "random.csv:[0-9]+:[0-9]+: " "$T/random.csv"
{ echo "$HDR"; printf '1,0,9,'; head -c 5000000 /dev/zero | tr '\0' 'a'; printf ',9\n'; } >"$T/bigfield.csv"
expect "a 5 MB field" 2 "bigfield.csv:2:7: field longer than 4096 bytes" "$T/bigfield.csv"
{ echo "$HDR"; printf '1'; for _ in $(seq 600); do printf ',%0100d' 0; done; echo; } >"$T/longline.csv"
expect "an overlong line" 2 "longline.csv:2:[0-9]+: row longer than 65536 bytes|more than 256 columns" "$T/longline.csv"
printf '%s,ts_ns\n%s,1\n' "$HDR" "$ROW" >"$T/dup.csv"
expect "duplicate header" 2 "dup.csv:1:[0-9]+: duplicate column 'ts_ns'" "$T/dup.csv"
printf '%s\r\n%s\r\n' "$HDR" "$ROW" >"$T/crlf.csv"
expect "CRLF line ends (valid)" 0 "" "$T/crlf.csv"
printf 'extra1,%s,extra2\n"x,y",%s,z\n' "$HDR" "$ROW" >"$T/extra.csv"
expect "unknown extra columns (valid)" 0 "" "$T/extra.csv"

# hostile arithmetic: loss counts cannot wrap, go negative or be left out; ts_ns 0 is a time
LOST_MAX="5,,,,,,,lost,,,,,,,,,,,9223372036854775807,,,,,"
printf '%s\n%s\n%s\n%s\n' "$HDR" "$LOST_MAX" "$LOST_MAX" "6,,,,,,,lost,,,,,,,,,,,2,,,,," >"$T/wrap.csv"
"$GFNTOP" -r "$T/wrap.csv" >"$T/out" 2>&1
check "hostile: lost rows summing past 2^64 saturate, never wrap to '0 lost'" \
	grep -q "^gfntop replay of .*: 0 events, 18446744073709551615 lost" "$T/out"
printf '%s\n%s\n' "$HDR" "5,,,,,,,lost,,,,,,,,,,,-7,,,,," >"$T/neglost.csv"
expect "a lost row with a negative count" 2 "neglost.csv:2:24: column 'ret': a lost row's count cannot be negative: '-7'" "$T/neglost.csv"
printf '%s\n%s\n' "$HDR" "5,,,,,,,lost,,,,,,,,,,,,,,,," >"$T/nolost.csv"
expect "a lost row without a count" 2 "nolost.csv:2:24: column 'ret': a lost row needs its count" "$T/nolost.csv"
printf '%s\n%s\n%s\n' "$HDR" "0,${ROW#1,}" "3000000000,${ROW#1,}" >"$T/ts0.csv"
"$GFNTOP" -r "$T/ts0.csv" >"$T/out" 2>&1
check "hostile: ts_ns 0 is the first event's time (3.000s from first to last)" \
	grep -q ": 2 events, 0 lost, 3.000s from first to last event" "$T/out"

# what spreadsheets and editors leave: a byte-order mark, trailing empty lines, header
# names in upper case or with spaces around them (all valid)
printf '\xef\xbb\xbf%s\r\n%s\r\n' "$HDR" "$ROW" >"$T/bom.csv"
expect "a UTF-8 byte-order mark (valid)" 0 "" "$T/bom.csv"
printf '%s\n%s\n\n' "$HDR" "$ROW" >"$T/blank.csv"
expect "a trailing empty line (valid)" 0 "" "$T/blank.csv"
printf '%s\r\n%s\r\n\r\n\n' "$HDR" "$ROW" >"$T/blanks.csv"
expect "trailing empty lines, CRLF and LF (valid)" 0 "" "$T/blanks.csv"
printf '%s\n\n%s\n' "$HDR" "$ROW" >"$T/midblank.csv"
expect "an empty line between rows" 2 "midblank.csv:2:1: empty line inside the trace" "$T/midblank.csv"
printf '%s\n%s\n' "$(echo "$HDR" | tr a-z A-Z | sed 's/,/ , /g; s/^/ /')" "$ROW" >"$T/case.csv"
expect "header names in upper case, with spaces around them (valid)" 0 "" "$T/case.csv"
"$GFNTOP" -r "$T/case.csv" >"$T/out" 2>&1
check "hostile: ... and its row is read by those names" grep -Eq '^ +9 qemu +- +1 +1 +0 ' "$T/out"

# vm_id: exactly 16 hex digits, as the manual says
for v in aa 00000000000000aa0 0000000000000zz1 "00000000 0000aa"; do
	printf '%s\n%s\n' "$HDR" "1,0,9,qemu,9,$v,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,," >"$T/vmid.csv"
	expect "vm_id '$v'" 2 "vmid.csv:2:14: column 'vm_id': invalid vm_id \\(16 hex digits\\)" "$T/vmid.csv"
done
printf '%s\n%s\n' "$HDR" "1,0,9,qemu,9,00000000000000AB,mmu,unmap,f,1,0,0,0x1,0x2,1,,,5,0,,,,," >"$T/vmid.csv"
expect "vm_id in upper-case hex (valid)" 0 "" "$T/vmid.csv"
exit 0
