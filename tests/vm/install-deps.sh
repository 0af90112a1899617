#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the VM harness needs (qemu, busybox-static, debootstrap, clang, bpftool, jq, ...): the
# test packages of scripts/install-deps.sh, the one list of the project's packages. As root.
exec "$(dirname "$0")/../../scripts/install-deps.sh" --tests
