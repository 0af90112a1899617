# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
#
# probes-enabled: the kernel, sched_ext, kmsg and system probes on a live sched_ext kernel while
# scx_fifo runs: every sysfs file kept raw, counters parsed, tasks on sched_ext counted from
# ext.enabled in /proc/PID/task/TID/sched, the enable line turned into history, and the raw copies
# in the bundle.

guest() {
	cat /proc/sys/kernel/osrelease >"$RESULTS/osrelease.txt"
	sched_start fifo || return 1
	scx_collect || return 1
	sched_stop fifo
}

check() {
	assert_collect_ok
	assert_json .host.kernel "\"$(cat "$RESULTS/osrelease.txt")\""
	assert_json .kernel.config.SCHED_CLASS_EXT '"y"'
	assert_jq '.kernel.config_source | startswith("/boot/config-")' "config read from /boot/config-<release>"
	assert_json .kernel.btf true
	assert_jq '.kernel.taint.value | type == "number"' "taint value read"
	assert_json .sched_ext.files.state '"enabled"'
	assert_json '.sched_ext.files["root/ops"]' '"fifo"'
	assert_jq '.sched_ext.files | has("enable_seq") and has("root/events")' "raw values of every sysfs file"
	assert_jq '.sched_ext.events | length > 0 and (keys | all(startswith("SCX_EV_")))' "root/events parsed by name"
	assert_jq '.sched_ext.events | to_entries | all(.value | type == "number")' "event counts are numbers"
	assert_jq '.sched_ext.module_params | length > 0' "sched_ext module parameters"
	assert_jq '.sched_ext.sub_schedulers == []' "no sub-scheduler"
	assert_jq '.system.tasks_on_ext > 0 and .system.tasks_scanned >= .system.tasks_on_ext' \
		"tasks on sched_ext counted from ext.enabled"
	assert_jq '.system.cpu.online_count > 0 and .system.cpu.cores > 0' "CPU topology"
	assert_jq '.history | length == 1 and .[0].event == "enabled" and .[0].ops == "fifo" and .[0].partial == false' \
		"history: fifo enabled, all tasks"
	assert_jq '.history[0].time | test("^[0-9]+\\.[0-9]{6}$")' "history time is seconds.micros"
	assert_jq '.kmsg.sched_ext_lines == 1 and .kmsg.truncated == false and .kmsg.lines > 100' "kmsg counts"

	mkdir -p "$RESULTS/bundle"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle" --strip-components=1
	assert_file_equals bundle/sched_ext/sys/kernel/sched_ext/root/ops fifo "raw copy of root/ops"
	assert_file_contains bundle/sched_ext/sys/kernel/sched_ext/root/events '^SCX_EV_[A-Z_]+ [0-9]+$' "raw copy of root/events"
	assert_file_contains bundle/kmsg/dmesg.txt '^\[ *[0-9]+\.[0-9]{6}\] sched_ext: BPF scheduler "fifo" enabled$' "raw log in dmesg form"
	assert_file_contains bundle/kmsg/dmesg.txt '^\[ *0\.000000\] Linux version ' "raw log from the first record"
	assert_file_contains bundle/kmsg/sched_ext.txt 'BPF scheduler "fifo" enabled' "sched_ext extract"
	assert_file_contains bundle/kernel/proc/sys/kernel/osrelease . "raw copy of osrelease"
}
