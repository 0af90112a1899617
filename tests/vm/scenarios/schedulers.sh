# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 150
#
# schedulers: the test schedulers themselves behave (no scx-report involved): fifo loads and
# detaches on SIGINT, the versioned fifo shows its scx-style name, slow runs a workload, and
# stall is ejected by the watchdog with a debug dump, its loader exiting 1; the generic loader
# registers without a link and stops on SIGTERM; --register-only leaves an orphan for SysRq-S.

guest() {
	rc=0
	snapshot_sysfs boot
	sched_start fifo || rc=1
	snapshot_sysfs fifo
	sched_stop fifo || rc=1

	sched_start fifo_versioned || rc=1
	snapshot_sysfs versioned
	sched_stop fifo_versioned || rc=1

	sched_start slow || rc=1
	# A little CPU load on both CPUs while slow schedules.
	for _ in 1 2 3; do (timeout 2 sh -c 'while :; do :; done') & done
	sleep 3
	snapshot_sysfs slow
	sched_stop slow || rc=1

	# Legacy registration (no link fd) and SIGTERM, through the generic loader.
	scx_testsched --legacy-attach "$SCX_TEST_SHARE/fifo.bpf.o" >"$RESULTS/generic.log" 2>&1 &
	_p=$!
	wait_state enabled 20 || rc=1
	ls -l "/proc/$_p/fd" >"$RESULTS/generic-fds.txt"
	kill -TERM "$_p"
	wait "$_p"
	echo $? >"$RESULTS/generic.rc"

	# Registered with no process left, then SysRq-S.
	scx_fifo --register-only >"$RESULTS/register-only.log" 2>&1 || rc=1
	wait_state enabled 10 || rc=1
	echo S >/proc/sysrq-trigger
	wait_state disabled 10 || rc=1

	sched_start stall || rc=1
	sched_wait_exit stall 30
	echo "stall exit code $?"
	snapshot_sysfs after-stall
	return $rc
}

check() {
	assert_file_contains sysfs-boot.txt '^disabled$' "sched_ext disabled at boot"
	assert_file_contains sched-fifo.log '^scx_fifo 0\.1\.0 x86_64-unknown-linux-gnu$' "fifo start line"
	assert_file_contains sysfs-fifo.txt '^fifo$' "root/ops is fifo while it runs"
	assert_file_contains sched-fifo.log "EXIT: kind=64 \\(UNREG\\).*reason='unregistered from user space'" "fifo exit on SIGINT"
	assert_file_equals sched-fifo.rc 0 "fifo exits 0 after SIGINT"
	assert_file_contains sysfs-versioned.txt '^fifo_1\.2\.3_gdeadbeef_x86_64_unknown_linux_gnu$' "versioned ops name"
	assert_file_contains sched-fifo_versioned.log '^scx_fifo 1\.2\.3-gdeadbeef ' "versioned start line"
	assert_file_contains sysfs-slow.txt '^slow$' "slow runs"
	assert_file_equals sched-slow.rc 0 "slow exits 0 after SIGINT"
	assert_file_contains sched-fifo.log 'attached with a link' "fifo registers through a link"
	assert_file_contains generic.log 'attached without a link' "--legacy-attach registers without a link"
	if grep -q bpf_link generic-fds.txt; then fail "--legacy-attach holds a bpf_link fd"; else pass "--legacy-attach holds no bpf_link fd"; fi
	assert_file_contains generic.log 'got signal 15, detaching' "SIGTERM detaches"
	assert_file_equals generic.rc 0 "generic loader exits 0 after SIGTERM"
	assert_file_contains register-only.log 'left registered with no process' "--register-only leaves it registered"
	assert_file_contains dmesg.txt 'sched_ext: BPF scheduler "fifo" disabled \(disabled by sysrq-S\)' "SysRq-S unloads the orphan"
	assert_file_contains sched-stall.log "EXIT: kind=1026 \\(ERROR_STALL\\).*reason='runnable task stall'" "stall ejected by the watchdog"
	assert_file_contains sched-stall.log 'triggered exit kind 1026' "stall loader prints the debug dump"
	assert_file_equals sched-stall.rc 1 "stall loader exits 1"
	assert_file_contains sysfs-after-stall.txt '^disabled$' "disabled after the stall"
	assert_file_contains dmesg.txt 'sched_ext: BPF scheduler "stall" disabled \(runnable task stall\)' "dmesg has the ejection"
}
