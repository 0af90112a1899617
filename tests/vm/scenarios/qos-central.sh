# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# mttcg: yes
# timeout: 400
# upstream-scheds: yes
#
# qos-central: `scx-report qos --suite quick --fail-on regression` on the kernel's example scheduler
# scx_central (tools/sched_ext of linux-source, a scheduler nobody here wrote), started by hand.
# The battery completes, every run counts, scx_central is back afterwards, and the gate's exit code
# (0 or 4) agrees with the rows. Every row is printed ("row:"): honest figures, under TCG.

guest() {
	upstream_start central || return 1
	_t0=$(date +%s)
	scx-report qos --suite quick --allow-restart --fail-on regression -o "$RESULTS/bug.tar.zst" \
		>"$RESULTS/qos.txt" 2>"$RESULTS/qos.log"
	echo $? >"$RESULTS/qos.rc"
	echo $(( $(date +%s) - _t0 )) >"$RESULTS/qos-wall.txt"
	snapshot_sysfs after
	sched_stop central
	return 0
}

check() {
	local rc worse
	rc=$(cat qos.rc)
	assert_json .qos.status '"done"'
	assert_json .qos.restore.action '"restarted"'
	assert_file_contains sysfs-after.txt '^central$' "scx_central is loaded again after the battery"
	assert_jq '.qos.runs | all(.valid)' "every run counted"
	worse=$(jq '[.qos.rows[] | select(.verdict == "worse")] | length' "$(report_json)")
	if { [ "$worse" -gt 0 ] && [ "$rc" = 4 ]; } || { [ "$worse" -eq 0 ] && [ "$rc" = 0 ]; }; then
		pass "--fail-on regression exits $rc with $worse row(s) worse"
	else
		fail "--fail-on regression exited $rc with $worse row(s) worse"
	fi
	echo "wall: $(cat qos-wall.txt) s in the guest"
	sed 's/^/scorecard: /' qos.txt
	jq -r '.qos.rows[] | "row: \(.workload) \(.figure) custom=\(.custom) baseline=\(.baseline) ratio=\(.ratio) [\(.ci95_low), \(.ci95_high)] p=\(.p) noise=\(.noise_floor) \(.verdict)"' "$(report_json)"
}
