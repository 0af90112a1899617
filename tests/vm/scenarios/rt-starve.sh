# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 240
#
# rt-starve: a SCHED_FIFO busy loop pinned to CPU 1 while scx_fifo runs. On 7.2 the ext deadline
# server keeps a share of CPU 1 for sched_ext tasks next to an RT hog (the kernel's own rt_stall
# selftest passes), so it is switched off for that CPU through debugfs as that selftest does
# (sched/ext_server/cpu1/runtime = 0; the kernel logs "Ext server disabled on CPU 1 ..."): the
# tasks bound to CPU 1 then starve until the watchdog ejects fifo. The verdict must name the RT
# task (environment), not the scheduler.
# Status 2026-12-05: FAILS. Run twice: fifo enabled, "Ext server disabled on CPU 1" logged, then
# no ejection and no result within 120 s / 240 s (the TCG guest stalls as a whole; even the
# guest's own watchdog did not power it off). Not yet a passing scenario.

guest() {
	sched_start fifo || return 1
	_srv=/sys/kernel/debug/sched/ext_server/cpu1
	if [ -d "$_srv" ]; then
		cat "$_srv/runtime" >"$RESULTS/ext-server-before.txt" 2>&1
		echo 0 >"$_srv/runtime" 2>"$RESULTS/ext-server-write.txt" || log "ext server write failed"
	else
		log "no $_srv (debugfs layout)"; ls /sys/kernel/debug/sched >"$RESULTS/debugfs-sched.txt" 2>&1
	fi
	# A sched_ext task that can run only on CPU 1 (as in the selftest), then the hog: busybox
	# sh spinning, SCHED_FIFO 50, CPU 1 only. The first starves until the watchdog fires.
	taskset -c 1 sh -c 'while :; do :; done' &
	_victim=$!
	taskset -c 1 chrt -f 50 sh -c 'while :; do :; done' &
	_hog=$!
	echo "$_hog" >"$RESULTS/hog.pid"
	sched_wait_exit fifo 90
	scx_collect
	_rc=$?
	kill "$_hog" "$_victim" 2>/dev/null
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
