#!/bin/bash
# Runs every test tier of gfntop and ends with one line: "N passed, N failed".
#   unit  cmocka programs in build/tests/ (decode tables, CSV, aggregation, options)
#   cli   the real binary without privileges: usage errors, replay, trace-file safety
#   tui   the real binary in tmux: keys, drill-down, resize, quit (replay; live when possible)
#   live  real KVM and real probes on this kernel (needs root, BPF, /dev/kvm)
#   bench the benchmarks' quick guard (bench/run, BENCH_QUICK=1): fails on gross regressions only
#   vm    real Debian kernels under QEMU (tests/vm/)
#   asan  unit, cli, tui and live again, built with ASan (incl. LeakSanitizer) and UBSan
#   fuzz  a short libFuzzer run of the trace reader and the option parser (make fuzz: longer)
# GFNTOP_TIERS="unit cli" narrows the run. Exit status is non-zero on any failure.
set -u
cd "$(dirname "$0")/.." || exit 1
TIERS=${GFNTOP_TIERS:-unit cli tui live bench vm asan fuzz}
LOG_DIR=$(mktemp -d /tmp/gfntop-tests.XXXXXX)
passed=0 failed=0 skipped=0

count() {	# count TAP lines of a test's output file
	local out=$1
	local p f s
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	s=$(grep -c '^# SKIP' "$out")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

run_one() {	# run_one NAME COMMAND...: runs a test, shows its output, counts it
	local name=$1
	shift
	local out="$LOG_DIR/$(echo "$name" | tr '/ ' '__').out"
	echo "=== $name"
	"$@" >"$out" 2>&1
	local rc=$?
	cat "$out"
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok - $name exited with status $rc" | tee -a "$out"
	fi
	count "$out"
}

for tier in $TIERS; do
	case $tier in
	unit)
		for t in build/tests/test_*; do
			[ -x "$t" ] || continue
			run_one "unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
		done
		;;
	cli | tui | live)
		for t in tests/"$tier"/*.sh; do
			[ -f "$t" ] || continue
			run_one "$tier/$(basename "$t" .sh)" bash "$t"
		done
		;;
	bench)
		# bounded: a hung peer or program must fail the tier, not stall CI
		run_one "bench/quick" timeout 900 env BENCH_QUICK=1 bench/run
		;;
	vm)
		run_one "vm/matrix" tests/vm/run-matrix
		;;
	asan)
		# any sanitizer report makes the program exit non-zero: the tests see it
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
		for t in build-asan/tests/test_*; do
			[ -x "$t" ] && run_one "asan/unit/$(basename "$t")" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
		done
		for t in tests/cli/*.sh tests/tui/*.sh tests/live/*.sh; do
			run_one "asan/$(basename "$(dirname "$t")")/$(basename "$t" .sh)" \
				env GFNTOP_BIN="$PWD/build-asan/gfntop" bash "$t"
		done
		unset ASAN_OPTIONS UBSAN_OPTIONS
		;;
	fuzz)
		run_one "fuzz/short" tests/fuzz/run.sh "${GFNTOP_FUZZ_SECONDS:-15}"
		;;
	*)
		echo "unknown tier '$tier'" >&2
		exit 2
		;;
	esac
done

rm -rf "$LOG_DIR"
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
