# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 300
# upstream-scheds: yes
# parallel: yes
#
# paired-by-hand: the paired run (--allow-restart, 2 rounds of 1 s) on scx_simple, the kernel's
# example scheduler, started by hand in every way a user does, and its safety as root:
#   shell      started from the guest's shell;
#   wrapper    started by a wrapper script without .sh (its comm is the script's name: the shell
#              is found through /proc/PPID/exe) that waits for it;
#   orphan     started in the background by a shell that then exited (reparented to PID 1);
#   replaced   its binary (/opt/t/scx_simple) renamed over by a script during the paired run:
#              the script never runs (its marker file is absent), the pinned original is run
#              again and the summary says what happened;
#   loop       a `while true` wrapper restarts it after the stop: the paired run ends cleanly,
#              names the wrapper, and no second copy is started;
#   writable   run as root from a world-writable folder: refused, one line.
# Each time scx_simple is running again afterwards (root/ops, a live process).

# paired NAME [ARGS]: the paired collect into NAME.tar.zst; rc in NAME.rc.
paired() {
	_n=$1
	shift
	scx-report collect -o "$RESULTS/$_n.tar.zst" --no-latency --allow-restart --duration 1 \
		--rounds 2 "$@" >"$RESULTS/$_n.log" 2>&1
	echo $? >"$RESULTS/$_n.rc"
	log "$_n: collect exited with $(cat "$RESULTS/$_n.rc")"
}

# after NAME: what runs afterwards; then stop every scx_simple (and its wrappers).
after() {
	wait_state enabled 10
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/$1.ops-after" 2>/dev/null
	pidof scx_simple >"$RESULTS/$1.pids-after"
	for _p in $2; do kill "$_p" 2>/dev/null; done
	kill -INT $(pidof scx_simple) 2>/dev/null
	wait_state disabled 10
	sleep 0.5
}

guest() {
	upstream_start simple || return 1
	paired shell
	after shell

	printf '#!/bin/sh\nscx_simple "$@"\necho wrapper done\n' >/usr/local/bin/run-simple
	chmod 755 /usr/local/bin/run-simple
	run-simple >"$RESULTS/wrapper-sched.log" 2>&1 &
	_w=$!
	wait_state enabled 20 || return 1
	paired wrapper
	after wrapper "$_w"

	sh -c 'scx_simple >/tmp/orphan.log 2>&1 &'
	wait_state enabled 20 || return 1
	paired orphan
	after orphan

	mkdir -p /opt/t
	cp /usr/local/bin/scx_simple /opt/t/scx_simple
	/opt/t/scx_simple >"$RESULTS/replaced-sched.log" 2>&1 &
	wait_state enabled 20 || return 1
	paired replaced &
	_c=$!
	wait_state disabled 60 || return 1
	printf '#!/bin/sh\ntouch /results/REPLACEMENT-RAN\nexec /usr/local/bin/scx_simple "$@"\n' >/opt/t/new
	chmod 755 /opt/t/new
	mv /opt/t/new /opt/t/scx_simple
	wait "$_c"
	after replaced

	printf '#!/bin/sh\nwhile true; do scx_simple; sleep 0.2; done\n' >/usr/local/bin/keep-simple
	chmod 755 /usr/local/bin/keep-simple
	keep-simple >"$RESULTS/loop-sched.log" 2>&1 &
	_k=$!
	wait_state enabled 20 || return 1
	paired loop
	sleep 1
	pidof scx_simple >"$RESULTS/loop.pids-2s"
	after loop "$_k"

	mkdir -p /tmp/ww
	chmod 777 /tmp/ww
	cp /usr/local/bin/scx_simple /tmp/ww/scx_simple
	/tmp/ww/scx_simple >"$RESULTS/writable-sched.log" 2>&1 &
	wait_state enabled 20 || return 1
	paired writable
	after writable
	return 0
}

# on NAME JQ WHAT: assertion on NAME.tar.zst's report.
on() {
	local out=$RESULTS/$1.json
	[ -s "$out" ] || "$SCX_REPORT" show --json "$RESULTS/$1.tar.zst" >"$out" 2>/dev/null
	if jq -e "$2" "$out" >/dev/null 2>&1; then pass "$1: $3"; else fail "$1: $3: '$2' on $out"; fi
}

restored() { # NAME MANAGER
	assert_file_equals "$1.rc" 0 "$1: collect exits 0"
	on "$1" ".paired.manager == \"$2\"" "manager $2"
	on "$1" '.paired.status == "done" and (.paired.runs | length == 4)' "paired run done, 4 runs"
	on "$1" '.paired.restore.action == "restarted"' "restored"
	assert_file_equals "$1.ops-after" simple "$1: scx_simple loaded afterwards"
	assert_file_contains "$1.pids-after" '^[0-9]+$' "$1: one scx_simple process afterwards"
}

check() {
	restored shell manual
	restored wrapper manual
	on wrapper '.scheduler.manager_evidence | any(test("run-simple \\(pid [0-9]+, run by /bin/busybox\\)"))' \
		"the wrapper found through its exe"
	restored orphan manual
	on orphan '.scheduler.process.parents[0].pid == 1' "reparented to PID 1"

	restored replaced manual
	[ ! -e "$RESULTS/REPLACEMENT-RAN" ] && pass "replaced: the replacement never ran" ||
		fail "replaced: the replacement ran"
	on replaced '.paired.restore.exe_replaced == true' "restore says the binary was replaced"
	"$SCX_REPORT" show "$RESULTS/replaced.tar.zst" >"$RESULTS/replaced-summary.txt" 2>&1
	assert_file_contains replaced-summary.txt '^restore: restarted \(/opt/t/scx_simple was replaced by another file during the paired run; that file was never run' \
		"replaced: the summary says so"

	assert_file_equals loop.rc 0 "loop: collect exits 0"
	on loop '.paired.status == "stopped"' "loop: paired run stopped"
	on loop '.paired.came_back.by | test("started by pid [0-9]+ \\(/bin/sh /usr/local/bin/keep-simple")' \
		"loop: names the wrapper that restarted it"
	on loop '.paired.restore.action == "not-needed"' "loop: nothing restored by scx-report"
	assert_file_contains loop.pids-2s '^[0-9]+$' "loop: one scx_simple process, not two"
	"$SCX_REPORT" show "$RESULTS/loop.tar.zst" >"$RESULTS/loop-summary.txt" 2>&1
	assert_file_contains loop-summary.txt '^stopped: simple came back by itself after scx-report stopped it' \
		"loop: the summary names it"

	on writable '.paired.status == "skipped"' "writable: paired run refused"
	on writable '.paired.reason | test("^refusing to run /tmp/ww/scx_simple again as root: /tmp/ww is writable by every user")' \
		"writable: why"
	assert_file_contains writable.log 'refusing to run /tmp/ww/scx_simple again as root' "writable: said on stderr"
	assert_file_equals writable.ops-after simple "writable: scx_simple untouched"
	echo "figures: $(for n in shell wrapper orphan replaced; do jq -c "{$n: {verdict: .verdict.class, p99_ratio: .paired.result.ratio, p: .paired.result.p}}" "$RESULTS/$n.json"; done | tr '\n' ' ')"
}
