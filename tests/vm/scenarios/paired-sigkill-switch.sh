# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 240
# upstream-scheds: yes
#
# paired-sigkill-switch: scx-report SIGKILLed in the middle of a switch, with scx_simple (the
# kernel's example scheduler) started by hand and --allow-restart:
#   stop    killed after it sent SIGINT to scx_simple but before scx_simple unloaded (held
#           stopped with SIGSTOP until then): the guardian waits for the stop to complete and
#           starts scx_simple again, instead of seeing it still loaded and leaving;
#   start   killed while the scx_simple it started again is loading: the guardian waits for it
#           and starts no second copy.
# Both times scx_simple is back within seconds, one process.

# collect_bg NAME: a paired collect in its own session; sets C.
collect_bg() {
	setsid scx-report collect -o "$RESULTS/$1.tar.zst" --no-latency --allow-restart --duration 2 \
		--rounds 3 >"$RESULTS/$1.log" 2>&1 &
	C=$!
}

# back NAME T0: wait until simple is loaded again; tenths of a second since T0 into NAME.tenths.
back() {
	wait_loaded simple 300 >"$RESULTS/$1.tenths"
	sleep 3
	pidof scx_simple | wc -w >"$RESULTS/$1.procs"
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/$1.ops-after" 2>/dev/null
	wait "$C" 2>/dev/null
	kill -INT $(pidof scx_simple) 2>/dev/null
	wait_state disabled 10
	sleep 0.5
}

guest() {
	upstream_start simple || return 1
	_s=$SCHED_PID
	collect_bg stop
	# The custom run is under way when the workload's threads exist.
	_n=0
	until grep -qs scx-report-wl /proc/"$C"/task/*/comm || [ "$_n" -ge 600 ]; do
		sleep 0.1
		_n=$((_n + 1))
	done
	kill -STOP "$_s"
	_n=0
	until [ $(( 0x$(sed -n 's/^ShdPnd:[[:space:]]*//p' "/proc/$_s/status") & 2 )) -ne 0 ] || [ "$_n" -ge 600 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/stop.ops-at-kill"
	kill -9 "$C"
	kill -CONT "$_s"
	back stop

	upstream_start simple || return 1
	_s=$SCHED_PID
	collect_bg start
	wait_state disabled 90 || return 1
	_n=0
	until _p=$(pidof scx_simple) || [ "$_n" -ge 600 ]; do
		sleep 0.02
		_n=$((_n + 1))
	done
	kill -9 "$C"
	sched_state >"$RESULTS/start.state-at-kill"
	back start
	return 0
}

check() {
	assert_file_equals stop.ops-at-kill simple "stop: scx_simple still loaded when scx-report died"
	assert_jq_tenths() { local t; t=$(cat "$RESULTS/$1.tenths"); [ "$t" -lt 150 ] && pass "$1: restored in $t tenths of a second" || fail "$1: not restored within 15 s ($t)"; }
	assert_jq_tenths stop
	assert_file_equals stop.procs 1 "stop: one scx_simple process"
	assert_file_equals stop.ops-after simple "stop: scx_simple loaded"
	assert_file_contains stop.log 'guardian: scx-report ended .*; starting simple again' \
		"stop: the guardian started it again"
	assert_file_contains stop.log 'guardian: simple is running again' "stop: the guardian says it is back"
	assert_jq_tenths start
	assert_file_equals start.procs 1 "start: one scx_simple process, not two"
	assert_file_equals start.ops-after simple "start: scx_simple loaded"
	if grep -q 'starting simple again' "$RESULTS/start.log"; then
		fail "start: the guardian started a second copy"
	else
		pass "start: the guardian waited for the start under way"
	fi
	echo "figures: stop restored in $(cat "$RESULTS/stop.tenths")/10 s, start settled in $(cat "$RESULTS/start.tenths")/10 s (state at kill: $(cat "$RESULTS/start.state-at-kill"))"
}
