# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 150
#
# paired-sigkill: SIGKILL to scx-report in the middle of the paired run's default side (fifo
# stopped, the workload running on the default scheduler). The custom scheduler must be running
# again within a few seconds: scx-report cannot do anything, its guardian process sees it die and
# runs fifo's saved command line again.

guest() {
	sched_start fifo || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 3 \
		--rounds 5 >"$RESULTS/collect.log" 2>&1 &
	_scx=$!
	# The default side: sched_ext disabled while scx-report still runs.
	wait_state disabled 90 || return 1
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
	echo $? >"$RESULTS/collect.rc"
	sleep 1
	snapshot_sysfs after
	pidof scx_fifo >"$RESULTS/fifo-pid-after.txt"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_contains sysfs-during.txt '^disabled$' "the signal came during the default side"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again"
	assert_file_contains fifo-pid-after.txt '^[0-9]+$' "an scx_fifo process runs again"
	_t=$(cat "$RESULTS/restore-tenths.txt")
	if [ "$_t" -le 100 ]; then pass "fifo back $((_t / 10)).$((_t % 10)) s after SIGKILL (limit 10 s under TCG)"
	else fail "fifo took $_t tenths of a second to come back"; fi
	assert_file_equals collect.rc 137 "scx-report was killed"
	assert_file_contains collect.log 'guardian: .*starting fifo again' "the guardian restored it"
	assert_file_contains collect.log 'guardian: fifo is running again' "the guardian confirmed root/ops"
}
