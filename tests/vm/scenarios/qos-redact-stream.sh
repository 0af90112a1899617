# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 200
#
# qos-redact-stream: `scx-report qos --redact -o - | scx-report show -` on scx_fifo (started by
# hand), one short workload: qos runs through the collection pipeline, so the bundle streams to
# standard output (the scorecard goes to stderr), is redacted (the guest's host name 0 times in
# it, the map written beside it in the working folder, 0600), and show reads the stream and
# prints the scorecard from its summary.txt. fifo is back afterwards.

guest() {
	hostname >"$RESULTS/hostname.txt"
	sched_start fifo || return 1
	cd "$RESULTS" || return 1
	scx-report qos --only pipe --rounds 2 --duration 0.5 --no-calibrate --allow-restart \
		--redact -o - 2>"$RESULTS/qos.log" | tee "$RESULTS/bug.tar.zst" |
		scx-report show - >"$RESULTS/show.txt" 2>"$RESULTS/show.err"
	echo $? >"$RESULTS/show.rc"
	ls -l "$RESULTS"/*.redact-map.json >"$RESULTS/map-ls.txt" 2>&1
	cd /
	snapshot_sysfs after
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	host=$(cat "$RESULTS/hostname.txt")
	assert_file_equals show.rc 0 "show - reads the stream"
	assert_file_contains show.txt '^QoS scorecard: fifo vs the default scheduler' "show prints the scorecard"
	assert_file_contains qos.log '^QoS scorecard: fifo' "qos -o -: the scorecard on stderr"
	assert_file_contains qos.log 'wrote the bundle to standard output' "the bundle went to stdout"
	assert_json .qos.status '"done"'
	assert_json .collection.hostname '"host0"'
	n=$(zstdcat "$BUNDLE" | tar -xO | grep -c -F -- "$host" || true)
	[ "$n" -eq 0 ] && pass "host name '$host' 0 times in the bundle" || fail "host name '$host' $n times in the bundle"
	assert_file_contains map-ls.txt '^-rw------- ' "the map beside the bundle, mode 0600"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is back after the battery"
}
