# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# mttcg: yes
# timeout: 330
#
# paired-systemd-fifo: scx_fifo from the scx-test-scheds package, run by scx.service. The paired
# run switches through systemd (systemctl stop/start scx.service, no --allow-restart needed),
# completes, and scx.service runs fifo again afterwards. The package is installed by dpkg but
# its files are checked against dpkg's md5sums, so the provenance decides report_to.

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" || return 1
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --duration 2 --rounds 5 \
		>"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	snapshot_sysfs after
	systemctl is-active scx.service >"$RESULTS/scx-active-after.txt" 2>&1
	journalctl -b -u scx.service --no-pager >"$RESULTS/journal-scx.txt" 2>&1
	systemctl stop scx.service
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.manager '"systemd"'
	assert_json .paired.status '"done"'
	assert_json .paired.restore.action '"restarted"'
	assert_jq '.paired.runs | all(.valid)' "every run is valid"
	assert_jq '[.paired.runs[] | select(.side | startswith("screen-"))] | length | IN(10, 16)' "10 or 16 screening runs (5 per side, 8 at the second look)"
	assert_jq '.paired.sequential.stopped_early or ([.paired.runs[] | select(.side == "custom" or .side == "default")] | length == 10)' "decided early, or 10 full runs"
	assert_jq '.verdict.class | IN("no-significant-difference","custom-scheduler-regression","custom-scheduler-better","inconclusive")' "a comparison verdict"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again after the paired run"
	assert_file_equals scx-active-after.txt active "scx.service is active again"
	echo "figures: $(jq -c '{verdict: .verdict.class, report_to: .verdict.report_to, provenance: .scheduler.provenance, result: .paired.result | {figure, ratio, p}}' "$(report_json)")"
}
