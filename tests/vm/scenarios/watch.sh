# SPDX-License-Identifier: GPL-2.0-only
# guest: systemd
# timeout: 600
#
# watch: `scx-report watch` under systemd, installed from the shipped unit
# (data/scx-report-watch.service, with a drop-in: --max-count 4 --settle-ms 500).
# 1. Idle: its utime+stime (/proc/PID/stat) over 60 s with nothing happening.
# 2. scx_stall is ejected by the watchdog (exit kind 1026): a capture lands in the spool and
#    holds the kernel's debug dump (from the sched_ext_dump tracepoint of its trace instance).
# 3. Nine more ejections: the spool holds the newest 4, no more. A clean stop (fifo, SIGINT)
#    is not captured.
# 4. The spool's disk is full (a 64 KiB tmpfs over it): two more ejections; the failure is
#    logged once and the watcher keeps running.

spool_count() {
	ls /var/lib/scx-report 2>/dev/null | grep -c '^capture-.*\.tar\.zst$'
}

# eject_stall N: run scx_stall until the kernel ejects it; wait for capture number N.
eject_stall() {
	/usr/bin/scx_stall >>"$RESULTS/stall.log" 2>&1
	_left=120
	while [ "$(cat /run/scx-seen 2>/dev/null || echo 0)" -lt "$1" ] && [ "$_left" -gt 0 ]; do
		journalctl -u scx-report-watch -o cat --no-pager | grep -c ': captured ' >/run/scx-seen
		sleep 0.5
		_left=$((_left - 1))
	done
	[ "$_left" -gt 0 ] || { log "capture $1 did not come"; return 1; }
}

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >/dev/null || return 1
	sed 's|@BINDIR@|/usr/bin|' "$SCX_TEST_SHARE/scx-report-watch.service" \
		>/etc/systemd/system/scx-report-watch.service
	mkdir -p /etc/systemd/system/scx-report-watch.service.d
	printf '[Service]\nExecStart=\nExecStart=/usr/bin/scx-report watch --max-count 4 --settle-ms 500\n' \
		>/etc/systemd/system/scx-report-watch.service.d/test.conf
	systemctl daemon-reload
	systemctl start scx-report-watch.service || return 1
	sleep 3
	pid=$(systemctl show -p MainPID --value scx-report-watch.service)
	log "watch pid $pid"
	ls -ld /var/lib/scx-report >"$RESULTS/spool-mode.txt"
	# 1. idle cost
	t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	sleep 60
	t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	echo "$t0 $t1" >"$RESULTS/idle-ticks.txt"
	grep VmRSS "/proc/$pid/status" >"$RESULTS/watch-rss.txt"
	# a clean stop is not captured
	/usr/bin/scx_fifo >"$RESULTS/fifo.log" 2>&1 &
	fpid=$!
	wait_state enabled 30 || return 1
	kill -INT "$fpid"; wait "$fpid"
	sleep 3
	echo "$(spool_count)" >"$RESULTS/after-clean-stop.txt"
	# 2. first ejection
	eject_stall 1 || return 1
	mkdir -p "$RESULTS/first"
	cp /var/lib/scx-report/capture-*.tar.zst "$RESULTS/first/"
	# 3. nine more
	for i in 2 3 4 5 6 7 8 9 10; do
		eject_stall "$i" || return 1
	done
	scx-report list >"$RESULTS/list.txt" 2>&1
	scx-report list --json >"$RESULTS/list.json" 2>&1
	echo "$(spool_count)" >"$RESULTS/spool-count.txt"
	du -sb /var/lib/scx-report >"$RESULTS/spool-bytes.txt"
	systemctl is-active scx-report-watch.service >"$RESULTS/watch-active.txt"
	# collect includes the newest capture of this boot
	scx_collect || return 1
	# 4. disk full
	mount -t tmpfs -o size=64k,mode=0700 tmpfs /var/lib/scx-report
	for i in 1 2; do
		/usr/bin/scx_stall >>"$RESULTS/stall.log" 2>&1
		sleep 15
	done
	systemctl is-active scx-report-watch.service >"$RESULTS/watch-active-full.txt"
	journalctl -u scx-report-watch -o short-monotonic --no-pager >"$RESULTS/watch-journal.txt"
	umount /var/lib/scx-report
}

check() {
	assert_file_contains spool-mode.txt '^drwx------ ' "spool is 0700"
	read -r t0 t1 <idle-ticks.txt
	[ "$t0" = "$t1" ] && pass "idle 60 s: utime+stime $t0 -> $t1 ticks" ||
		fail "idle 60 s: utime+stime $t0 -> $t1 ticks"
	assert_file_equals after-clean-stop.txt 0 "a clean stop is not captured"
	f=$(ls first/capture-*-stall.tar.zst | head -n1)
	[ -n "$f" ] && pass "first capture $f" || fail "no first capture"
	"$SCX_REPORT" show --json "$f" >first.json 2>first.err || fail "show first capture: $(cat first.err)"
	jq -e '.capture.dump_lines > 20 and .capture.ops == "stall"' first.json >/dev/null &&
		pass "capture holds the dump ($(jq .capture.dump_lines first.json) lines)" ||
		fail "capture: $(jq -c .capture first.json)"
	tar -I zstd -xOf "$f" --wildcards '*/capture/dump.txt' >first-dump.txt
	assert_file_contains first-dump.txt 'triggered exit kind 1026' "the kernel's debug dump"
	assert_file_contains first-dump.txt 'runnable task stall' "with the reason"
	assert_file_equals spool-count.txt 4 "spool limit: 4 newest after 10 ejections"
	assert_jq '.spool.included | length == 1 and .[0].boot == "this"' "collect includes this boot's newest capture"
	assert_file_equals watch-active.txt active "the watcher is still running"
	assert_jq '.probes.capture.status == "skipped"' "a normal collect is not a capture"
	assert_file_equals watch-active-full.txt active "the watcher survives a full spool"
	n=$(grep -c 'logged once' watch-journal.txt)
	[ "$n" = 1 ] && pass "the full spool is logged once ($(grep 'logged once' watch-journal.txt | sed 's/.*watch: //'))" ||
		fail "'logged once' lines: $n"
}
