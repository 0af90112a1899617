# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# mttcg: yes
# timeout: 360
#
# paired-calibrate: fifo by hand with --calibrate: besides the custom/default rounds, default-vs-
# default rounds measure this machine's noise floor, which the result's threshold then includes.
# fifo is back afterwards and every run is valid.

guest() {
	sched_start fifo || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --calibrate \
		--duration 2 --rounds 5 >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	snapshot_sysfs after
	sched_stop fifo
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_json .paired.calibrate true
	assert_jq '[.paired.runs[] | select(.side | startswith("calibration"))] | length == 10' "10 calibration runs (5 default-vs-default pairs)"
	# The sequential design stops at its 5 screening rounds when fifo is far from the default
	# (then 10 screening runs decide), or at 8 when an outlier made it look again (16);
	# otherwise the 5 full rounds run.
	assert_jq '([.paired.runs[] | select(.side == "custom" or .side == "default")] | length == 10) or
		(.paired.result.stopped_early == true and
		 ([.paired.runs[] | select(.side == "screen-custom" or .side == "screen-default")] | length | IN(10, 16)))' \
		"10 comparison runs, or 10 or 16 screening runs that decided"
	assert_jq '.paired.runs | all(.valid)' "every run is valid"
	assert_jq '.paired.calibration.noise_floor | type == "number" and . >= 0' "a measured noise floor"
	assert_jq '.paired.result.threshold >= .paired.result.noise_floor and .paired.result.threshold >= .paired.result.bucket_error' "the threshold covers both the noise floor and the bucket error"
	assert_jq '.verdict.class | IN("no-significant-difference","custom-scheduler-regression","custom-scheduler-better","inconclusive")' "a comparison verdict"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again after the paired run"
	echo "figures: $(jq -c '{verdict: .verdict.class, noise_floor: .paired.calibration.noise_floor, result: .paired.result | {ratio, p, threshold}}' "$(report_json)")"
}
