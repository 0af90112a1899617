#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the VM harness needs (qemu, busybox-static, debootstrap, clang, bpftool, jq, ...): the
# test packages of scripts/install-deps.sh, the one list of the project's packages. As root.
# The machine's QEMU runs the single-threaded guests; "# mttcg: yes" guests need QEMU >= 10.0,
# which tests/vm/fetch-qemu.sh takes on first use from the machine's release's backports (Debian
# 12: bookworm-backports' qemu-system-x86 10.0.2) and unpacks into the VM cache, so the machine's
# own QEMU and apt sources stay as they are (Debian 13's own QEMU is new enough).
exec "$(dirname "$0")/../../scripts/install-deps.sh" --tests
