#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `scx-report show` on real and hostile bundles: wall time, peak RSS (/usr/bin/time),
# exit code, one row per bundle.
#   scripts/bench-show.sh SCX_REPORT [BUNDLE...]
# The hostile bundles come from tests/hostile/make-hostile.py (20,000 members, an
# 8 MiB report.json in a 1 KB member, 100,000 folders, ...); the real ones are the
# fuzz seed corpus and any BUNDLE given.
set -eu
exe=$(readlink -f "$1")
shift
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/tests/hostile/make-hostile.py" "$work/h"
printf '%-28s %10s %8s %12s %5s\n' bundle bytes seconds "peak RSS KiB" exit
for b in "$src"/tests/fuzz/corpus/*.tar.zst "$@" "$work"/h/*.tar.zst; do
	s=$(date +%s.%N)
	set +e
	/usr/bin/time -f %M -o "$work/rss" "$exe" show "$b" >/dev/null 2>&1
	rc=$?
	set -e
	e=$(date +%s.%N)
	printf '%-28s %10s %8.2f %12s %5s\n' "$(basename "$b")" "$(stat -c %s "$b")" \
		"$(echo "$e - $s" | bc)" "$(tail -n 1 "$work/rss")" "$rc"
done
