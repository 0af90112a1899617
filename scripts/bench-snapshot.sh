#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Wall time, peak RSS and bundle size of a snapshot collection
# (collect --no-latency --no-paired), over several runs.
# Targets (issue 2): <= 0.5 s, <= 20 MiB, <= 256 KiB.
# usage: scripts/bench-snapshot.sh [SCX_REPORT] [RUNS]
set -eu
exe=${1:-build/scx-report}
runs=${2:-10}
command -v /usr/bin/time >/dev/null || { echo "bench-snapshot.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(date +%s%N)
	/usr/bin/time -f "%M" -o "$dir/m.$i" "$exe" collect -q --no-latency --no-paired \
		-o "$dir/b.$i.tar.zst" >/dev/null
	t1=$(date +%s%N)
	echo "$(( (t1 - t0) / 1000 )) $(cat "$dir/m.$i")" >"$dir/t.$i"
	stat -c %s "$dir/b.$i.tar.zst" >"$dir/s.$i"
	i=$((i + 1))
done
cat "$dir"/t.* | sort -n | awk -v runs="$runs" -v who="$(id -un)" '
	{ t[NR] = $1 / 1e6; if ($2 > rss) rss = $2 }
	END {
		n = NR
		printf "snapshot collection as %s, %d runs\n", who, runs
		printf "wall time: median %.3f s, max %.3f s (target <= 0.5 s)\n", t[int((n + 1) / 2)], t[n]
		printf "peak RSS:  %.1f MiB (target <= 20 MiB)\n", rss / 1024
	}'
cat "$dir"/s.* | sort -n | tail -1 | awk '{ printf "bundle:    %.1f KiB (target <= 256 KiB)\n", $1 / 1024 }'
