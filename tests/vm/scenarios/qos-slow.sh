# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# mttcg: yes
# timeout: 400
#
# qos-slow: `scx-report qos --suite quick --fail-on regression` on scx_slow (only CPU 0 serves
# the shared queue, 40 ms slices), started by hand. The scorecard must find it worse on the
# latency-under-load row (mixed: the 1 ms tick's median lateness; its p99, the maximum of the
# dozen ticks slow lets through per second, moves with every hiccup of a TCG guest), exit 4 for
# the gate, write a bundle with qos.json, and slow is back.
# Every row is printed ("row:") for the record: under TCG the figures are honest but noisy.

guest() {
	sched_start slow || return 1
	_t0=$(date +%s)
	scx-report qos --suite quick --allow-restart --fail-on regression -o "$RESULTS/bug.tar.zst" \
		>"$RESULTS/qos.txt" 2>"$RESULTS/qos.log"
	echo $? >"$RESULTS/qos.rc"
	echo $(( $(date +%s) - _t0 )) >"$RESULTS/qos-wall.txt"
	snapshot_sysfs after
	scx-report show "$RESULTS/bug.tar.zst" >"$RESULTS/qos-show.txt" 2>&1
	echo $? >"$RESULTS/show.rc"
	kill -INT $(pidof scx_slow) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_equals qos.rc 4 "--fail-on regression exits 4 for slow"
	assert_file_equals show.rc 0 "the bundle reads back"
	assert_jq '.qos.status == "done"' "the battery completed"
	assert_jq '.qos.restore.action == "restarted"' "slow restarted afterwards"
	assert_file_contains sysfs-after.txt '^slow$' "slow is loaded again after the battery"
	assert_jq '[.qos.rows[] | select(.workload == "mixed" and .figure == "p50_ns")][0].verdict == "worse"' \
		"mixed: the tick's median lateness is worse on slow"
	assert_jq '[.qos.rows[] | select(.verdict == "worse")] | length >= 1' "at least one row worse"
	assert_jq '.qos.runs | map(select(.valid)) | length >= 100' "the runs counted"
	assert_file_contains qos.txt '^QoS scorecard: slow vs the default scheduler' "the scorecard on stdout"
	assert_file_contains qos-show.txt '^QoS scorecard: slow' "show prints the scorecard from the bundle"
	echo "wall: $(cat qos-wall.txt) s in the guest"
	cat qos.txt | sed 's/^/scorecard: /'
	jq -r '.qos.rows[] | "row: \(.workload) \(.figure) custom=\(.custom) baseline=\(.baseline) ratio=\(.ratio) [\(.ci95_low), \(.ci95_high)] p=\(.p) noise=\(.noise_floor) \(.verdict)"' "$(report_json)"
}
