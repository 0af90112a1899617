# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 420
# upstream-scheds: yes
#
# upstream-paired: the paired run (wakeup workload, 5 rounds of 2 s per side, --allow-restart)
# on each of the kernel's example schedulers started by hand: scx_simple, scx_central, scx_flatcg
# and scx_userland. Each completes with valid runs and a comparison verdict (whatever the figures
# say: the first verdicts on schedulers nobody here wrote), and each is running again afterwards
# (root/ops, a live process of that binary).

SCHEDS="simple central flatcg userland"

guest() {
	for s in $SCHEDS; do
		upstream_start "$s" || return 1
		scx-report collect -o "$RESULTS/$s.tar.zst" --no-latency --allow-restart --duration 2 \
			--rounds 5 >"$RESULTS/collect-$s.log" 2>&1
		echo $? >"$RESULTS/collect-$s.rc"
		log "scx_$s: collect exited with $(cat "$RESULTS/collect-$s.rc")"
		snapshot_sysfs "after-$s"
		pidof "scx_$s" >"$RESULTS/pid-after-$s.txt"
		kill -INT $(pidof "scx_$s") 2>/dev/null
		wait_state disabled 10 || return 1
	done
}

check() {
	local s out
	for s in $SCHEDS; do
		out=$RESULTS/$s.json
		assert_file_equals "collect-$s.rc" 0 "scx_$s: collect exits 0"
		"$SCX_REPORT" show --json "$RESULTS/$s.tar.zst" >"$out" 2>/dev/null || fail "scx_$s: show failed"
		assert_jq_on() { if jq -e "$1" "$out" >/dev/null 2>&1; then pass "scx_$s: $2"; else fail "scx_$s: $2: '$1' on $out"; fi; }
		assert_jq_on ".scheduler.ops == \"$s\" and .scheduler.manager == \"manual\"" "identified, by hand"
		assert_jq_on '.paired.status == "done"' "paired run done"
		assert_jq_on '.paired.restore.action == "restarted"' "restored"
		assert_jq_on '.paired.runs | all(.valid) and ([.[] | select(.side | startswith("screen-"))] | length | IN(10, 16)) and ([.[] | select(.side | startswith("screen-") | not)] | length | IN(0, 10))' "10 or 16 screening runs and 0 (decided there) or 10 full-round runs, all valid"
		assert_jq_on '.verdict.class | IN("no-significant-difference","custom-scheduler-regression","custom-scheduler-better","inconclusive")' "a comparison verdict"
		assert_file_contains "sysfs-after-$s.txt" "^$s\$" "scx_$s: loaded again afterwards"
		assert_file_contains "pid-after-$s.txt" '^[0-9]+$' "scx_$s: a process runs afterwards"
		echo "figures scx_$s: $(jq -c '{verdict: .verdict.class, result: .paired.result | {figure, ratio, p, ci95_low, ci95_high}}' "$out")"
	done
}
