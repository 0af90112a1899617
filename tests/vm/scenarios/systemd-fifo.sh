# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
# timeout: 240
#
# systemd-fifo: a Debian 12 guest with the test schedulers installed as a package
# (scx-test-scheds, /usr/bin/scx_fifo) and started by the scx.service unit of the upstream form
# (EnvironmentFile=/etc/default/scx with SCX_SCHEDULER=scx_fifo), then collection.

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" || return 1
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	systemctl status scx.service >"$RESULTS/scx-service-status.txt" 2>&1
	readlink "/proc/$(systemctl show -p MainPID --value scx.service)/exe" >"$RESULTS/scx-service-exe.txt"
	scx_collect
	_rc=$?
	journalctl -b --no-pager >"$RESULTS/journal.txt" 2>&1
	systemctl stop scx.service
	return $_rc
}

check() {
	assert_file_contains scx-service-status.txt 'Active: active \(running\)' "scx.service is running"
	assert_file_equals scx-service-exe.txt /usr/bin/scx_fifo "scx.service runs the packaged /usr/bin/scx_fifo"
	assert_collect_ok
	assert_json .sched_ext.state '"enabled"'
	assert_json .sched_ext.ops '"fifo"'
	assert_json .sched_ext.enable_seq 1
}
