#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what scx-report needs from Debian's packages (Debian 12 or later).
#   scripts/install-deps.sh          build and run
#   scripts/install-deps.sh --tests  also everything the test suite needs,
#                                    the VM harness included
set -eu
[ "$(id -u)" -eq 0 ] || { echo "install-deps.sh: run as root (apt-get install)" >&2; exit 1; }

# Build (and Build-Depends of debian/control, which lists the same).
build="meson ninja-build pkg-config gcc clang llvm bpftool
	libbpf-dev libelf-dev zlib1g-dev libarchive-dev libzstd-dev libjansson-dev
	libcurl4-openssl-dev scdoc zstd bash-completion systemd"
# The test suites: unit (cmocka), vm (QEMU guests; clang-19 for the kernel's example
# schedulers; the scenarios with two real vCPUs need QEMU >= 10.0: on Debian 12
# tests/vm/fetch-qemu.sh unpacks bookworm-backports' into the VM cache, nothing installed), arch (arm64 BPF build: lld), fresh
# (a debootstrap chroot; git to clone), packages (dpkg-buildpackage, lintian, rpmbuild);
# stress-ng loads the machine to show the unit suite does not depend on load.
tests="libcmocka-dev jq linux-perf libbpf-tools procps util-linux
	qemu-system-x86 busybox-static debootstrap cpio gzip e2fsprogs dpkg-dev
	xz-utils binutils file time libc6-dev ca-certificates make clang-19 llvm-19
	chromium ansible-core lld git debhelper lintian rpm
	nginx-light openssl python3 python3-jsonschema libclang-rt-dev libsystemd-dev stress-ng"

pkgs=$build
[ "${1:-}" = "--tests" ] && pkgs="$build $tests"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi
echo "install-deps.sh: all packages present"
