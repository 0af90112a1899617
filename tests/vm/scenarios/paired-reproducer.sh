# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 150
#
# paired-reproducer: the user's reproducer (--workload-cmd -- CMD ARGS...) fails on both
# schedulers: a command that exits 3 every time. Expected: reproduces-on-default, reported to
# the distribution kernel, and fifo back afterwards. The command is run as given (no shell
# string: its argument has a space and a quote that a shell would have interpreted).

guest() {
	sched_start fifo || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 1 \
		--rounds 5 --workload-cmd -- sh -c 'echo "repro failed"; sleep 0.3; exit 3' \
		>"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	snapshot_sysfs after
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_json .paired.workload '"cmd"'
	assert_json .paired.command '["sh","-c","echo \"repro failed\"; sleep 0.3; exit 3"]'
	assert_json .paired.reproducer.custom_failures 5
	assert_json .paired.reproducer.default_failures 5
	assert_jq '.paired.runs | all(.workload.exit_status == 3 and .workload.output_tail == "repro failed\n")' "every run exited 3 with its output kept"
	assert_json .verdict.class '"reproduces-on-default"'
	assert_jq '.verdict.report_to | test("kernel")' "report to the distribution kernel"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again after the paired run"
}
