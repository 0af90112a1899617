#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# install-deps.sh: install what the VM test suite needs on a Debian host (as root): QEMU, the
# guest's busybox and debootstrap, the initramfs and result tools, and the toolchain of the test
# schedulers (clang, libbpf, bpftool, static libelf/zlib/zstd). The kernel itself is fetched by
# tests/vm/fetch-kernel.sh with a private apt configuration.
set -eu

[ "$(id -u)" -eq 0 ] || { echo "install-deps.sh: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
	qemu-system-x86 busybox-static debootstrap cpio gzip zstd jq file \
	clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libzstd-dev libc6-dev \
	dpkg-dev e2fsprogs ca-certificates util-linux coreutils
