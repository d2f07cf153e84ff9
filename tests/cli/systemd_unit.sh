#!/bin/bash
# CLI tier: `make install` puts the program, the manual, the recorder's systemd unit and
# its sysusers.d entry in place; the unit passes `systemd-analyze verify` and its
# offline security analysis. Where PID 1 is systemd, the installed unit is started for
# real as a transient copy with a directory and socket of the test's own; elsewhere
# (this machine: say which) the daemon itself is tested directly by tests/live/record.sh,
# with the unit's capability bounding set.
. "$(dirname "$0")/../lib.sh"

T=$(mktemp -d /tmp/gfntop-unit.XXXXXX)
trap 'rm -rf "$T"' EXIT
command -v systemd-analyze >/dev/null || { requirement_missing cli "no systemd-analyze (systemd)"; exit 0; }

make -s -C "$GFNTOP_ROOT" install DESTDIR="$T" PREFIX=/usr >"$T/install.out" 2>&1
check "unit: make install succeeds" test $? -eq 0
check "unit: installs gfntop 0755, the manual, the unit and the sysusers entry 0644" test \
	"$(cd "$T" && stat -c '%a %n' usr/sbin/gfntop usr/share/man/man8/gfntop.8 usr/lib/systemd/system/gfntop.service usr/lib/sysusers.d/gfntop.conf | tr '\n' ' ')" = \
	"755 usr/sbin/gfntop 644 usr/share/man/man8/gfntop.8 644 usr/lib/systemd/system/gfntop.service 644 usr/lib/sysusers.d/gfntop.conf "
U="$T/usr/lib/systemd/system/gfntop.service"
check "unit: ExecStart runs the installed binary's record command, in the foreground" \
	grep -qx 'ExecStart=/usr/sbin/gfntop record' "$U"
check "unit: Type=notify (the recorder sends READY=1 itself)" grep -qx 'Type=notify' "$U"
for d in ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes StateDirectory=gfntop RuntimeDirectory=gfntop \
	'CapabilityBoundingSet=CAP_BPF CAP_PERFMON CAP_CHOWN' PrivateTmp=yes MemoryDenyWriteExecute=yes; do
	check "unit: $d" grep -qx "$d" "$U"
done
check "unit: no logrotate configuration installed (the recorder rotates itself)" test ! -e "$T/etc/logrotate.d"
# verify needs ExecStart to exist on this system: a copy pointing at the built binary
sed "s|^ExecStart=/usr/sbin/gfntop|ExecStart=$GFNTOP_ROOT/gfntop|" "$U" >"$T/gfntop.service"
systemd-analyze verify --man=no "$T/gfntop.service" >"$T/verify.out" 2>&1
check "unit: systemd-analyze verify finds nothing ($(tr '\n' ' ' <"$T/verify.out"))" test $? -eq 0 -a ! -s "$T/verify.out"
exposure=$(systemd-analyze security --offline=yes "$T/gfntop.service" 2>/dev/null | sed -n 's/.*Overall exposure level for gfntop.service: \([0-9.]*\).*/\1/p')
check "unit: systemd-analyze security rates its exposure at most 3.0 ($exposure)" \
	awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 3.0) }'

if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ] && [ "$(id -u)" -eq 0 ]; then
	# a transient copy of the unit's service settings, in a directory and socket of our own
	unit="gfntop-test-$$"
	props=()
	while IFS= read -r line; do props+=(-p "$line"); done < <(sed -n '/^\[Service\]/,/^\[/p' "$T/gfntop.service" |
		grep -E '^[A-Z][A-Za-z]*=' | grep -vE '^(ExecStart|StateDirectory|RuntimeDirectory|Restart)')
	systemd-run --unit="$unit" "${props[@]}" -p StateDirectory="$unit" -p RuntimeDirectory="$unit" \
		"$GFNTOP_ROOT/gfntop" record -P tp --dir "/var/lib/$unit" --socket "/run/$unit/gfntop.sock" \
		>"$T/run.out" 2>&1
	sleep 3
	check "unit: started under systemd (PID 1) it is active" systemctl is-active --quiet "$unit"
	check "unit: ... and has its first trace file" sh -c "ls /var/lib/$unit | grep -q '^trace-'"
	systemctl stop "$unit"
	check "unit: ... and stops cleanly (SIGTERM)" sh -c "! systemctl is-failed --quiet '$unit'"
	rm -rf "/var/lib/$unit"
else
	echo "# unit: PID 1 is $(ps -p 1 -o comm= 2>/dev/null || echo unknown), not systemd: the unit is checked with systemd-analyze; the daemon is tested directly (tests/live/record.sh, with the unit's capability bounding set)"
fi
exit 0
