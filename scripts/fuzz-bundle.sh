#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzz the bundle reader with libFuzzer (Debian's clang, ASan + UBSan) and print
# the figures: executions, crashes, seconds.
#   scripts/fuzz-bundle.sh [FUZZER] [RUNS]
# FUZZER: a built tests/fuzz/fuzz-bundle; without it (or "") one is built in build-fuzz/
# (CC=clang, -Dfuzz=enabled, -Db_sanitize=address,undefined). RUNS: default 1000000,
# split over SCX_FUZZ_JOBS (default 1) fuzzer processes with seeds 1..JOBS.
# The seed corpus (tests/fuzz/corpus) is copied, never written to. Crash inputs are
# kept in ${SCX_FUZZ_KEEP:-./fuzz-crashes}/ and the script exits 1.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
fuzzer=${1:-}
runs=${2:-1000000}
jobs=${SCX_FUZZ_JOBS:-1}
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
mkdir "$work/artifacts"
start=$(date +%s)
pids=""
j=1
while [ "$j" -le "$jobs" ]; do
	mkdir "$work/corpus$j"
	cp "$src"/tests/fuzz/corpus/*.tar* "$work/corpus$j/"
	# -rss_limit_mb: a hostile input that makes the reader hold more is a crash too.
	"$fuzzer" -runs=$((runs / jobs)) -seed="$j" -max_len=131072 -timeout=20 \
		-rss_limit_mb="${SCX_FUZZ_RSS_MB:-512}" -artifact_prefix="$work/artifacts/" \
		"$work/corpus$j" >"$work/log$j" 2>&1 &
	pids="$pids $!"
	j=$((j + 1))
done
rc=0
for p in $pids; do wait "$p" || rc=$?; done
secs=$(( $(date +%s) - start ))
execs=0
j=1
while [ "$j" -le "$jobs" ]; do
	n=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$work/log$j" | tail -n 1)
	[ -n "$n" ] || n=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$work/log$j" | tail -n 1)
	execs=$((execs + ${n:-0}))
	j=$((j + 1))
done
crashes=$(find "$work/artifacts" -type f | wc -l)
echo "fuzz-bundle: executions: $execs, crashes: $crashes, seconds: $secs, jobs: $jobs, corpus: $(find "$work"/corpus* -type f | wc -l) inputs at the end, exit $rc"
if [ "$crashes" -gt 0 ] || [ "$rc" -ne 0 ]; then
	keep=${SCX_FUZZ_KEEP:-$PWD/fuzz-crashes}
	mkdir -p "$keep"
	cp "$work"/artifacts/* "$keep/" 2>/dev/null || true
	cat "$work"/log* >"$keep/fuzz.log"
	grep -h -m 5 -E 'ERROR|SUMMARY|Assertion' "$work"/log* || tail -n 20 "$work/log1"
	echo "fuzz-bundle: inputs and logs kept in $keep"
	exit 1
fi
