# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
#
# probes-sysrq: SysRq-D (debug dump, scheduler keeps running) then SysRq-S (disables the BPF
# scheduler: a clean exit, "disabled by sysrq-S"). The history must show a sysrq-dump event for
# fifo and a "disabled" event, not an error.

guest() {
	echo 1 >/proc/sys/kernel/sysrq
	sched_start fifo || return 1
	echo D >/proc/sysrq-trigger
	sleep 0.5
	sched_state >"$RESULTS/state-after-D.txt"
	echo S >/proc/sysrq-trigger
	wait_state disabled 10 || return 1
	sched_wait_exit fifo 10
	scx_collect
}

check() {
	assert_file_equals state-after-D.txt enabled "SysRq-D does not stop the scheduler"
	assert_collect_ok
	assert_jq '[.history[].event] == ["enabled", "sysrq-dump", "disabled"]' "history: enabled, sysrq-dump, disabled"
	assert_json '.history[1].ops' '"fifo"'
	assert_json '.history[2].reason' '"disabled by sysrq-S"'
	assert_jq '.history[2] | has("error") | not' "a clean exit has no error message"
	mkdir -p "$RESULTS/bundle"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle" --strip-components=1
	assert_file_contains bundle/kmsg/sched_ext.txt 'sysrq: Trigger sched_ext debug dump' "extract has the sysrq line"
}
