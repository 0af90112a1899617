#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A short run of the benchmarks for CI logs: bench-snapshot, bench-show,
# bench-triage and bench-scan (not bench-latency: it needs an idle machine),
# printed as one table against their targets with the machine's load.
# Figures are printed, never asserted: the exit code is always 0.  Snapshot
# and show get at most BENCH_BUDGET seconds each (default 22), triage and scan
# (they build their input first: bundles, processes) twice that, so the whole
# run stays under about 2.5 minutes; one cut short says so in its row.
# usage: scripts/bench-ci.sh BUILD_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
exe=$(readlink -f "$build/scx-report")
budget=${BENCH_BUDGET:-22}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rows=()
row() { rows+=("$(printf '%-9s %-72s %-28s %s' "$1" "$2" "$3" "$4")"); }
run() {	# NAME CMD...: output in $tmp/NAME, the load before it in $load; $limit s (default budget)
	local name=$1 lim=${limit:-$budget}
	shift
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	timeout -k 2 "$lim" "$@" >"$tmp/$name" 2>&1
	rc=$?
	[ $rc -eq 124 ] || [ $rc -eq 137 ] && cut=" (cut at ${lim} s)" || cut=""
}

run snapshot "$here/bench-snapshot.sh" "$exe" 5
fig=$(awk '/^wall time/ { m = $4; x = $7 } /^peak RSS/ { r = $3 } /^bundle/ { b = $2 }
	END { if (m != "") printf "median %s s, max %s s, RSS %s MiB, %s KiB", m, x, r, b }' "$tmp/snapshot")
row snapshot "${fig:-no figures}$cut" "<= 0.05 s, 20 MiB, 64 KiB" "$load"
fig=$(awk '/^probes of the last run/ { p = 1; next }
	p && $2 == "skipped" { n++; if ($3 + 0 > m) m = $3 + 0 }
	p && $2 != "skipped" { k++; sum += $3; if ($3 + 0 > w) { w = $3 + 0; who = $1 } }
	END { if (k) printf "%d ran, sum %.1f ms, slowest %s %.1f ms; %d skipped, slowest %.1f ms", k, sum, who, w, n, m }' "$tmp/snapshot")
row probes "${fig:-no figures}" "a skipped one <= 1 ms" "$load"

run show "$here/bench-show.sh" "$exe"
fig=$(awk 'NR > 1 && NF == 5 { n++; if ($3 > s) s = $3; if ($4 > r) r = $4; if ($5 != 0) refused++ }
	END { if (n) printf "%d bundles (%d refused): slowest %.2f s, peak RSS %.1f MiB", n, refused, s, r / 1024 }' "$tmp/show")
row show "${fig:-no figures}$cut" "peak RSS < 64 MiB" "$load"

limit=$((2 * budget)) run triage "$here/bench-triage.sh" "$exe" 200
fig=$(awk '/^triage of/ { printf "%s bundles: %s ms", $3, $6 } /^checks:/ { printf ", checks %s", $2 }' "$tmp/triage")
row triage "${fig:-no figures}$cut" "1,000 in <= 5 s" "$load"

if [ "$(id -u)" = 0 ] && [ -x "$build/tests/bench-procscan" ]; then
	SIZES="1000 5000" REPEAT=1 limit=$((2 * budget)) run scan "$here/bench-scan.sh" "$build"
	fig=$(awk '/^== / { mode = $2; sub(":", "", mode) }
		/^[0-9]+ processes x/ { printf "%s%s %dk %s ms", s, mode, $1 / 1000, $7; s = ", " }' "$tmp/scan")
	row scan "${fig:-no figures}$cut" "<= 1 s at 10k, linear" "$load"
else
	row scan "not run (needs root and $build/tests/bench-procscan)" "<= 1 s at 10k, linear" "-"
fi

echo "== benchmarks ($(nproc) CPUs, $(uname -r); figures, not checks)"
printf '%-9s %-72s %-28s %s\n' bench figures target "load before"
printf '%s\n' "${rows[@]}"
exit 0
