#!/bin/bash
# Runs each libFuzzer target for SECONDS (default 60) from its seed corpus, in a
# scratch copy so the committed corpus only changes by hand. TAP lines; a crash,
# leak or sanitizer report is a failure and its reproducer is kept and named.
set -u
SECONDS_EACH=${1:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for target in fuzz_csv fuzz_options fuzz_metrics; do
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
