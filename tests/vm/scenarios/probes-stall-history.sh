# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
#
# probes-stall-history: scx_stall is ejected by the watchdog; the kmsg probe turns the kernel's
# lines into an error event with its reason, the "<name>: message" line and its backtrace, and
# keeps them in kmsg/sched_ext.txt. The sched_ext probe reports root/ absent as data.

guest() {
	sched_start stall || return 1
	sched_wait_exit stall 30
	wait_state disabled 10 || return 1
	scx_collect
}

check() {
	assert_collect_ok
	assert_json .sched_ext.supported true
	assert_jq '.sched_ext.files | has("root/ops") | not' "no root/ after the exit"
	assert_jq '.system | has("tasks_on_ext") | not' "no task scan while disabled"
	assert_jq '[.history[].event] == ["enabled", "error"]' "history: enabled then error"
	assert_json '.history[1].ops' '"stall"'
	assert_json '.history[1].reason' '"runnable task stall"'
	assert_jq '.history[1].error | test("^watchdog failed to check in for [0-9.]+s$") or test("failed to run for")' \
		"the exit message line"
	assert_jq '.history[1].backtrace | length > 3 and (.[0] | test("^[a-z_0-9.]+\\+0x[0-9a-f]+/0x[0-9a-f]+$"))' \
		"the backtrace frames"
	mkdir -p "$RESULTS/bundle"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle" --strip-components=1
	assert_file_contains bundle/kmsg/sched_ext.txt 'sched_ext: stall: ' "extract has the message"
	assert_file_contains bundle/kmsg/sched_ext.txt '^\[ *[0-9.]+\]  +[a-z_]+\+0x' "extract has the backtrace"
}
