# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 300
#
# paired-switch-wait: the paired run's stops and starts wait for sched_ext's state on the
# kernel's uevents (lib/scx-state.c). scx_fifo started by hand; the same short paired collect
# twice, first with SCX_REPORT_NO_UEVENTS=1 (the 50 ms sysfs polling kept for systems without
# netlink), then as shipped. Both complete with fifo put back; only the first says it polled.
# Prints each run's time per switch (the record's switch_time_s / switches): the cost of the
# waits, polled against event-driven, in one guest (a figure, not asserted).

guest() {
	sched_start fifo || return 1
	SCX_REPORT_NO_UEVENTS=1 scx-report collect -o "$RESULTS/poll.tar.zst" --no-latency --allow-restart \
		--duration 1 --rounds 5 >"$RESULTS/poll.log" 2>&1
	echo $? >"$RESULTS/poll.rc"
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 1 \
		--rounds 5 >"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	snapshot_sysfs after
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
}

check() {
	local poll
	assert_file_equals poll.rc 0 "collect with SCX_REPORT_NO_UEVENTS=1 exits 0"
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_file_contains poll.log 'no kernel uevents' "the polled run says it polled"
	if grep -q 'no kernel uevents' "$RESULTS/collect.log"; then
		fail "the event-driven run polled: $(grep 'no kernel uevents' "$RESULTS/collect.log")"
	else
		pass "the event-driven run does not poll"
	fi
	assert_json .paired.status '"done"'
	assert_json .paired.restore.action '"restarted"'
	assert_jq '.paired.switches >= 4 and .paired.switch_time_s > 0' "the record counts the switches and their time"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again after both paired runs"
	poll=$("$SCX_REPORT" show --json "$RESULTS/poll.tar.zst" | jq -c '.paired | {status, switches, switch_time_s, restore: .restore.action}')
	case $poll in *'"status":"done"'*'"restore":"restarted"'*) pass "the polled run is done and restored" ;;
	*) fail "the polled run: $poll" ;; esac
	echo "figures: polled $poll"
	echo "figures: uevents $(jq -c '.paired | {switches, switch_time_s, ms_per_switch: (1000 * .switch_time_s / .switches | floor)}' "$(report_json)")"
}
