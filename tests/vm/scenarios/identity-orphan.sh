# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 180
#
# identity-orphan: a scheduler registered with no process holding it, as `bpftool struct_ops
# register fifo.bpf.o` leaves it. scx-report must find it through the BPF walk alone and report
# it as registered without a process, manager "none".
#
# Killing a loader does not do it: on 7.2 the test loader's struct_ops map is attached through a
# bpf link, and the kernel unregisters the scheduler when the last link fd goes away (checked:
# state is "disabled" right after SIGKILL). `scx_fifo --register-only` registers without a link
# and exits, as `bpftool struct_ops register` does.

guest() {
	# bpftool 7.1 cannot load the test objects (it does not make ops.init sleepable);
	# the loader's --register-only does what `bpftool struct_ops register` does.
	scx_fifo --register-only >"$RESULTS/register.log" 2>&1 || return 1
	wait_state enabled 10 || return 1
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/ops-orphan.txt" 2>&1
	scx_collect
	_rc=$?
	# With the paired run asked for: it cannot restart what no process holds, and says so.
	scx-report collect -o "$RESULTS/paired.tar.zst" --no-latency --duration 1 \
		>"$RESULTS/paired-collect.log" 2>&1
	echo $? >"$RESULTS/paired-collect.rc"
	# Unload it: SysRq-S reverts to the fair class.
	echo S >/proc/sysrq-trigger
	wait_state disabled 10
	return $_rc
}

check() {
	if [ -e "$RESULTS/skip" ]; then
		echo "SKIP: identity-orphan: $(cat "$RESULTS/skip") (the harness must copy bpftool into the guest)"
		return 0
	fi
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
	assert_file_equals paired-collect.rc 0 "collect with the paired run asked for still writes a bundle"
	_p=$("$SCX_REPORT" show --json "$RESULTS/paired.tar.zst")
	if printf '%s' "$_p" | jq -e '.paired.status == "skipped" and (.paired.reason | test("registered without a process")) and .verdict.class == "inconclusive"' >/dev/null; then
		pass "no paired run for a scheduler without a process, and the reason says what to do"
	else
		fail "paired run of an orphan scheduler: $(printf '%s' "$_p" | jq -c '{paired: .paired | {status, reason}, verdict: .verdict.class}')"
	fi
	if "$SCX_REPORT" show "$BUNDLE" >"$RESULTS/summary.txt" 2>&1; then
		assert_file_contains summary.txt '^Custom scheduler: fifo — registered with NO PROCESS holding it \(struct_ops map [0-9]+\)' \
			"summary headline: registered with no process"
	else
		fail "scx-report show failed"
	fi
}
