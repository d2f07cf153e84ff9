#!/bin/bash
# CLI tier: the example alert rules (contrib/prometheus/gfntop.rules.yml) pass `promtool check
# rules`, behave as tests/prometheus/gfntop.rules.test.yml says (`promtool test rules`: each alert
# fires when it must and not otherwise), and name only metrics that gfntop exports.
. "$(dirname "$0")/../lib.sh"
cd "$GFNTOP_ROOT" || exit 1

command -v promtool >/dev/null || { requirement_missing cli "promtool (Debian package prometheus) not installed"; exit 0; }
[ -x "$GFNTOP" ] || { not_ok "rules: gfntop built"; exit 0; }
T=$(mktemp -d /tmp/gfntop-rules.XXXXXX)
trap 'rm -rf "$T"' EXIT

promtool check rules contrib/prometheus/gfntop.rules.yml >"$T/check" 2>&1
rc=$?
check "rules: promtool check rules accepts contrib/prometheus/gfntop.rules.yml" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/check" | head -20
(cd tests/prometheus && promtool test rules gfntop.rules.test.yml) >"$T/test" 2>&1
rc=$?
check "rules: promtool test rules: every alert fires when it must and only then" test $rc -eq 0
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/test" | head -40

# every gfntop_ metric a rule uses is one gfntop exports (the TYPE lines of a replay's textfile)
"$GFNTOP" -r tests/data/sample-mmu.csv --metrics-textfile "$T" >/dev/null 2>"$T/err"
grep -o 'gfntop_[a-z_]*' contrib/prometheus/gfntop.rules.yml | sort -u >"$T/used"
missing=$(comm -23 "$T/used" <(sed -n 's/^# TYPE \([^ ]*\) .*/\1/p' "$T/gfntop.prom" | sort -u))
check "rules: the rules use only exported metrics${missing:+ (not exported: $missing)}" test -z "$missing" -a -s "$T/used"
exit 0
