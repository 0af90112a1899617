# SPDX-License-Identifier: GPL-2.0-only
# guest: busybox
#
# versioned: a scheduler whose ops.name carries an scx-style version
# (fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu), running while scx-report collects.

guest() {
	sched_start fifo_versioned || return 1
	scx_collect || return 1
	sched_stop fifo_versioned
}

check() {
	assert_collect_ok
	assert_json .sched_ext.state '"enabled"'
	assert_json .sched_ext.ops '"fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu"'
	# The identity work parses the name.
	assert_json .scheduler.name '"fifo"'
	assert_json .scheduler.version '"1.2.3"'
}
