#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite, from a clean clone: install what the tests need,
# build twice (-Werror; once with ASan+UBSan for the unit tests, once plain
# for the VM suite, whose guest gets the plain binary), run everything.
# The VM suite downloads and caches Debian's sched_ext kernel on first use.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "run-tests.sh: run as root (packages, BPF, VM)" >&2; exit 1; }

scripts/install-deps.sh --tests

setup() {
	dir=$1; shift
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "$@" >/dev/null
	else
		meson setup "$dir" "$@" >/dev/null
	fi
	ninja -C "$dir"
}

setup build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
setup build-ci -Dwerror=true

rc=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C build-sanitize --suite unit --print-errorlogs || rc=1
meson test -C build-ci --print-errorlogs || rc=1
exit $rc
