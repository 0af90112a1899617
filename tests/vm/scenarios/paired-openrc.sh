# SPDX-License-Identifier: GPL-2.0-or-later
# guest: openrc
# parallel: yes
# timeout: 300
# upstream-scheds: yes
#
# paired-openrc: a Debian 12 guest booted by sysvinit with OpenRC, the scheduler run by
# /etc/init.d/scx with /etc/conf.d/scx (SCX_SCHEDULER=scx_simple; supervise-daemon runs it). The
# identity probe names OpenRC, the paired run (2 rounds of 1 s, no --allow-restart needed) switches
# through `rc-service scx stop/start`, completes, and scx_simple runs again under OpenRC after.

guest() {
	cp -a "$SCX_TEST_SHARE/openrc/." / || return 1
	cp /usr/local/bin/scx_simple /usr/bin/scx_simple
	rc-service scx start || return 1
	wait_state enabled 30 || { rc-service scx status; cat /var/log/scx/scx.log; return 1; }
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --duration 1 --rounds 2 \
		>"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	log "collect exited with $(cat "$RESULTS/collect.rc")"
	wait_state enabled 10
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/ops-after" 2>/dev/null
	rc-service scx status >"$RESULTS/rc-status-after" 2>&1
	pidof scx_simple | wc -w >"$RESULTS/procs-after"
	ps -o pid,ppid,comm,args >"$RESULTS/ps.txt" 2>&1 || ps >"$RESULTS/ps.txt" 2>&1
	cp /var/log/scx/scx.log "$RESULTS/scx.log" 2>/dev/null
	rc-service scx stop
	wait_state disabled 20
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .scheduler.ops '"simple"'
	assert_json .scheduler.manager '"openrc"'
	assert_json .paired.manager '"openrc"'
	assert_json .paired.switch '"rc-service scx stop/start"'
	assert_jq '.paired.status == "done" and (.paired.runs | length == 4) and all(.paired.runs[]; .valid)' \
		"paired run done, 4 valid runs"
	assert_json .paired.restore.action '"restarted"'
	assert_file_equals ops-after simple "scx_simple loaded afterwards"
	assert_file_contains rc-status-after 'started' "rc-service scx status: started"
	assert_file_equals procs-after 1 "one scx_simple process"
	echo "figures: $(jq -c '{verdict: .verdict.class, p99_ratio: .paired.result.ratio, p: .paired.result.p}' "$(report_json)")"
}
