# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 180
#
# identity-manual: scx_fifo started by hand from the guest's shell is identified from the kernel
# outward: the sched_ext struct_ops map and its programs, the process holding them, its binary
# (unpackaged: the busybox guest has no package database; sha256 equal to the file's), manager
# "manual". Then scx_fifo_versioned: its scx-style ops.name parsed into name/version/sha/target.

guest() {
	sha256sum /usr/local/bin/scx_fifo | cut -d' ' -f1 >"$RESULTS/fifo.sha256"
	sched_start fifo || return 1
	scx_collect || return 1
	cat "/proc/$SCHED_PID/stat" >"$RESULTS/fifo.stat"
	sched_stop fifo || return 1

	sched_start fifo_versioned || return 1
	readlink "/proc/$SCHED_PID/exe" >"$RESULTS/versioned.exe"
	scx-report collect -q -o "$RESULTS/versioned.tar.zst" --no-latency --no-paired \
		>"$RESULTS/collect-versioned.log" 2>&1
	echo $? >"$RESULTS/collect-versioned.rc"
	sched_stop fifo_versioned
}

# jq assertion on the second bundle.
assert_versioned() {
	local expr=$1 what=$2 out=$RESULTS/versioned.json
	[ -s "$out" ] || "$SCX_REPORT" show --json "$RESULTS/versioned.tar.zst" >"$out" 2>/dev/null
	if jq -e "$expr" "$out" >/dev/null 2>&1; then pass "$what"; else fail "$what: '$expr' on $out"; fi
}

check() {
	assert_collect_ok
	assert_json .probes.scheduler.status '"ok"'
	assert_json .scheduler.active true
	assert_json .scheduler.ops '"fifo"'
	assert_json .scheduler.name '"fifo"'
	assert_json .scheduler.manager '"manual"'
	assert_json .scheduler.provenance '"unpackaged"'
	assert_json .scheduler.registered_without_process false
	assert_json .scheduler.exe.path '"/usr/local/bin/scx_fifo"'
	assert_json .scheduler.exe.deleted false
	assert_json .scheduler.sha256 "\"$(cat "$RESULTS/fifo.sha256")\""
	assert_json .scheduler.pids "[$(cat "$RESULTS/sched-fifo.pid")]"
	assert_json .scheduler.process.pid "$(cat "$RESULTS/sched-fifo.pid")"
	assert_json .scheduler.process.comm '"scx_fifo"'
	assert_json .scheduler.restart.argv '["scx_fifo"]'
	assert_jq '.scheduler.bpf.struct_ops_map_id | type == "number"' "BPF walk found the struct_ops map"
	assert_jq '.scheduler.bpf.programs | length > 0 and all(.tag | test("^[0-9a-f]{16}$"))' \
		"struct_ops programs listed with their tags"
	assert_jq '.scheduler.bpf.struct_ops_map_id as $m | [.scheduler.holders[].fds[].map_id] | index($m) != null' \
		"the holder's fdinfo names the struct_ops map"
	assert_jq '.scheduler.signed.known == false and (.scheduler.signed.why | length > 0)' "signed: unknown, with why"
	assert_jq '.scheduler.manager_evidence | length > 0' "manager evidence recorded"
	if "$SCX_REPORT" show "$BUNDLE" >"$RESULTS/summary.txt" 2>&1; then
		assert_file_contains summary.txt '^Custom scheduler: fifo — UNPACKAGED binary /usr/local/bin/scx_fifo, sha256 [0-9a-f]{16}…, started by hand$' \
			"summary headline: unpackaged, started by hand"
	else
		fail "scx-report show failed"
	fi

	assert_file_equals collect-versioned.rc 0 "collect of the versioned scheduler exited 0"
	assert_versioned '.scheduler.ops == "fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu"' "versioned ops name"
	assert_versioned '.scheduler.name == "fifo" and .scheduler.version == "1.2.3"' "name and version parsed"
	assert_versioned '.scheduler.git_sha == "deadbeef" and .scheduler.dirty == false' "git sha parsed"
	assert_versioned '.scheduler.target == "x86_64_unknown_linux_gnu"' "target triple parsed"
	assert_versioned ".scheduler.exe.path == \"$(cat "$RESULTS/versioned.exe")\"" \
		"versioned: the binary the process runs (its /proc/PID/exe)"
}
