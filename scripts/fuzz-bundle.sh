#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzz the bundle reader with libFuzzer (Debian's clang, ASan + UBSan) and print
# the figures: executions, crashes, seconds.
#   scripts/fuzz-bundle.sh [FUZZER] [RUNS]
# FUZZER: a built tests/fuzz/fuzz-bundle; without it one is built in build-fuzz/
# (CC=clang, -Dfuzz=enabled, -Db_sanitize=address,undefined). RUNS: default 1000000.
# The seed corpus (tests/fuzz/corpus) is copied, never written to. Crash inputs are
# kept in ${SCX_FUZZ_KEEP:-./fuzz-crashes}/ and the script exits 1.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
fuzzer=${1:-}
runs=${2:-1000000}
if [ -z "$fuzzer" ]; then
	b=${SCX_FUZZ_BUILD:-$src/build-fuzz}
	[ -f "$b/build.ninja" ] ||
		CC=clang meson setup "$b" "$src" -Dfuzz=enabled -Db_sanitize=address,undefined \
			-Db_lundef=false >/dev/null
	ninja -C "$b" tests/fuzz/fuzz-bundle >/dev/null
	fuzzer=$b/tests/fuzz/fuzz-bundle
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp "$src"/tests/fuzz/corpus/* "$work/corpus/"
start=$(date +%s)
set +e
# -rss_limit_mb: a hostile input that makes the reader hold more is a crash too.
"$fuzzer" -runs="$runs" -seed="${SCX_FUZZ_SEED:-1}" -max_len=262144 -timeout=20 \
	-rss_limit_mb="${SCX_FUZZ_RSS_MB:-512}" -artifact_prefix="$work/artifacts/" \
	"$work/corpus" >"$work/log" 2>&1
rc=$?
set -e
secs=$(( $(date +%s) - start ))
execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/log" | tail -n 1)
[ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$work/log" | tail -n 1)
crashes=$(find "$work/artifacts" -type f | wc -l)
echo "fuzz-bundle: executions: ${execs:-0}, crashes: $crashes, seconds: $secs, corpus: $(find "$work/corpus" -type f | wc -l) inputs, exit $rc"
if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
	keep=${SCX_FUZZ_KEEP:-$PWD/fuzz-crashes}
	mkdir -p "$keep"
	cp "$work"/artifacts/* "$keep/" 2>/dev/null || true
	cp "$work/log" "$keep/fuzz.log"
	grep -m 5 -E 'ERROR|SUMMARY|Assertion' "$work/log" || tail -n 20 "$work/log"
	echo "fuzz-bundle: inputs and log kept in $keep"
	exit 1
fi
