# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 300
# host-tools: /usr/bin/chrt
#
# rt-starve: a SCHED_FIFO busy loop pinned to CPU 1 while scx_fifo runs. On 7.2 the ext deadline
# server keeps a share of CPU 1 for sched_ext tasks next to an RT hog: the kernel's own rt_stall
# selftest (tools/testing/selftests/sched_ext/rt_stall.c) pins an EXT task and a SCHED_FIFO 50
# task to one CPU for 5 s and asserts the EXT task gets >= 4% and the scheduler stays loaded. So
# the scenario switches that server off for CPU 1 through debugfs
# (sched/ext_server/cpu1/runtime = 0; the kernel logs "Ext server disabled on CPU 1 ..."): the
# sched_ext tasks bound to CPU 1 then starve until the watchdog ejects fifo (no timeout_ms: the
# kernel's 30 s; its work runs every 15 s, so the ejection comes 30-45 s after the hog starts).
# The verdict must name the RT task (environment), not the scheduler.
# The harness is pinned to CPU 0 first; the victim and the hog end by themselves after 150 s.
# Status 2026-12-05: passes, 5 runs: 147/96/73/113/96 s in all (VM 91/65/61/69/67 s, load 5-25;
# ejection 44-45 s after the hog starts, "sh[N] failed to run"). The two earlier failures had
# no hog at all: busybox has no chrt ("taskset: can't execute 'chrt'" in guest.log), so nothing
# starved, fifo was never ejected and the 90 s wait ran the loaded guest past its limit; chrt now
# comes from the host (util-linux).

guest() {
	# Everything of the harness stays on CPU 0 (the scheduler's loader, scx-report, the results
	# transfer): only the victim and the hog are bound to CPU 1, the CPU that starves.
	taskset -p -c 0 $$ >/dev/null || log "taskset -p failed"
	sched_start fifo || return 1
	_srv=/sys/kernel/debug/sched/ext_server/cpu1
	if [ -d "$_srv" ]; then
		cat "$_srv/runtime" >"$RESULTS/ext-server-before.txt" 2>&1
		echo 0 >"$_srv/runtime" 2>"$RESULTS/ext-server-write.txt" || log "ext server write failed"
	else
		log "no $_srv (debugfs layout)"; ls /sys/kernel/debug/sched >"$RESULTS/debugfs-sched.txt" 2>&1
	fi
	# A sched_ext task that can run only on CPU 1 (as in the selftest), then the hog: sh
	# spinning, SCHED_FIFO 50 (util-linux chrt: busybox has none), CPU 1 only. Both end by
	# themselves after 150 s (busybox timeout's killer stays on CPU 0) should the harness not
	# reach its kill, so the guest always gets CPU 1 back.
	timeout -s KILL 150 taskset -c 1 sh -c 'while :; do :; done' &
	_victim=$!
	timeout -s KILL 150 taskset -c 1 chrt -f 50 sh -c 'while :; do :; done' &
	_hog=$!
	echo "$_hog" >"$RESULTS/hog.pid"
	sleep 1
	chrt -p "$_hog" >"$RESULTS/hog-policy.txt" 2>&1
	# fifo sets no timeout_ms: the kernel's 30 s watchdog timeout applies.
	sched_wait_exit fifo 75
	scx_collect
	_rc=$?
	kill -KILL "$_hog" "$_victim" 2>/dev/null
	[ -d "$_srv" ] && cat "$RESULTS/ext-server-before.txt" >"$_srv/runtime" 2>/dev/null
	return "$_rc"
}

check() {
	assert_collect_ok
	assert_file_contains sched-fifo.log "kind=1026" "fifo was ejected by the watchdog (exit kind 1026)"
	assert_jq '(.history // []) | any(.reason == "runnable task stall")' "history has the stall ejection"
	assert_jq '(.environment.rt.hogs // []) | any(.policy == "SCHED_FIFO" and .cpus == "1")' \
		"the environment probe lists the pinned SCHED_FIFO hog"
	assert_json .verdict.class '"environment"'
	assert_json .verdict.cause '"rt-hog"'
	assert_jq '.verdict.summary | test("Real-time tasks \\(sh")' "the verdict names the RT task"
}
