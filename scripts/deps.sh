#!/bin/sh
# Installs the Debian/Ubuntu packages that gfntop's build and tests need, only those missing.
# Run by `make run` and `make test`; safe to run again (it does nothing when all are present).
set -eu

# build: compiler, BPF toolchain, libbpf; tests: cmocka, tmux; vm tier: QEMU and initramfs tools;
# benchmarks: bpftrace (the peer gfntop is measured against), python3 (the Python csv peer)
PACKAGES="make gcc clang llvm pkg-config libbpf-dev libelf-dev zlib1g-dev bpftool
	  libcmocka-dev libncurses-dev tmux libclang-rt-dev
	  qemu-system-x86 busybox-static cpio kmod xz-utils zstd binutils
	  bpftrace python3"

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
