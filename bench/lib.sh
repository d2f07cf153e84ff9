# Shared helpers of gfntop's benchmarks (sourced by bench/*.sh).
#
# Every benchmark measures gfntop and its peers side by side in one run, in
# alternating rounds, and reports min/median/max and ratios of medians: the
# machines are noisy, so only ratios within one run mean anything.
#
# Each script prints a Markdown section (copied into BENCHMARKS.md) and, for
# each budget it checks, a TAP line ("ok - ..." / "not ok - ..."), which
# bench/run and tests/run.sh count. BENCH_QUICK=1 (the guard run by `make test`)
# runs fewer, shorter rounds and checks only gross limits.
# shellcheck shell=bash

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# ok, not_ok, check, requirement_missing, wait_for_header, csv_columns; GFNTOP (GFNTOP_BIN or ./gfntop)
. "$BENCH_ROOT/tests/lib.sh"
BENCH_BIN=$BENCH_ROOT/build/bench
BENCH_QUICK=${BENCH_QUICK:-0}
# the traced workload runs on the last CPU; peers and consumers are left to the scheduler
WORKLOAD_CPU=$(($(nproc) - 1))

quick() { [ "$BENCH_QUICK" = 1 ]; }

# kv KEY TEXT: the value of KEY=value in TEXT
kv() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

# stats < numbers: "min median max" (the median of an even count is the mean of the middle two)
stats() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "nan nan nan"; exit }
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.6g %.6g %.6g\n", v[1], m, v[NR]
		}'
}

# median < numbers
median() { stats | awk '{ print $2 }'; }

# calc EXPR: floating-point arithmetic (awk; no bc on a minimal machine)
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

# int EXPR: rounded to an integer (rates, counts)
int() { awk "BEGIN { printf \"%.0f\", $1 }"; }

# le A B: A <= B, as numbers
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# budget NAME VALUE LIMIT: one TAP line saying whether VALUE <= LIMIT
budget() {
	if le "$2" "$3"; then ok "$1: $2 <= $3"; else not_ok "$1: $2 > $3"; fi
}

# rotate N ROUND WORD...: the words rotated left by ROUND (alternating orders per round)
rotate() {
	local r=$1
	shift
	local n=$#
	local words=("$@") i
	for ((i = 0; i < n; i++)); do printf '%s ' "${words[$(((i + r) % n))]}"; done
	echo
}

# wait_for_line FILE PATTERN [TRIES]: until FILE has a line matching PATTERN (50 ms steps)
wait_for_line() {
	local file=$1 pattern=$2 tries=${3:-400}
	while [ "$tries" -gt 0 ]; do
		grep -q "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# time_cmd [-o FILE] CMD...: runs CMD, prints its wall-clock seconds; its output
# goes to FILE (default: discarded). Fails, printing nothing, if CMD fails (a
# crashed peer must not look fast).
time_cmd() {
	local t0 t1 out=/dev/null
	if [ "$1" = -o ]; then
		out=$2
		shift 2
	fi
	t0=$(date +%s%N)
	"$@" >"$out" 2>/dev/null || return 1
	t1=$(date +%s%N)
	calc "($t1 - $t0) / 1e9"
}

# wait_stopped PID: until the process has stopped itself (SIGSTOP)
wait_stopped() {
	local tries=400
	while [ "$tries" -gt 0 ]; do
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = T ] && return 0
		sleep 0.01
		tries=$((tries - 1))
	done
	return 1
}

# cpu_ns PID: CPU time the process's threads have used so far, in ns (the
# scheduler's own account; clock ticks are too coarse for a process that uses
# under 1% of a core)
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f\n", s }'; }

# rss_kib PID: resident set size
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# machine: one line describing where the numbers were measured
machine() {
	local cpu
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "$(nproc) CPUs ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
		"kernel $(uname -r), $(date -u +%Y-%m-%d)"
}

mount_tracefs() {
	mountpoint -q /sys/kernel/tracing 2>/dev/null || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	return 0
}
