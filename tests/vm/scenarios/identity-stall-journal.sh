# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# timeout: 300
#
# identity-stall-journal: scx.service runs scx_stall (SCX_SCHEDULER_OVERRIDE through systemctl
# set-environment, as the upstream unit allows); the watchdog ejects it, systemd restarts it
# (Restart=on-failure) until the start limit. scx-report then finds no active scheduler, and the
# unit's journal (kept in the bundle) gives the kernel's debug dump, attached to the error
# events of the history.

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >"$RESULTS/dpkg-i.log" 2>&1 || return 1
	systemctl daemon-reload
	systemctl set-environment SCX_SCHEDULER_OVERRIDE=scx_stall
	systemctl start scx.service || return 1
	# Ejected within seconds, restarted, ejected again: wait for the unit to give up.
	_left=120
	while [ "$_left" -gt 0 ]; do
		systemctl is-failed -q scx.service && break
		sleep 1
		_left=$((_left - 1))
	done
	systemctl status scx.service >"$RESULTS/scx-service-status.txt" 2>&1
	wait_state disabled 10 || return 1
	scx_collect
	_rc=$?
	journalctl -u scx.service -b -o short-monotonic --no-pager >"$RESULTS/journal-scx.txt" 2>&1
	return $_rc
}

check() {
	assert_file_contains journal-scx.txt 'triggered exit kind 1026' "the unit journal holds the debug dump"
	assert_collect_ok
	assert_json .sched_ext.state '"disabled"'
	assert_json .scheduler.active false
	assert_json .scheduler.unit '"scx.service"'
	assert_jq '.history | any(.event == "error" and .ops == "stall")' "history has stall's error exit"
	assert_jq '.history | any(.event == "error" and .ops == "stall" and (.dump | type == "array" and length > 3))' \
		"the error event carries the dump"
	assert_jq '.history | any(.dump and (.dump | any(test("triggered exit kind 1026"))))' \
		"the dump says exit kind 1026"
	assert_jq '.history | any(.dump_source == "journal of scx.service")' "the dump's source is named"
	if tar -xOf "$BUNDLE" --wildcards '*/scheduler/journal-scx.service.txt' >"$RESULTS/bundle-journal.txt" 2>/dev/null; then
		assert_file_contains bundle-journal.txt 'DEBUG DUMP' "the bundle keeps the unit journal with the dump"
	else
		fail "no scheduler/journal-scx.service.txt in the bundle"
	fi
}
