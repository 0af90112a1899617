# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# timeout: 240
#
# probes-nonroot: scx-report collect run as nobody (setpriv) on a Debian 12 guest while scx_fifo
# runs. The kernel log is closed to it (Debian's kernel has CONFIG_SECURITY_DMESG_RESTRICT=y):
# the kmsg probe is skipped with the reason, nothing fails, and sysfs still gives the state.

guest() {
	cat /proc/sys/kernel/dmesg_restrict >"$RESULTS/dmesg_restrict.txt"
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >/dev/null || return 1	# puts scx_fifo on PATH
	sched_start fifo || return 1
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		scx-report collect -o /tmp/nobody.tar.zst --no-latency --no-paired \
		>"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	cp /tmp/nobody.tar.zst "$RESULTS/bug.tar.zst" 2>/dev/null
	sched_stop fifo
	return 0
}

check() {
	assert_file_equals dmesg_restrict.txt 1 "the guest restricts dmesg"
	assert_collect_ok
	assert_jq '.collection.uid == 65534' "collected as nobody"
	assert_json .probes.kmsg.status '"skipped"'
	assert_json .probes.kmsg.reason '"kernel log not readable (dmesg_restrict?)"'
	assert_jq '[.probes.kernel.status, .probes.sched_ext.status, .probes.system.status] == ["ok", "ok", "ok"]' \
		"kernel, sched_ext and system probes ran"
	assert_jq 'has("history") | not' "no history without the log"
	assert_json .sched_ext.state '"enabled"'
	assert_json .sched_ext.ops '"fifo"'
	assert_jq '.sched_ext | has("unreadable") | not' "every sched_ext file readable as nobody"
	assert_jq '.kernel.config.SCHED_CLASS_EXT == "y"' "config readable as nobody"
}
