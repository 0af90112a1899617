# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 150
#
# paired-starve: a scheduler that is fine until the paired run's workload starts on it, then
# starves the workload's threads (scx_starve: fifo, except threads named scx-report-wl), so the
# watchdog ejects it in the middle of the first measured custom run while scx-report itself
# keeps running. Expected: the ejection is recorded against that run, the run is dropped,
# custom-scheduler-failure, and the default scheduler (the kernel's choice) is left running and
# the report says so. No object patching: the scheduler itself only misbehaves under load.

guest() {
	sched_start starve || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 3 \
		--rounds 5 >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	sched_wait_exit starve 10
	snapshot_sysfs after
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0 (a bundle was written)"
	assert_file_equals sched-starve.rc 1 "scx_starve exited with an error (it was ejected)"
	assert_file_contains sched-starve.log 'runnable task stall' "the loader got the kernel's reason"
	assert_json .paired.status '"ejected"'
	assert_json .paired.ejection.reason '"runnable task stall"'
	assert_jq '.paired.ejection.run == 1' "ejected during run 1, the first custom run"
	assert_jq '.paired.ejection.when | test("during")' "the report says it happened during the run"
	assert_jq '.paired.runs[0] | (.side | test("custom$")) and (.valid | not)' "the run it happened in is dropped"
	assert_jq '.paired.runs[0].drop_reason | length > 0' "with the reason it was dropped"
	assert_json .paired.restore.action '"left-default"'
	assert_json .verdict.class '"custom-scheduler-failure"'
	assert_jq '.verdict.summary | test("left running")' "the verdict says the default scheduler was left running"
	# history is the kernel log as read before the paired run; what the kernel said during it
	# is kept with the ejection.
	assert_jq '.paired.ejection.kernel_log | any(test("BPF scheduler \"starve\" disabled \\(runnable task stall\\)"))' "the kernel's disable line is kept with the ejection"
	assert_file_contains sysfs-after.txt '^disabled$' "sched_ext is disabled afterwards (default scheduler)"
	echo "figures: $(jq -c '{verdict: .verdict.class, ejection: .paired.ejection | {run, round, when, reason}, run1: .paired.runs[0] | {side, valid, drop_reason}}' "$(report_json)")"
}
