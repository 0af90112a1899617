#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-paired-aa.sh [BUILD_DIR] [N] [WORK_DIR]: the sequential paired run's A/A false-alarm
# rate in the VM. N trials (default 20) of the VM scenario paired-aa's paired run (fifo by hand,
# --calibrate: the default-vs-default rounds follow the same screening-then-full plan as the
# comparison), then one row per trial: what the design called the two default sides (same,
# worse, better), the p of the look that decided, whether a screening look stopped it, how many
# default-vs-default rounds it ran, and the trial's seconds (guest clock, whole collect). Goal
# (issues 16, 23): at most 5% of the trials called different (1 of 20).
#
# SCX_AA_GUESTS=2 splits the trials over two guests booted at once (each takes one of the
# machine's VM slots, tests/vm/run-scenario.sh: never more than the slots allow); default 1.
#
# A benchmark, not a test (~1 min of guest time per trial under TCG): the test suite runs the
# single trial of tests/vm/scenarios/paired-aa.sh.
set -euo pipefail

BUILD=${1:-build}
N=${2:-20}
WORK=${3:-/tmp/vmwork-paired-aa}
GUESTS=${SCX_AA_GUESTS:-1}
HERE=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "bench-paired-aa.sh: $*" >&2; exit 1; }
[ -x "$BUILD/scx-report" ] || die "no $BUILD/scx-report (build first)"
command -v jq >/dev/null || die "jq is missing"
case $N in '' | *[!0-9]*) die "N must be a number of trials, not '$N'" ;; esac
case $GUESTS in 1 | 2) ;; *) die "SCX_AA_GUESTS must be 1 or 2, not '$GUESTS'" ;; esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A trial is paired-aa.sh's collect; the guest keeps each trial's report.json and seconds.
ARGS="--no-latency --allow-restart --calibrate --duration 1 --rounds 5"
# batch FIRST LAST: the scenario file running trials FIRST..LAST in one guest boot.
batch() {
	cat <<EOF2
# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: $((($2 - $1 + 1) * 150 + 60))
guest() {
	sched_start fifo || return 1
	i=$1
	while [ \$i -le $2 ]; do
		t0=\$(date +%s)
		scx-report collect -o "\$RESULTS/bug.tar.zst" $ARGS >"\$RESULTS/collect-\$i.log" 2>&1
		rc=\$?
		echo "\$i \$rc \$((\$(date +%s) - t0))" >>"\$RESULTS/trials.txt"
		scx-report show --json "\$RESULTS/bug.tar.zst" >"\$RESULTS/aa-\$i.json" 2>/dev/null
		rm -f "\$RESULTS/bug.tar.zst"
		i=\$((i + 1))
	done
	sched_stop fifo
	return 0
}
check() { pass; }
EOF2
}

per=$(((N + GUESTS - 1) / GUESTS))
pids=()
for g in $(seq 1 "$GUESTS"); do
	first=$(((g - 1) * per + 1))
	last=$((g * per < N ? g * per : N))
	[ "$first" -le "$last" ] || continue
	batch "$first" "$last" >"$tmp/paired-aa-batch$g.sh"
	"$HERE/tests/vm/run-scenario.sh" "$tmp/paired-aa-batch$g.sh" "$BUILD/scx-report" "$WORK" \
		>"$tmp/log$g" 2>&1 &
	pids+=("$!")
done
for p in "${pids[@]}"; do wait "$p" || true; done

# One row per trial, from the results the guests brought back.
printf '%-5s %-4s %-9s %-8s %-7s %-6s %-7s %s\n' trial rc verdict p early rounds seconds ratio
done_n=0 diff_n=0 early_n=0
for g in $(seq 1 "$GUESTS"); do
	res=$WORK/paired-aa-batch$g/results
	[ -s "$res/trials.txt" ] || { tail -n 20 "$tmp/log$g" >&2; continue; }
	while read -r i rc secs; do
		j=$res/aa-$i.json
		row=$(jq -r '.paired as $p | $p.calibration as $c |
			if $p.status != "done" or $c == null then "- - - - -" else
			[(if $c.called_different then
				(if ($c.ratio > 1) == ($c.higher_is_better | not) then "worse" else "better" end)
			  else "same" end),
			 (($c.p // 1) * 10000 | round / 10000 | tostring),
			 ($c.stopped_early | tostring),
			 ([$p.runs[] | select(.side | test("calibration"))] | length / 2 | tostring),
			 (($c.ratio // 0) * 100 | round / 100 | tostring)] | join(" ") end' "$j" 2>/dev/null) ||
			row="- - - - -"
		read -r verdict p early rounds ratio <<<"$row"
		printf '%-5s %-4s %-9s %-8s %-7s %-6s %-7s %s\n' "$i" "$rc" "$verdict" "$p" "$early" "$rounds" "$secs" "$ratio"
		[ "$verdict" = - ] && continue
		done_n=$((done_n + 1))
		[ "$verdict" = same ] || diff_n=$((diff_n + 1))
		[ "$early" = true ] && early_n=$((early_n + 1))
	done < <(sort -n "$res/trials.txt")
done
echo
echo "A/A (default vs default) trials: $done_n of $N done, host load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "called different: $diff_n of $done_n; stopped at a screening look: $early_n; goal <= 5%"
[ "$done_n" -eq "$N" ] || die "only $done_n of $N trials came back (logs: $WORK/paired-aa-batch*/)"
