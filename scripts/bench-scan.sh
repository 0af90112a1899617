#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-scan.sh [BUILD_DIR]: how the scheduler identity probe's holder scan
# (sched_procscan: which process holds the scheduler's BPF objects) grows
# with the number of processes (root: one process holds a real BPF map).
#
# tests/bench-procscan forks N processes of 20 fds each, one holding a BPF
# map, and times the scan REPEAT times; this prints its lines at 1k, 5k and
# 10k processes, then the ratios of the times (linear growth: 5 and 10), for
# both ways the probe has: the BPF task_file iterator (live, root: what the
# probe uses) and the /proc walk (SCX_HOLDERS_PROCFS=1: its fallback, and
# what captured trees and non-root runs get).
# Goal (issue 16): <= 1 s at 10,000 processes on an idle machine.
#
# Environment: SIZES (default "1000 5000 10000"), REPEAT (default 3).
set -euo pipefail

BUILD=${1:-build}
BENCH=$BUILD/tests/bench-procscan
SIZES=${SIZES:-1000 5000 10000}
REPEAT=${REPEAT:-3}

die() { echo "bench-scan.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (the BPF map, and every process's fds)"
[ -x "$BENCH" ] || die "no $BENCH (build first: meson setup $BUILD && ninja -C $BUILD)"
max=0
for n in $SIZES; do [ "$n" -gt "$max" ] && max=$n; done
[ "$(cat /proc/sys/kernel/pid_max)" -gt $((max + 2000)) ] || die "pid_max is below $max + 2000"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for mode in iterator procfs; do
: > "$out"
echo "== $mode: scan of N processes x 20 fds ($(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1 /proc/loadavg))"
for n in $SIZES; do
	if [ $mode = procfs ]; then
		SCX_HOLDERS_PROCFS=1 "$BENCH" "$n" "$REPEAT" | tee -a "$out"
	else
		"$BENCH" "$n" "$REPEAT" | tee -a "$out"
	fi
done
python3 - "$out" <<'PY'
import re, sys
rows = []
for line in open(sys.argv[1]):
    m = re.match(r"(\d+) processes .*scan ([\d.]+) ms \(fastest\).*CPU ([\d.]+) ms", line)
    if m:
        rows.append((int(m[1]), float(m[2]), float(m[3])))
n0, w0, c0 = rows[0]
print()
print(f"{'processes':>10} {'wall ms':>9} {'CPU ms':>8} {'wall ratio':>11} {'CPU ratio':>10} {'linear':>7}")
for n, w, c in rows:
    print(f"{n:>10} {w:9.1f} {c:8.1f} {w / w0:11.2f} {c / c0:10.2f} {n / n0:7.1f}")
PY
echo
done
