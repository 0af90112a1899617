# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 200
#
# qos-starve: scx_starve queues the workload's threads (scx-report-wl) where no CPU looks, so the
# kernel's watchdog ejects it during the battery's first custom run. `qos --fail-on regression`
# must end non-zero with the battery "ejected", leave the default scheduler the kernel fell back
# to (not start starve again), and say so.

guest() {
	sched_start starve || return 1
	scx-report qos --allow-restart --only wakeup --fail-on regression --json \
		>"$RESULTS/qos.json" 2>"$RESULTS/qos.log"
	echo $? >"$RESULTS/qos.rc"
	sleep 1
	snapshot_sysfs after
	return 0
}

check() {
	assert_file_equals qos.rc 1 "an ejected scheduler fails the gate (exit 1)"
	if jq -e '.status == "ejected" and .restore.action == "left-default"' qos.json >/dev/null; then
		pass "battery ejected, default scheduler left"
	else
		fail "expected ejected/left-default: $(jq -c '{status, restore, reason}' qos.json)"
	fi
	assert_file_contains sysfs-after.txt '^disabled$' "the default scheduler runs afterwards"
	assert_file_contains qos.log 'qos: ejected' "the reason is printed"
}
