#!/bin/sh
# Installs the Debian/Ubuntu packages that gfntop needs, only those missing; safe to run again
# (it does nothing when all are present).
#   scripts/deps.sh build   what building and running gfntop needs (`make run`: a host that only
#                           runs gfntop gets no test or benchmark tools)
#   scripts/deps.sh         that, and what the tests and benchmarks need (`make test`, `make bench`)
set -eu

# build: compiler, BPF toolchain, libbpf, ncurses, libmicrohttpd (the --metrics endpoint)
BUILD="make gcc clang llvm pkg-config libbpf-dev libelf-dev zlib1g-dev bpftool libncurses-dev
       libmicrohttpd-dev"
# tests: cmocka, tmux, clang's sanitizer runtimes; vm tier: QEMU and initramfs tools;
# benchmarks: bpftrace (the peer gfntop is measured against), python3 (the Python csv peer);
# the recorder's unit test: systemd (systemd-analyze), util-linux (setpriv);
# metrics: a real Prometheus and promtool, curl, python3-prometheus-client (an OpenMetrics parser)
CHECK="libcmocka-dev tmux libclang-rt-dev
       qemu-system-x86 busybox-static cpio kmod xz-utils zstd binutils
       bpftrace python3 systemd util-linux
       prometheus curl python3-prometheus-client"

case ${1:-all} in
build) PACKAGES=$BUILD ;;
all) PACKAGES="$BUILD $CHECK" ;;
*) echo "usage: scripts/deps.sh [build|all]" >&2; exit 2 ;;
esac

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps.sh: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
