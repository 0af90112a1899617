# SPDX-License-Identifier: GPL-2.0-only
# boots: 2
# ramoops: yes
# timeout: 180
# kernel-ok: sysrq triggered crash|sysrq: Trigger a crash|panic\+0x
#
# boots-pstore: boot 1 loads ramoops (1 MiB reserved with memmap=), runs scx_fifo and panics
# (SysRq-C); panic=-1 reboots warm in the same QEMU process, so the reserved RAM keeps the
# record. Boot 2 loads nothing: `collect` reads dmesg-ramoops-N from /sys/fs/pstore and finds
# the `Sched_ext: fifo (enabled+all)` line of the panic, which names the scheduler of boot -1.

guest() {
	n=$(ramoops_load) || return 1
	log "pstore records: $n"
	if [ "$n" = 0 ]; then
		sched_start fifo || return 1
		reboot_guest panic
		return 1
	fi
	mkdir -p "$RESULTS/pstore"
	cp /sys/fs/pstore/* "$RESULTS/pstore/"
	scx_collect
}

check() {
	assert_collect_ok
	assert_file_contains guest.log 'pstore records: [1-9]' "the second boot found the panic record"
	assert_jq '.pstore.records | any(.kind == "panic")' "pstore holds a panic record"
	assert_jq '.pstore.records | any(.oopses | any(.ops == "fifo" and .reason == "enabled+all"))' \
		"the record's Sched_ext: line names fifo"
	assert_jq '.boots[1].index == -1 and .boots[1].clean_shutdown == false' "boot -1 did not end cleanly"
	assert_jq '.boots[1].last_state.scheduler == "fifo"' "fifo was running when boot -1 ended"
	assert_json .verdict.class '"custom-scheduler-suspected"'
	assert_json .verdict.scheduler '"fifo"'
	assert_jq '.verdict.evidence | any(test("Sched_ext: fifo \\(enabled\\+all\\).*dmesg-ramoops"))' \
		"the evidence quotes the Sched_ext: line from the pstore record"
}
