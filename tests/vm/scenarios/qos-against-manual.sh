# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 300
#
# qos-against-manual: `scx-report qos --against scx_slow` with scx_fifo started by hand: the
# baseline is another custom scheduler started as a command line, not the default one: every
# baseline run must run on slow, and fifo is back afterwards; then SIGKILL during the against
# side: the guardian stops slow and starts fifo again. The scorecard is printed for the record.

guest() {
	sched_start fifo || return 1
	scx-report qos --allow-restart --against scx_slow --only mixed,pipe --rounds 4 \
		-o "$RESULTS/bug.tar.zst" >"$RESULTS/qos.txt" 2>"$RESULTS/qos.log"
	echo $? >"$RESULTS/qos.rc"
	snapshot_sysfs after
	pidof scx_slow >"$RESULTS/slow-left.txt"
	# SIGKILL while slow is the baseline.
	setsid scx-report qos --allow-restart --against scx_slow --only mixed,pipe,fork --rounds 4 \
		>"$RESULTS/kill.txt" 2>"$RESULTS/kill.log" &
	_scx=$!
	_t=0
	until [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = slow ] || [ "$_t" -ge 900 ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	sleep 1
	snapshot_sysfs during
	kill -KILL "$_scx"
	_t=0
	until [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = fifo ] || [ "$_t" -ge 300 ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	echo "$_t" >"$RESULTS/restore-tenths.txt"
	wait "$_scx"
	echo $? >"$RESULTS/kill.rc"
	sleep 1
	snapshot_sysfs after-kill
	pidof scx_slow >"$RESULTS/slow-left-kill.txt"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_equals qos.rc 0 "qos --against completes"
	assert_json .qos.status '"done"'
	assert_json .qos.baseline '"scx_slow"'
	assert_json .qos.restore.action '"restarted"'
	assert_jq '[.qos.runs[] | select(.side == "baseline" and .valid)] | all(.before.ops == "slow")' \
		"the baseline runs ran on slow"
	assert_jq '[.qos.rows[] | select(.workload == "mixed" and .figure == "p99_ns")][0] | .n_custom == 4 and .n_baseline == 4' \
		"4 runs a side on the tick row"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again"
	if [ -s slow-left.txt ]; then fail "scx_slow still runs: $(cat slow-left.txt)"; else pass "slow stopped"; fi
	assert_file_contains sysfs-during.txt '^slow$' "the kill came while slow was the baseline"
	assert_file_equals kill.rc 137 "scx-report qos was killed"
	assert_file_contains kill.log 'guardian: stopping the baseline scheduler slow' "the guardian stopped slow"
	assert_file_contains kill.log 'guardian: fifo is running again' "the guardian restored fifo"
	assert_file_contains sysfs-after-kill.txt '^fifo$' "fifo is loaded after the kill"
	if [ -s slow-left-kill.txt ]; then fail "scx_slow still runs after the kill"; else pass "no slow left after the kill"; fi
	echo "fifo back $(cat restore-tenths.txt) tenths of a second after SIGKILL"
	sed 's/^/scorecard: /' qos.txt
}
