#!/bin/bash
# Runs each libFuzzer target for SECONDS (default 60) from its seed corpus, in a
# scratch copy so the committed corpus only changes by hand. TAP lines; a crash,
# leak or sanitizer report is a failure and its reproducer is kept and named.
# First, the regression of a false crash: inputs run one after another in one
# process must not share the function-name table.
set -u
SECONDS_EACH=${1:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# 4094 distinct function names over two inputs, then an input whose one name the
# writer cleans (a control character): with a table shared between inputs, its
# round trip found no free slot and the harness aborted
work=$(mktemp -d /tmp/gfntop-fuzz.XXXXXX)
hdr="ts_ns,cpu,pid,comm,vm_pid,vm_id,family,op,func,iter_id,as_id,slot,gfn_start,gfn_end,npages,hva_start,hva_end,dur_ns,ret,err,fw_error,fw_name,psp_cmd,page_type"
for k in 1 2; do
	{ echo "$hdr"; for i in $(seq 2047); do echo "1,,,,,,,unmap,f${k}_$i,,,,,,,,,,,,,,,"; done; } >"$work/names$k.csv"
done
printf '%s\n1,,,,,,,unmap,g\001h,,,,,,,,,,,,,,,\n' "$hdr" >"$work/names3.csv"
if "$ROOT/build/fuzz/fuzz_csv" "$work/names1.csv" "$work/names2.csv" "$work/names3.csv" >"$work/log" 2>&1; then
	echo "ok - fuzz: inputs do not share the function-name table (4094 names over two inputs, then one the writer cleans)"
	rm -rf "$work"
else
	echo "not ok - fuzz: the function-name table leaks from one input to the next (inputs and log in $work)"
	grep -E 'cannot read|ERROR' "$work/log" | head -3 | sed 's/^/#   /'
fi

for target in fuzz_csv fuzz_options; do
	corpus=${target#fuzz_}
	work=$(mktemp -d /tmp/gfntop-fuzz.XXXXXX)
	cp "$ROOT/tests/fuzz/corpus-$corpus"/* "$work/" 2>/dev/null
	if "$ROOT/build/fuzz/$target" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$work/" "$work" >"$work/log" 2>&1; then
		echo "ok - fuzz: $target ran ${SECONDS_EACH}s ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/log" | awk '{print $2}') runs) without a finding"
		rm -rf "$work"
	else
		echo "not ok - fuzz: $target found a problem (reproducer and log in $work)"
		grep -E 'ERROR|SUMMARY|abort' "$work/log" | head -5 | sed 's/^/#   /'
	fi
done
