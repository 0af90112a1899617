# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# mttcg: yes
# timeout: 300
#
# paired-aa: one A/A trial of the sequential paired run. fifo by hand with --calibrate and short
# runs: the default-vs-default rounds follow the same plan as the comparison (5 screening rounds,
# 8 when the medians are far apart but the runs overlap, then the full 5 unless a look decided), and report.json says whether this design would
# have called the two default sides different (.paired.calibration.called_different). One trial
# here; scripts/bench-paired-aa.sh runs it N times and counts (the false-alarm rate, <= 5%).

guest() {
	sched_start fifo || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --calibrate \
		--duration 1 --rounds 5 >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	snapshot_sysfs after
	sched_stop fifo
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_jq '[.paired.runs[] | select(.side | startswith("screen-calibration"))] | length | IN(10, 16)' "10 or 16 screening calibration runs (5 or 8 default-vs-default pairs)"
	assert_jq '.paired.sequential.calibration_screen.decisive | type == "boolean"' "the calibration screen was judged"
	assert_jq '.paired.calibration.called_different | type == "boolean"' "the calibration pair was judged by the design"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again after the paired run"
	echo "aa: $(jq -c '{called_different: .paired.calibration.called_different, stopped_early: .paired.calibration.stopped_early, p: .paired.calibration.p, ratio: .paired.calibration.ratio, screen_p: .paired.sequential.calibration_screen.p, screen_ratio: .paired.sequential.calibration_screen.ratio}' "$(report_json)")"
}
