# SPDX-License-Identifier: GPL-2.0-only
# guest: busybox
# timeout: 180
# upstream-scheds: yes
# parallel: yes
#
# upstream-identity: the kernel's own example schedulers (tools/sched_ext of linux-source-7.2,
# built by tests/schedulers/build-upstream.sh) load on the test kernel, one after the other,
# each started by hand: sched_ext enabled with their ops name, and scx-report identifies each
# from the kernel outward (struct_ops map, programs, holder process, binary and its sha256,
# manager "manual", restart argv). On SIGINT each detaches and exits 0 with its UEI report.

SCHEDS="simple central flatcg userland"

guest() {
	for s in $SCHEDS; do
		sha256sum "/usr/local/bin/scx_$s" | cut -d' ' -f1 >"$RESULTS/$s.sha256"
		upstream_start "$s" || return 1
		snapshot_sysfs "$s"
		scx-report collect -o "$RESULTS/$s.tar.zst" --no-latency --no-paired \
			>"$RESULTS/collect-$s.log" 2>&1
		echo $? >"$RESULTS/collect-$s.rc"
		sched_stop "$s"
		wait_state disabled 10 || return 1
	done
}

check() {
	local s out
	for s in $SCHEDS; do
		out=$RESULTS/$s.json
		assert_file_equals "collect-$s.rc" 0 "scx_$s: collect exits 0"
		assert_file_contains "sysfs-$s.txt" "^$s\$" "scx_$s: root/ops is $s"
		assert_file_equals "sched-$s.rc" 0 "scx_$s: exits 0 on SIGINT"
		assert_file_contains "sched-$s.log" 'EXIT: unregistered from user space' \
			"scx_$s: prints its UEI exit report"
		"$SCX_REPORT" show --json "$RESULTS/$s.tar.zst" >"$out" 2>/dev/null || fail "scx_$s: show failed"
		assert_jq_on() { if jq -e "$1" "$out" >/dev/null 2>&1; then pass "scx_$s: $2"; else fail "scx_$s: $2: '$1' on $out"; fi; }
		assert_jq_on '.sched_ext.state == "enabled"' "state enabled"
		assert_jq_on ".scheduler.active == true and .scheduler.ops == \"$s\"" "active, ops $s"
		assert_jq_on ".scheduler.manager == \"manual\"" "manager manual"
		assert_jq_on ".scheduler.exe.path == \"/usr/local/bin/scx_$s\"" "exe path"
		assert_jq_on ".scheduler.sha256 == \"$(cat "$RESULTS/$s.sha256")\"" "sha256 of the binary"
		assert_jq_on ".scheduler.pids == [$(cat "$RESULTS/sched-$s.pid")]" "the loader's pid"
		assert_jq_on '.scheduler.bpf.struct_ops_map_id | type == "number"' "struct_ops map found"
		assert_jq_on '.scheduler.bpf.programs | length > 0' "programs listed"
		assert_jq_on ".scheduler.restart.argv == [\"scx_$s\"]" "restart argv"
	done
}
