# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# mttcg: yes
# timeout: 240
#
# paired-fifo-manual: scx_fifo started by hand; scx-report collect --allow-restart runs the
# paired comparison (wakeup workload, 5 rounds of 2 s per side, C D C D ...) by stopping fifo
# with SIGINT and running its command line again. The paired run completes, fifo is back
# afterwards (root/ops), every run is valid, and the verdict is whatever the figures say.

paired_collect() {
	_t0=$(date +%s)
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency "$@" >"$RESULTS/collect.log" 2>&1
	_rc=$?
	echo "$_rc" >"$RESULTS/collect.rc"
	log "scx-report collect exited with $_rc after $(( $(date +%s) - _t0 ))s"
	tail -n 5 "$RESULTS/collect.log"
	return "$_rc"
}

guest() {
	sched_start fifo || return 1
	paired_collect --allow-restart --duration 2 --rounds 5
	_rc=$?
	snapshot_sysfs after
	pidof scx_fifo >"$RESULTS/fifo-pid-after.txt"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return $_rc
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_json .paired.manager '"manual"'
	assert_json .paired.restore.action '"restarted"'
	assert_jq '[.paired.runs[] | .side | select(startswith("screen-"))] as $s | ($s | length | IN(10, 16)) and ($s == [range($s | length) | if . % 2 == 0 then "screen-custom" else "screen-default" end])' "5 (or 8) screening rounds first, interleaved C D C D"
	assert_jq '.paired.sequential.stopped_early or ([.paired.runs[] | .side | select(startswith("screen-") | not)] == ["custom","default","custom","default","custom","default","custom","default","custom","default"])' "then, unless decided early, 5 full rounds interleaved C D C D"
	assert_jq '.paired.sequential.stopped_early == false or .paired.sequential.decided_after_s == .paired.paired_time_s' "an early decision ends the paired run (no run after it; the screening runs are counted above, not timed: a run's seconds grow with the host's load)"
	assert_jq '.paired.runs | all(.valid)' "every run is valid"
	assert_jq '.paired.runs | all(.workload.latency.count > 0 and .workload.throughput.per_s > 0)' "every run has the workload's figures"
	assert_jq '.verdict.class | IN("no-significant-difference","custom-scheduler-regression","custom-scheduler-better","inconclusive")' "a comparison verdict"
	assert_jq '.verdict.report_to | length > 0' "verdict says who to report to"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again after the paired run"
	assert_file_contains fifo-pid-after.txt '^[0-9]+$' "an scx_fifo process runs after the paired run"
	echo "figures: $(jq -c '{verdict: .verdict.class, result: .paired.result | {figure, ratio, p, ci95_low, ci95_high}}' "$(report_json)")"
}
