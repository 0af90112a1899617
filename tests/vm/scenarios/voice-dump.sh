# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 300
# parallel: yes
# upstream-scheds: yes
#
# voice-dump: `collect --dump` takes the kernel's debug dump of the running scheduler through
# SysRq-D and the sched_ext_dump tracepoint in the tool's own tracefs instance, on scx_simple
# (the kernel's example scheduler) and on scx_fifo (a test scheduler): the dump is in the
# bundle and parsed, and the scheduler is still enabled afterwards with the same ops and
# enable_seq; the instance is gone.

snap() { # NAME
	echo "$(sched_state)/$(cat "$SCX_SYSFS/root/ops" 2>/dev/null)/$(cat "$SCX_SYSFS/enable_seq")" \
		>"$RESULTS/state-$1.txt"
}

guest() {
	upstream_start simple || return 1
	snap simple-before
	scx-report collect -o "$RESULTS/bug-simple.tar.zst" --no-latency --no-paired --dump \
		>"$RESULTS/collect-simple.log" 2>&1
	echo "$?" >"$RESULTS/collect-simple.rc"
	snap simple-after
	ls /sys/kernel/tracing/instances >"$RESULTS/instances-after.txt" 2>&1
	sched_stop simple
	sched_start fifo || return 1
	snap fifo-before
	scx_collect --dump || return 1
	snap fifo-after
	sched_stop fifo
}

use_bundle() { # NAME
	BUNDLE=$RESULTS/bug-$1.tar.zst
	rm -f "$RESULTS/report.json"
}

check_dump() { # OPS
	assert_json .live_dump.taken true
	assert_json .live_dump.dump.trigger '"sysrq"'
	assert_json .live_dump.dump.triggered_by '"SysRq-D"'
	assert_jq '.live_dump.dump.cpus >= 1' "dump shows CPU states"
	assert_jq '.live_dump.dump.events | length > 0' "dump has event counters"
	assert_json .live_dump.ops_before "\"$1\""
	assert_json .live_dump.ops_after "\"$1\""
	assert_jq '.live_dump.enable_seq_before == .live_dump.enable_seq_after' "same enable_seq"
	assert_json .live_dump.unchanged true
	mkdir -p "$RESULTS/bundle-$1"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle-$1" --strip-components=1
	assert_file_contains "bundle-$1/live_dump/dump.txt" 'Debug dump triggered by SysRq-D' "dump.txt in the bundle"
	assert_file_contains "bundle-$1/live_dump/trace.txt" 'sched_ext_dump: ' "trace.txt in the bundle"
	assert_file_contains "bundle-$1/summary.txt" '^scheduler afterwards: still enabled, unchanged' "summary: dump section"
	assert_file_contains "bundle-$1/report.html" 'Live debug dump' "HTML: dump section"
}

check() {
	assert_file_equals collect-simple.rc 0 "collect --dump on scx_simple"
	use_bundle simple
	check_dump simple
	assert_file_equals state-simple-after.txt "$(cat "$RESULTS/state-simple-before.txt")" "scx_simple: state, ops, enable_seq unchanged"
	if grep -q scx-report-dump "$RESULTS/instances-after.txt"; then
		fail "the tracefs instance scx-report-dump is left behind"
	else
		pass "the tracefs instance is removed"
	fi
	BUNDLE=$RESULTS/bug.tar.zst
	rm -f "$RESULTS/report.json"
	assert_collect_ok
	check_dump fifo
	assert_file_equals state-fifo-after.txt "$(cat "$RESULTS/state-fifo-before.txt")" "scx_fifo: state, ops, enable_seq unchanged"
}
