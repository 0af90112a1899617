# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
# timeout: 480
#
# voice-hang-systemd: the hang-readiness section on the Debian 12 systemd guest (what a hard
# hang would leave: lockup detectors, pstore, kdump, the journal), with scx_fifo run by the
# packaged scx.service: its output goes to the journal (said, not read), and scx_stats is not
# offered (no --stats).

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" || return 1
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	scx_collect
	_rc=$?
	systemctl stop scx.service
	return $_rc
}

check() {
	assert_collect_ok
	assert_json .hang_readiness.family '"debian"'
	assert_json .hang_readiness.journal.systemd true
	assert_jq '.hang_readiness | has("lockup") and has("pstore") and has("kdump") and has("hung_task")' "every part read"
	assert_jq '.hang_readiness.would_survive_hard_hang == false' "the guest would keep nothing of a hard hang"
	assert_jq '.hang_readiness.advice | any(.how | test("apt install kdump-tools"))' "Debian's kdump advice"
	assert_json .scheduler.unit '"scx.service"'
	assert_json '.scheduler_output.streams[0].kind' '"journal"'
	assert_jq '.scheduler_output.streams[0].note | test("journalctl -u scx.service")' "output: the unit's journal named"
	assert_json .stats.offered false
	assert_json .probes.stats.status '"ok"'
	assert_json .probes.stats_end.status '"skipped"'
	mkdir -p "$RESULTS/bundle"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle" --strip-components=1
	assert_file_contains bundle/summary.txt '^not offered: ' "summary: stats not offered"
	assert_file_contains bundle/summary.txt '^== If it hangs: what would be left ==' "summary: hang readiness"
	sed -n '/^== If it hangs/,/^== /p' "$RESULTS/bundle/summary.txt" >"$RESULTS/hang-readiness.txt"
}
