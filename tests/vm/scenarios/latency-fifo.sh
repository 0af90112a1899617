# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 180
# host-tools: /usr/bin/chrt
#
# latency-fifo: the latency probe under a sched_ext scheduler (fifo). Sleepers, CPU hogs and a
# SCHED_FIFO sleeper run while `scx-report collect` samples 3 s with latency on, and the
# `latency` verb samples 2 s more: every histogram has events, the percentiles are ordered and
# plausible, the realtime task is counted apart (RT never runs on sched_ext), and the bundle
# keeps the fine buckets in latency/latency.json; the raw_tp fallback works on this kernel too.
# The default source is the kernel's run_delay (one program on sched_switch); --source clock
# (three programs) samples 2 s as well, and both sources' figures are printed side by side.

guest() {
	sched_start fifo || return 1
	_pids=""
	for _ in 1 2 3; do
		(i=0; while [ $i -lt 4000 ]; do usleep 1000; i=$((i + 1)); done) &
		_pids="$_pids $!"
	done
	for _ in 1 2; do
		(timeout 8 sh -c 'while :; do :; done') &
		_pids="$_pids $!"
	done
	if command -v chrt >/dev/null 2>&1; then
		chrt -f 10 sh -c 'i=0; while [ $i -lt 4000 ]; do usleep 2000; i=$((i + 1)); done' &
		_pids="$_pids $!"
		echo yes >"$RESULTS/rt-sleeper"
	fi
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-paired --duration 3 \
		>"$RESULTS/collect.log" 2>&1
	echo $? >"$RESULTS/collect.rc"
	scx-report latency --duration 2 --json >"$RESULTS/latency-verb.json" 2>"$RESULTS/latency-verb.err"
	echo $? >"$RESULTS/latency-verb.rc"
	scx-report latency --source clock --duration 2 --json >"$RESULTS/latency-clock.json" \
		2>"$RESULTS/latency-clock.err"
	echo $? >"$RESULTS/latency-clock.rc"
	scx-report latency --duration 1 --resolution 2 >"$RESULTS/latency-verb.txt" 2>&1
	# The raw_tp fallback on this kernel (7.x made task->on_cpu a u8: read by its size).
	SCX_LATENCY_ATTACH=raw_tp scx-report latency --duration 1 --json \
		>"$RESULTS/latency-rawtp.json" 2>"$RESULTS/latency-rawtp.err"
	snapshot_sysfs after
	kill $_pids 2>/dev/null
	sched_stop fifo
	return 0
}

check() {
	local h
	assert_file_equals collect.rc 0 "collect exits 0"
	assert_json .sched_ext.state '"enabled"'
	assert_json .latency.status '"ok"'
	assert_json .probes.latency.status '"ok"'
	assert_jq '.latency.counts.switches > 0 and .latency.counts.wakeups > 0' "switches and wakeups counted"
	for h in runq preempt slice; do
		assert_jq ".latency.$h.count > 0" "$h has events"
		assert_jq ".latency.$h | .p50_ns <= .p90_ns and .p90_ns <= .p99_ns and .p99_ns <= .p999_ns and .p999_ns <= .max_ns" \
			"$h percentiles are ordered"
		assert_jq ".latency.$h | .mean_ns > 0 and .mean_ns <= .max_ns" "$h mean within range"
		assert_jq ".latency.$h | (.per_cpu | map(.count) | add) == .count" "$h per-CPU counts add up"
		assert_jq ".latency.$h | (.by_class.normal_ext.count + .by_class.rt_dl.count) == .count" \
			"$h class counts add up"
	done
	# Under fifo with 2 hogs on 2 CPUs a sleeper waits, but not for seconds.
	assert_jq '.latency.runq.p50_ns > 100 and .latency.runq.p50_ns < 1000000000' "runq p50 plausible"
	assert_jq '.latency.overhead.bpf_stats and .latency.overhead.ns_per_event > 0' "own cost measured"
	assert_jq '.latency.buckets.k == 5' "k = 5 buckets"
	if [ -e "$RESULTS/rt-sleeper" ]; then
		assert_jq '.latency.runq.by_class.rt_dl.count > 0' "the SCHED_FIFO sleeper is counted as RT/DL"
	fi
	if tar --zstd -tf "$BUNDLE" 2>/dev/null | grep -q 'latency/latency\.json$'; then
		pass "bundle has latency/latency.json"
	else
		fail "bundle has no latency/latency.json"
	fi
	assert_file_equals latency-verb.rc 0 "latency verb exits 0"
	if jq -e '.status == "ok" and .runq.count > 0 and (.runq.buckets | length) > 0' \
		"$RESULTS/latency-verb.json" >/dev/null 2>&1; then
		pass "latency --json has runq events and fine buckets"
	else
		fail "latency --json: $(head -c 300 "$RESULTS/latency-verb.json") $(cat "$RESULTS/latency-verb.err")"
	fi
	assert_jq '.latency.attach == "tp_btf"' "tp_btf programs loaded (no fallback)"
	assert_jq '.latency.source == "run_delay" and (.latency.overhead.programs | keys) == ["lat_switch_rd"]' \
		"the default source is the kernel's run_delay, one program"
	assert_jq '.latency.counts.wakeups_while_running == null' "run_delay cannot see wakeups of running tasks: null"
	assert_file_equals latency-clock.rc 0 "latency --source clock exits 0"
	if jq -e '.source == "clock" and (.overhead.programs | length) == 3 and .runq.count > 0 and
		.preempt.count > 0 and .slice.count > 0 and .runq.p50_ns > 100' \
		"$RESULTS/latency-clock.json" >/dev/null 2>&1; then
		pass "latency --source clock: three programs, every histogram has events"
	else
		fail "latency --source clock: $(head -c 300 "$RESULTS/latency-clock.json") $(cat "$RESULTS/latency-clock.err")"
	fi
	if jq -e '.attach == "raw_tp" and .runq.count > 0 and .counts.wakeups_while_running < .counts.wakeups' \
		"$RESULTS/latency-rawtp.json" >/dev/null 2>&1; then
		pass "raw_tp fallback measures wakeups"
	else
		fail "raw_tp fallback: $(jq -c '{attach, runq: .runq.count, counts}' "$RESULTS/latency-rawtp.json" 2>&1 | head -c 300) $(cat "$RESULTS/latency-rawtp.err")"
	fi
	assert_file_contains latency-verb.txt '^Wakeup to run \(runq\)' "latency verb prints histograms"
	echo "figures (clock): $(jq -c '{runq: .runq | {count, p50_ns, p99_ns, p999_ns}, preempt: .preempt | {count, p50_ns, p99_ns}, slice: .slice | {count, p50_ns}, ns_per_event: .overhead.ns_per_event}' "$RESULTS/latency-clock.json")"
	echo "figures (run_delay): $(jq -c '.latency | {runq: .runq | {count, p50_ns, p99_ns, p999_ns}, preempt: .preempt | {count, p50_ns, p99_ns}, slice: .slice | {count, p50_ns}, rt: .runq.by_class.rt_dl.count, counts, ns_per_event: .overhead.ns_per_event}' "$(report_json)")"
}
