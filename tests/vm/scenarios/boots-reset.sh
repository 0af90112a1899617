# SPDX-License-Identifier: GPL-2.0-only
# guest: systemd
# timeout: 420
# boots: 2
# disk: yes
#
# boots-reset: boot 1 runs scx_fifo under scx.service with the journal on a disk that persists,
# and is reset without a clean shutdown (SysRq-B). Boot 2 loads nothing: `collect` reads boot 1
# from the journal (no shutdown record, fifo enabled to the end) and the verdict names fifo and
# boot -1 instead of sending the user to the distribution.

boots_boot1() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >/dev/null || return 1
	systemctl start scx.service || return 1
	wait_state enabled 30 || return 1
	sleep 2
	# A machine that ran for minutes has had its journal synced (every 5 min, or on a crit
	# message); this one is seconds old, so sync it before the end of the boot.
	journalctl --sync
}

# boots_capture: what journalctl says, for the host's check and for tests/data/boots-journal.
boots_capture() {
	journalctl --list-boots --no-pager >"$RESULTS/list-boots.txt" 2>&1
	journalctl --list-boots -o json --no-pager >"$RESULTS/list-boots.json" 2>&1
	_id=$(journalctl --list-boots -o json --no-pager | sed -n 's/.*"index":-1,"boot_id":"\([0-9a-f]*\)".*/\1/p')
	journalctl -b -1 -k -o export --no-pager >"$RESULTS/boot-1-kernel.export" 2>&1
	journalctl -b -1 -n 200 -o export --no-pager >"$RESULTS/boot-1-tail.export" 2>&1
	echo "$_id" >"$RESULTS/boot-1-id.txt"
}

guest() {
	# Without the disk every boot would be "boot 1": stop instead of rebooting forever.
	mountpoint -q /var/log/journal || { log "no persistent disk on /var/log/journal"; return 1; }
	n=$(boot_count /var/log/journal/scx-vm-boot-count)
	log "boot $n"
	if [ "$n" = 1 ]; then
		boots_boot1 || return 1
		reboot_guest reset
		return 1
	fi
	boots_capture
	scx_collect
}

check() {
	assert_collect_ok
	assert_file_contains guest.log 'boot 2' "the guest booted twice"
	assert_json .sched_ext.state '"disabled"'
	assert_jq '.boots | length == 2' "two boots"
	assert_jq '.boots[1].index == -1 and .boots[1].source == "journal"' "boot -1 from the journal"
	assert_jq '.boots[1].clean_shutdown == false' "boot -1 ended without a shutdown record"
	assert_jq '.boots[1].schedulers | index("fifo") != null' "fifo was enabled in boot -1"
	assert_jq '.boots[1].last_state.scheduler == "fifo"' "fifo still enabled at the end of boot -1"
	assert_json .verdict.class '"custom-scheduler-suspected"'
	assert_json .verdict.scheduler '"fifo"'
	assert_json .verdict.boot '"boot -1"'
	assert_jq '.verdict.evidence | any(test("boot -1 .*without a clean shutdown.*fifo"))' \
		"the evidence names boot -1, its unclean end and fifo"
	assert_jq '.verdict.report_to | test("distribution only if") ' "not sent to the distribution"
}
