# Shared helpers for gfntop's shell tests. Each test prints TAP-style lines
# ("ok - name" / "not ok - name") that tests/run.sh counts.
# shellcheck shell=bash

GFNTOP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GFNTOP=${GFNTOP_BIN:-$GFNTOP_ROOT/gfntop}	# the asan tier points this at build-asan/gfntop
WORKLOADS="$GFNTOP_ROOT/build/workloads"

ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
}

# check NAME CONDITION... : ok when the command succeeds
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

# A tier whose requirements are missing: under CI=true it fails, elsewhere it
# is reported as skipped (never silently).
requirement_missing() {
	local tier=$1 why=$2
	if [ "${CI:-}" = "true" ]; then
		not_ok "$tier tier requirements" "$why (CI=true: a missing requirement is a failure)"
	else
		echo "# SKIP $tier tier: $why"
	fi
}

# Waits until FILE has a first line (gfntop writes the header once its probes are attached).
wait_for_header() {
	local file=$1 tries=${2:-200}
	while [ "$tries" -gt 0 ]; do
		[ -s "$file" ] && head -1 "$file" | grep -q '^ts_ns,' && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	return 1
}

# csv_columns FILE COL... : prints the named columns of a gfntop trace, space-separated
# (fields of gfntop traces that these tests read never contain commas or quotes).
csv_columns() {
	local file=$1
	shift
	awk -F, -v want="$*" '
		NR == 1 { n = split(want, w, " "); for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ line = ""; for (k = 1; k <= n; k++) line = line (k > 1 ? " " : "") $(col[w[k]]); print line }
	' "$file"
}

# wait_exit PID SECONDS: waits for background job PID to end by itself and returns its
# status; one that is still running after SECONDS is killed (status 255), so a test of
# "it stops" fails instead of hanging.
wait_exit() {
	local pid=$1 tries=$(($2 * 10))
	while [ "$tries" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		tries=$((tries - 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 255
	fi
	wait "$pid"
}
