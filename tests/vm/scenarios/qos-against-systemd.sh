# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
# timeout: 360
#
# qos-against-systemd: scx_fifo run by scx.service (package scx-test-scheds); `scx-report qos
# --against scx_slow` starts slow through the same unit with SCX_SCHEDULER_OVERRIDE=scx_slow set
# by `systemctl set-environment` for that start only (unset right after), and fifo again
# without it. Afterwards scx.service runs fifo, and the manager's environment has no override.

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" || return 1
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	scx-report qos --against scx_slow --only mixed --rounds 4 -o "$RESULTS/bug.tar.zst" \
		>"$RESULTS/qos.txt" 2>"$RESULTS/qos.log"
	echo $? >"$RESULTS/qos.rc"
	snapshot_sysfs after
	systemctl is-active scx.service >"$RESULTS/scx-active-after.txt" 2>&1
	systemctl show-environment >"$RESULTS/manager-env.txt" 2>&1
	journalctl -b -u scx.service --no-pager >"$RESULTS/journal-scx.txt" 2>&1
	systemctl stop scx.service
	return 0
}

check() {
	assert_file_equals qos.rc 0 "qos --against through scx.service completes"
	assert_json .qos.status '"done"'
	assert_json .qos.manager '"systemd"'
	assert_jq '.qos.switch | test("SCX_SCHEDULER_OVERRIDE=scx_slow")' "switches through the override"
	assert_jq '[.qos.runs[] | select(.side == "baseline" and .valid)] | length >= 4 and all(.before.ops == "slow")' \
		"the baseline runs ran on slow"
	assert_json .qos.restore.action '"restarted"'
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again"
	assert_file_equals scx-active-after.txt active "scx.service is active again"
	if grep -q SCX_SCHEDULER_OVERRIDE manager-env.txt; then fail "the override was left in the manager's environment"
	else pass "no override left in systemd's environment"; fi
	sed 's/^/scorecard: /' qos.txt
}
