#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite, from a clean clone: install what the tests need,
# build twice (-Werror; once with ASan+UBSan for the unit tests, once plain
# for the other suites, whose guests and chroots get the plain binary), run
# everything: unit, vm, arch (arm64 BPF objects), fresh (README.md followed in
# a Debian 12 chroot, the .deb installed there) and packages (.deb and .rpm).
# The vm, arch and fresh suites download and cache what they need on first
# use (/var/cache/scx-report-vm); a distribution's build runs only unit.
# Before the closing line: a short run of the benchmarks (scripts/bench-ci.sh).
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

setup build-sanitize -Dwerror=true -Dtests=enabled -Db_sanitize=address,undefined -Db_lundef=false
setup build-ci -Dwerror=true -Dvm_tests=enabled -Dfresh_tests=enabled

rc=0
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C build-sanitize --suite unit --print-errorlogs || rc=1
meson test -C build-ci --print-errorlogs || rc=1

# One closing line over both runs, from meson's own logs.
count() { cat build-sanitize/meson-logs/testlog.json build-ci/meson-logs/testlog.json |
	jq -r .result | grep -cx "$1" || true; }
passed=$(count OK)
failed=$(($(count FAIL) + $(count TIMEOUT) + $(count ERROR) + $(count UNEXPECTEDPASS)))
skipped=$(count SKIP)
# The benchmarks' figures for the log, one table (never asserted, under 2 minutes, the
# exit code stays the tests'); the closing line stays last: CI reads it.
scripts/bench-ci.sh build-ci || true
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || rc=1
exit $rc
