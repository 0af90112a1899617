#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sim-early-stop.sh [BUILD_DIR]: the sequential paired run's early stop by simulation
# (collector/judge/sequential.h: look 1 at 5 runs per side, look 2, trimmed, at 8), from the
# unit test tests/test-sequential.c (fixed seeds, 10,000 trials per case: deterministic). One
# row per case: the ratio of the two sides' centres (1: A/A, equal schedulers), the spread of
# the runs (lognormal sigma), whether one run per side is wild (beyond every run of the other
# side: the worst place for a rank test), how often the design stopped at a screening look (and
# at look 2), and how often it called the sides different in the end. Goals (issue 23): a 40x
# difference with one wild run per side decided early in >= 99% of trials; A/A <= 5%.
set -euo pipefail

BUILD=${1:-build}
bin="$BUILD/tests/test-sequential"
[ -x "$bin" ] || { echo "sim-early-stop.sh: no $bin (build with -Dtests=enabled first)" >&2; exit 1; }

out=$("$bin" 2>&1) || { printf '%s\n' "$out" >&2; echo "sim-early-stop.sh: the unit test failed" >&2; exit 1; }
printf '%-7s %-6s %-9s %8s %8s %10s %7s\n' ratio sigma wild early look2 different trials
printf '%s\n' "$out" | sed -n 's/^sim: ratio \([^ ]*\) sigma \([^ ]*\) outliers \([^:]*\): early \([^ ]*\) (look 2 \([^)]*\)), called different \([^ ]*\) of \([0-9]*\)$/\1 \2 \3 \4 \5 \6 \7/p' |
	while read -r ratio sigma wild early look2 diff n; do
		printf '%-7s %-6s %-9s %8s %8s %10s %7s\n' "$ratio" "$sigma" "$wild" "$early" "$look2" "$diff" "$n"
	done
