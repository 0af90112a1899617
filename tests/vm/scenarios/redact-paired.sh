# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 150
#
# redact-paired: `collect --redact --redact-word scx_fifo` on a live sched_ext guest while
# scx_fifo (started by hand) runs, with a paired run (3 rounds of 2 s per side). The guest's host
# name (scx-vm) and the word (the scheduler binary: in its comm, argv and paths) appear 0 times in
# the bundle and its member names; the map beside the bundle (0600) maps host0 back to scx-vm;
# the paired run and the verdict are whole; fifo is back afterwards.

guest() {
	hostname >"$RESULTS/hostname.txt"
	sched_start fifo || return 1
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 2 \
		--rounds 3 --redact --redact-word scx_fifo >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	ls -l "$RESULTS/bug.tar.zst.redact-map.json" >"$RESULTS/map-ls.txt" 2>&1
	snapshot_sysfs after
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

check() {
	host=$(cat "$RESULTS/hostname.txt")
	assert_file_equals collect.rc 0 "collect --redact exits 0"
	assert_json .paired.status '"done"'
	assert_jq '.paired.runs | length == 6' "6 runs (3 per side)"
	assert_json .collection.hostname '"host0"'
	assert_jq '.verdict.class | IN("no-significant-difference","custom-scheduler-regression","custom-scheduler-better","inconclusive")' "a comparison verdict"
	n=$(zstdcat "$BUNDLE" | tar -xO | grep -c -F -- "$host" || true)
	[ "$n" -eq 0 ] && pass "host name '$host' 0 times in the bundle" || fail "host name '$host' $n times in the bundle"
	n=$(zstdcat "$BUNDLE" | tar -xO | grep -c -i -F -- "scx_fifo" || true)
	[ "$n" -eq 0 ] && pass "--redact-word 0 times in the bundle" || fail "--redact-word $n times in the bundle"
	zstdcat "$BUNDLE" | tar -t | grep -q -F -- "$host" && fail "host name in a member name"
	assert_file_contains map-ls.txt '^-rw------- ' "map beside the bundle, mode 0600"
	assert_file_contains bug.tar.zst.redact-map.json "\"$host\": \"host0\"" "the map maps host0 back"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is back after the paired run"
}
