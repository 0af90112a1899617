# SPDX-License-Identifier: GPL-2.0-only
# guest: systemd
# timeout: 420
# boots: 2
# disk: yes
#
# boots-clean: as boots-reset, but boot 1 ends with a clean reboot (systemctl reboot, which
# stops scx.service first). Boot 2: the journal has the shutdown record, and the verdict blames
# nothing (the same class as with no history at all).

guest() {
	# Without the disk every boot would be "boot 1": stop instead of rebooting forever.
	mountpoint -q /var/log/journal || { log "no persistent disk on /var/log/journal"; return 1; }
	n=$(boot_count /var/log/journal/scx-vm-boot-count)
	log "boot $n"
	if [ "$n" = 1 ]; then
		dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >/dev/null || return 1
		systemctl start scx.service || return 1
		wait_state enabled 30 || return 1
		sleep 2
		reboot_guest clean
		return 1
	fi
	journalctl --list-boots -o json --no-pager >"$RESULTS/list-boots.json" 2>&1
	journalctl -b -1 -n 200 -o export --no-pager >"$RESULTS/boot-1-tail.export" 2>&1
	journalctl -b -1 -k -o export --no-pager >"$RESULTS/boot-1-kernel.export" 2>&1
	scx_collect
}

check() {
	assert_collect_ok
	assert_file_contains guest.log 'boot 2' "the guest booted twice"
	assert_jq '.boots | length == 2' "two boots"
	assert_jq '.boots[1].clean_shutdown == true' "boot -1 ended with a shutdown record"
	assert_jq '.boots[1].schedulers | index("fifo") != null' "fifo was enabled in boot -1"
	assert_jq '.boots[1].last_state.scheduler == null' "fifo was stopped before the reboot"
	assert_json .verdict.class '"no-custom-scheduler"'
}
