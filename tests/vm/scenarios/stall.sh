# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
#
# stall: scx_stall never dispatches and is ejected by the watchdog (timeout_ms 1000) before
# scx-report collects. sysfs keeps no exit reason: only the kernel log tells.

guest() {
	sched_start stall || return 1
	# Its loader exits 1 on the error exit: expected.
	sched_wait_exit stall 30
	[ "$(cat "$RESULTS/sched-stall.rc")" = 1 ] || return 1
	wait_state disabled 10 || return 1
	scx_collect
}

check() {
	assert_file_contains sched-stall.log "kind=1026" "the loader saw exit kind 1026"
	assert_collect_ok
	assert_json .sched_ext.state '"disabled"'
	assert_json .sched_ext.enable_seq 1
	assert_json .sched_ext.ops null
	assert_jq '(.history // []) | any(.reason == "runnable task stall")' "history has the watchdog ejection"
	assert_jq '(.history // []) | any(.event == "enabled" and .ops == "stall")' "history has stall's enable event"
}
