# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 150
#
# paired-fifo-versioned: how tests/data/bundles/vm-paired-fifo-versioned.tar.zst was made (not part
# of the vm suite; run it by path as paired-fifo-mixed.sh says). paired-fifo-manual's run (wakeup
# workload, 5 rounds of 2 s) with the versioned fifo (scx_fifo 1.2.3-gdeadbeef): `diff` against
# vm-paired-fifo.tar.zst shows a version change of the same scheduler code.

guest() {
	sched_start fifo_versioned || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 2 \
		--rounds 5 >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .paired.status '"done"'
	assert_json .scheduler.version '"1.2.3"'
}
