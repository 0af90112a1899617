# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
# timeout: 420
# upstream-scheds: yes
#
# paired-systemd-managers: the paired run (2 rounds of 1 s, no --allow-restart needed) through
# every manager of the systemd guest, each running one of the kernel's example schedulers:
#   scx-service   scx.service from the scx-test-scheds package, /etc/default/scx saying
#                 SCX_SCHEDULER=scx_simple (the packaged unit, a real scheduler);
#   other-unit    a unit of another name (my-central.service running scx_central);
#   loader        scx_loader (the org.scx.Loader stand-in, tests/schedulers/scx_loader_test.c)
#                 running scx_central with arguments that begin with '-': -s 20000 -c 1.
#                 busctl must not take them as its own options (busctl call -- ...).
# Each completes, and afterwards the same scheduler runs again through the same manager (with
# the same arguments for scx_loader).

paired() {
	scx-report collect -o "$RESULTS/$1.tar.zst" --no-latency --duration 1 --rounds 2 \
		>"$RESULTS/$1.log" 2>&1
	echo $? >"$RESULTS/$1.rc"
	log "$1: collect exited with $(cat "$RESULTS/$1.rc")"
	wait_state enabled 10
	cat "$SCX_SYSFS/root/ops" >"$RESULTS/$1.ops-after" 2>/dev/null
}

loader_prop() {
	busctl get-property org.scx.Loader /org/scx/Loader org.scx.Loader "$1"
}

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >/dev/null || return 1
	sed -i 's/^SCX_SCHEDULER=.*/SCX_SCHEDULER=scx_simple/' /etc/default/scx
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	paired scx-service
	systemctl is-active scx.service >"$RESULTS/scx-service.active-after" 2>&1
	systemctl stop scx.service
	wait_state disabled 20 || return 1

	printf '[Unit]\nDescription=central scheduler\n\n[Service]\nExecStart=/usr/local/bin/scx_central\n' \
		>/etc/systemd/system/my-central.service
	systemctl daemon-reload
	systemctl start my-central.service || return 1
	wait_state enabled 30 || { systemctl status my-central.service; return 1; }
	paired other-unit
	systemctl is-active my-central.service >"$RESULTS/other-unit.active-after" 2>&1
	systemctl stop my-central.service
	wait_state disabled 20 || return 1

	loader_install || return 1
	busctl call -- org.scx.Loader /org/scx/Loader org.scx.Loader StartSchedulerWithArgs sas \
		scx_central 4 -s 20000 -c 1 || return 1
	wait_state enabled 30 || { journalctl -u scx_loader --no-pager | tail; return 1; }
	paired loader
	loader_prop CurrentScheduler >"$RESULTS/loader.current-after"
	loader_prop CurrentSchedulerArgs >"$RESULTS/loader.args-after"
	tr '\0' ' ' <"/proc/$(pidof scx_central)/cmdline" >"$RESULTS/loader.cmdline-after"
	busctl call org.scx.Loader /org/scx/Loader org.scx.Loader StopScheduler
	wait_state disabled 20 || return 1
	journalctl -b -u scx_loader --no-pager >"$RESULTS/journal-loader.txt" 2>&1
	return 0
}

on() {
	local out=$RESULTS/$1.json
	[ -s "$out" ] || "$SCX_REPORT" show --json "$RESULTS/$1.tar.zst" >"$out" 2>/dev/null
	if jq -e "$2" "$out" >/dev/null 2>&1; then pass "$1: $3"; else fail "$1: $3: '$2' on $out"; fi
}

done_restored() { # NAME MANAGER OPS
	assert_file_equals "$1.rc" 0 "$1: collect exits 0"
	on "$1" ".scheduler.ops == \"$3\" and .paired.manager == \"$2\"" "$3 via $2"
	on "$1" '.paired.status == "done" and (.paired.runs | length == 4) and all(.paired.runs[]; .valid)' \
		"paired run done, 4 valid runs"
	on "$1" '.paired.restore.action == "restarted"' "restored"
	assert_file_equals "$1.ops-after" "$3" "$1: $3 loaded afterwards"
}

check() {
	done_restored scx-service systemd simple
	on scx-service '.scheduler.unit == "scx.service"' "unit scx.service"
	assert_file_equals scx-service.active-after active "scx.service active afterwards"
	done_restored other-unit systemd central
	on other-unit '.scheduler.unit == "my-central.service"' "unit my-central.service"
	on other-unit '.paired.switch == "systemctl stop/start my-central.service"' "switched through that unit"
	assert_file_equals other-unit.active-after active "my-central.service active afterwards"
	done_restored loader scx_loader central
	on loader '.scheduler.loader.CurrentSchedulerArgs == ["-s","20000","-c","1"]' "the loader's arguments read"
	assert_file_contains loader.current-after '^s "scx_central"$' "scx_loader runs scx_central afterwards"
	assert_file_contains loader.args-after '^as 4 "-s" "20000" "-c" "1"$' "with the same arguments"
	assert_file_contains loader.cmdline-after '^scx_central -s 20000 -c 1 $' "the process has them"
	echo "figures: $(for n in scx-service other-unit loader; do jq -c "{\"$n\": {verdict: .verdict.class, p99_ratio: .paired.result.ratio, p: .paired.result.p}}" "$RESULTS/$n.json"; done | tr '\n' ' ')"
}
