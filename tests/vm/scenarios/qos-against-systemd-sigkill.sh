# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
# timeout: 360
#
# qos-against-systemd-sigkill: `scx-report qos --against scx_slow` under scx.service, SIGKILLed
# while slow's start is under way, that is while PID 1's environment holds
# SCX_SCHEDULER_OVERRIDE=scx_slow (a drop-in makes that start last 4 s: ExecStartPre=sleep 4).
# No signal handler runs on SIGKILL: the guardian must unset the override, stop the baseline
# start still in flight, and start fifo again through the unit; afterwards scx.service runs fifo
# and the manager's environment has no override.

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" || return 1
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	mkdir -p /run/systemd/system/scx.service.d
	printf '[Service]\nExecStartPre=/bin/sleep 4\n' >/run/systemd/system/scx.service.d/slow-start.conf
	systemctl daemon-reload
	setsid scx-report qos --against scx_slow --only mixed --rounds 4 -o "$RESULTS/bug.tar.zst" \
		>"$RESULTS/qos.txt" 2>"$RESULTS/qos.log" &
	_scx=$!
	_t=0
	until systemctl show-environment 2>/dev/null | grep -q '^SCX_SCHEDULER_OVERRIDE=' || [ "$_t" -ge 600 ]; do
		sleep 0.2
		_t=$((_t + 1))
	done
	systemctl show-environment >"$RESULTS/manager-env-during.txt" 2>&1
	kill -KILL "$_scx"
	wait "$_scx"
	echo $? >"$RESULTS/qos.rc"
	# The guardian: unset, stop slow's start, start fifo (its ExecStartPre sleeps 4 s too).
	wait_loaded fifo 600 >"$RESULTS/restore-tenths.txt"
	sleep 2
	snapshot_sysfs after
	systemctl is-active scx.service >"$RESULTS/scx-active-after.txt" 2>&1
	systemctl show-environment >"$RESULTS/manager-env.txt" 2>&1
	journalctl -b -u scx.service --no-pager >"$RESULTS/journal-scx.txt" 2>&1
	rm -rf /run/systemd/system/scx.service.d
	systemctl daemon-reload
	systemctl stop scx.service
	return 0
}

check() {
	assert_file_contains manager-env-during.txt '^SCX_SCHEDULER_OVERRIDE=scx_slow$' \
		"the signal came while PID 1 held the override"
	assert_file_equals qos.rc 137 "scx-report was killed"
	assert_file_contains qos.log 'guardian: unsetting SCX_SCHEDULER_OVERRIDE' "the guardian unset it"
	if grep -q SCX_SCHEDULER_OVERRIDE "$RESULTS/manager-env.txt"; then
		fail "the override was left in the manager's environment"
	else
		pass "no override left in systemd's environment"
	fi
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again"
	assert_file_equals scx-active-after.txt active "scx.service is active again"
	echo "figures: fifo back after $(cat "$RESULTS/restore-tenths.txt") tenths of a second"
	sed 's/^/guardian: /' "$RESULTS/qos.log" | grep 'guardian: .*guardian' || true
}
