# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 150
#
# paired-fifo-mixed: how tests/data/bundles/vm-paired-fifo-mixed.tar.zst was made (not part of the
# vm suite; run it by path: tests/vm/run-scenario.sh tests/data/bundles/scenarios/paired-fifo-mixed.sh
# BUILD/scx-report WORKDIR). The same paired run as paired-slow (mixed workload, 6 rounds of 2 s)
# with scx_fifo, so that `diff` of the two compares one workload under two schedulers.

guest() {
	sched_start fifo || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 2 \
		--rounds 6 --workload mixed >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_json .paired.workload '"mixed"'
}
