# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 150
#
# paired-slow (6 rounds: under TCG one noisy run per side must not sink the test): scx_slow (one CPU serves every task, 40 ms slices, no wakeup preemption) started
# by hand; the paired run with the mixed workload (a CPU hog per CPU plus a 1 ms periodic
# thread: the interactive-under-load case slow is built to hurt) must find it significantly
# worse than the default scheduler: custom-scheduler-regression, and slow is back afterwards.
# (With the wakeup workload, whose threads sleep after 20 us of work, slow's long slices do not
# bite and TCG noise dominates: no significant difference, which is the honest answer there.)

guest() {
	sched_start slow || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 2 \
		--rounds 6 --workload mixed >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	snapshot_sysfs after
	kill -INT $(pidof scx_slow) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_json .paired.restore.action '"restarted"'
	assert_jq '.paired.runs | map(select(.valid)) | length == 12' "12 valid runs"
	assert_json .verdict.class '"custom-scheduler-regression"'
	assert_json .paired.result.direction '"custom-worse"'
	assert_jq '.paired.result.p < 0.05 and .paired.result.ratio > 1.016' "p < 0.05 and ratio beyond the bucket error"
	assert_jq '.verdict.evidence | length >= 3' "the verdict carries its numbers"
	assert_jq '.verdict.report_to | test("author|built")' "an unpackaged scheduler: report to its author"
	assert_file_contains sysfs-after.txt '^slow$' "slow is loaded again after the paired run"
	echo "figures: $(jq -c '{verdict: .verdict.class, result: .paired.result | {figure, ratio, p, ci95_low, ci95_high, median_custom, median_default}, workload_p99: (.paired.tests[] | select(.figure == "workload_p99_ns") | {ratio, p})}' "$(report_json)")"
}
