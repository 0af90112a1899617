# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 150
#
# paired-stall: a scheduler that is fine when scx-report starts and is ejected by the watchdog
# during a custom run. The generic loader runs /tmp/sched.bpf.o, first a copy of fifo.bpf.o;
# once it runs, that file is replaced by stall.bpf.o with its ops.name patched to "fifo" (same
# length or shorter, NUL-padded, in .struct_ops), so when the paired run starts "fifo" again
# by its saved command line, the watchdog ejects it about a second later (a scheduler that
# never dispatches stalls scx-report as well, so it sees the ejection once it runs again). Expected:
# custom-scheduler-failure, the default scheduler left running, and the report says so.

guest() {
	cp "$SCX_TEST_SHARE/fifo.bpf.o" /tmp/sched.bpf.o
	"scx_testsched" /tmp/sched.bpf.o >"$RESULTS/sched-testsched.log" 2>&1 &
	_left=300
	until grep -q 'scheduler started' "$RESULTS/sched-testsched.log" 2>/dev/null; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || { cat "$RESULTS/sched-testsched.log"; return 1; }
		sleep 0.1
	done
	cp "$SCX_TEST_SHARE/stall.bpf.o" /tmp/stall-as-fifo.bpf.o
	_off=$(strings -t d -n 5 /tmp/stall-as-fifo.bpf.o | sed -n 's/^ *\([0-9]*\) stall$/\1/p')
	[ -n "$_off" ] || { log "no ops.name in stall.bpf.o"; return 1; }
	for _o in $_off; do
		printf 'fifo\000' | dd of=/tmp/stall-as-fifo.bpf.o bs=1 seek="$_o" conv=notrunc 2>/dev/null
	done
	mv /tmp/stall-as-fifo.bpf.o /tmp/sched.bpf.o
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 2 \
		--rounds 5 >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	sleep 1
	snapshot_sysfs after
	pidof scx_testsched >"$RESULTS/pids-after.txt"
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"ejected"'
	assert_json .paired.restore.action '"left-default"'
	assert_json .paired.ejection.reason '"runnable task stall"'
	assert_jq '.paired.runs[0] | (.side | test("custom$")) and .valid' "the first custom run (real fifo) is valid"
	assert_jq '.paired.ejection.round >= 2' "the ejection came on a later custom round (the patched object)"
	# A scheduler that never dispatches stalls scx-report too: it is ejected before scx-report
	# runs again, so the ejection is seen right after the start, or during the run.
	assert_jq '.paired.ejection.when | test("custom run")' "the report says when it was ejected"
	assert_jq '[.paired.runs[] | select(.valid and (.side | test("custom$")))] | length >= 1' "valid runs before the ejection are kept"
	assert_json .verdict.class '"custom-scheduler-failure"'
	assert_jq '.verdict.summary | test("left running")' "the summary states the default scheduler was left running"
	assert_jq '.verdict.evidence | any(test("disabled \\(runnable task stall\\)"))' "the kernel's words are in the evidence"
	assert_file_contains sysfs-after.txt '^disabled$' "sched_ext is disabled afterwards: the default scheduler runs"
	assert_file_equals pids-after.txt '' "no scheduler process left"
	echo "figures: $(jq -c '{verdict: .verdict.class, ejection: .paired.ejection | {run, round, when, reason}, runs: [.paired.runs[] | {side, valid}]}' "$(report_json)")"
}
