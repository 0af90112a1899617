# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 300
#
# qos-sigkill: SIGKILL to `scx-report qos` in the middle of the battery's baseline side (fifo
# stopped, workloads running on the default scheduler). fifo must be running again within a few
# seconds: the guardian sees scx-report die and runs fifo's saved command line again. The
# workload's processes (the cgroup hogs) die with it (PR_SET_PDEATHSIG).

guest() {
	sched_start fifo || return 1
	setsid scx-report qos --suite quick --allow-restart --only mixed,cgroup,pipe \
		>"$RESULTS/qos.txt" 2>"$RESULTS/qos.log" &
	_scx=$!
	wait_state disabled 120 || return 1
	sleep 2
	snapshot_sysfs during
	kill -KILL "$_scx"
	_t=0
	until [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = fifo ] || [ "$_t" -ge 300 ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	echo "$_t" >"$RESULTS/restore-tenths.txt"
	wait "$_scx"
	echo $? >"$RESULTS/qos.rc"
	sleep 1
	snapshot_sysfs after
	pidof scx_fifo >"$RESULTS/fifo-pid-after.txt"
	# No workload process outlives scx-report.
	for _p in /proc/[0-9]*; do
		[ "$(cat "$_p/comm" 2>/dev/null)" = scx-report-wl ] && echo "${_p#/proc/}"
	done >"$RESULTS/wl-left.txt"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_fifo_back SIGKILL
	assert_file_equals qos.rc 137 "scx-report qos was killed"
	assert_file_contains qos.log 'guardian: .*starting fifo again' "the guardian restored it"
	assert_file_contains qos.log 'guardian: fifo is running again' "the guardian confirmed root/ops"
	if [ -s wl-left.txt ]; then fail "workload processes left: $(cat wl-left.txt)"
	else pass "no scx-report-wl process left"; fi
}
