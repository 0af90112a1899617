# SPDX-License-Identifier: GPL-2.0-only
# guest: busybox
# timeout: 180
#
# identity-orphan: a scheduler registered with no process holding it. With bpftool in the guest:
# `bpftool struct_ops register fifo.bpf.o`; without it (the busybox guest has none), scx_fifo is
# SIGKILLed: its struct_ops map was registered through the legacy (non-link) path, which keeps
# the scheduler registered after the last fd is gone. scx-report must find it through the BPF
# walk alone and report it as registered without a process, manager "none".

guest() {
	if command -v bpftool >/dev/null; then
		echo bpftool >"$RESULTS/orphan-method"
		bpftool struct_ops register "$SCX_TEST_SHARE/fifo.bpf.o" >"$RESULTS/bpftool.log" 2>&1 || return 1
	else
		echo sigkill >"$RESULTS/orphan-method"
		sched_start fifo || return 1
		kill -KILL "$SCHED_PID"
		wait "$SCHED_PID" 2>/dev/null
	fi
	sleep 1
	sched_state >"$RESULTS/state-orphan.txt"
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/ops-orphan.txt" 2>&1
	scx_collect
	_rc=$?
	# Unload it: SysRq-S reverts to the fair class.
	echo S >/proc/sysrq-trigger
	wait_state disabled 10
	return $_rc
}

check() {
	assert_file_equals state-orphan.txt enabled "the scheduler stays registered with no process"
	assert_collect_ok
	assert_json .scheduler.active true
	assert_json .scheduler.ops '"fifo"'
	assert_json .scheduler.registered_without_process true
	assert_json .scheduler.manager '"none"'
	assert_json .scheduler.pids '[]'
	assert_json .scheduler.process null
	assert_jq '.scheduler.bpf.struct_ops_map_id | type == "number"' "its struct_ops map id"
	assert_jq '.scheduler.bpf.struct_ops_map_name | type == "string" and length > 0' "its struct_ops map name"
	assert_jq '.scheduler.bpf.programs | length > 0' "its programs"
	if "$SCX_REPORT" show "$BUNDLE" >"$RESULTS/summary.txt" 2>&1; then
		assert_file_contains summary.txt '^Custom scheduler: fifo — registered with NO PROCESS holding it \(struct_ops map [0-9]+\)' \
			"summary headline: registered with no process"
	else
		fail "scx-report show failed"
	fi
}
