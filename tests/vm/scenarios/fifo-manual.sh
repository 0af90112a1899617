# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
#
# fifo-manual: scx_fifo started by hand in the background from the init shell, still running
# while scx-report collects.

guest() {
	sched_start fifo || return 1
	snapshot_sysfs collect
	scx_collect || return 1
	sched_stop fifo
}

check() {
	assert_collect_ok
	assert_json .sched_ext.supported true
	assert_json .sched_ext.state '"enabled"'
	assert_json .sched_ext.ops '"fifo"'
	assert_json .sched_ext.enable_seq 1
	assert_jq '.sched_ext.switch_all | . == true or . == 1' "switch_all is set (fifo switches every task)"
	assert_json .sched_ext.nr_rejected 0
	assert_jq '.sched_ext.events | type == "object" and length > 0' "root/events counters are reported"
	assert_jq '(.history // []) | any(.event == "enabled" and .ops == "fifo")' "history has fifo's enable event"
}
