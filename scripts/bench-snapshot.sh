#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Wall time, peak RSS and bundle size of a snapshot collection
# (collect --no-latency --no-paired), over several runs, with the machine's
# load before and after, the CPU time, and each probe's duration (report.json's
# probes.NAME.duration_ms) in the last run.
# Targets (issue 23): median <= 0.05 s, <= 20 MiB, <= 64 KiB; a skipped probe <= 1 ms.
# usage: scripts/bench-snapshot.sh [SCX_REPORT] [RUNS]
set -eu
exe=${1:-build/scx-report}
runs=${2:-10}
command -v /usr/bin/time >/dev/null || { echo "bench-snapshot.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

load0=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(date +%s%N)
	/usr/bin/time -f "%M %U %S" -o "$dir/m.$i" "$exe" collect -q --no-latency --no-paired \
		-o "$dir/b.$i.tar.zst" >/dev/null
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000 )) $(cat "$dir/m.$i")" >"$dir/t.$i"
	stat -c %s "$dir/b.$i.tar.zst" >"$dir/s.$i"
	i=$((i + 1))
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$dir"/t.* | sort -n | awk -v runs="$runs" -v who="$(id -un)" -v l0="$load0" -v l1="$load1" '
	{ t[NR] = $1 / 1e6; if ($2 > rss) rss = $2 }
	END {
		n = NR
		printf "snapshot collection as %s, %d runs, load %s before, %s after\n", who, runs, l0, l1
		printf "wall time: median %.3f s, max %.3f s (target: median <= 0.05 s)\n", t[int((n + 1) / 2)], t[n]
		printf "peak RSS:  %.1f MiB (target <= 20 MiB)\n", rss / 1024
	}'
cat "$dir"/m.* | awk '{ print $2 + $3 }' | sort -n | awk '{ c[NR] = $1 }
	END { printf "CPU time:  median %.2f s (user + system, children included: load does not stretch it)\n", c[int((NR + 1) / 2)] }'
cat "$dir"/s.* | sort -n | tail -1 | awk '{ printf "bundle:    %.1f KiB (target <= 64 KiB)\n", $1 / 1024 }'
last=$((runs - 1))
if command -v jq >/dev/null && "$exe" show --member report.json "$dir/b.$last.tar.zst" >"$dir/r.json" 2>/dev/null; then
	echo "probes of the last run (ms; a skipped one <= 1 ms):"
	jq -r '.probes | to_entries[] | "  \(.key)\t\(.value.status)\t\(.value.duration_ms)"' "$dir/r.json" |
		awk -F'\t' '{ printf "  %-12s %-8s %8.1f\n", $1, $2, $3 }'
fi
