#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-guest.sh: runs inside the guest (busybox /init, or the systemd scenario unit). Sources the
# guest helpers and the scenario, runs its guest() with output in /results/guest.log, sends
# /results back to the host over the second serial port (base64 of a tar.gz between markers)
# and powers the machine off.
#
# A watchdog sends what /results holds and powers off when guest() overruns the time the host
# gives it (guest-timeout, a little less than the VM's limit), so a hung guest part still
# leaves its logs: guest.rc is then 124.

SHARE=/usr/local/share/scx-test
RESULTS=/results
mkdir -p "$RESULTS"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# shellcheck source=tests/vm/guest-lib.sh
. "$SHARE/guest-lib.sh"
# shellcheck disable=SC1091
. "$SHARE/scenario.sh"

# finish RC: record RC, send the results (once, whoever comes first) and power off.
finish() {
	mkdir /run/scx-vm-finishing 2>/dev/null || { sleep 3600; exit 0; }
	echo "$1" >"$RESULTS/guest.rc"
	echo "scx-vm: guest part exited with $1"
	dmesg >"$RESULTS/dmesg.txt" 2>&1
	out=/dev/ttyS1
	[ -c "$out" ] || out=/dev/console
	stty -F "$out" raw -echo 2>/dev/null || true
	{
		echo "SCX-VM-RESULTS-BEGIN"
		tar -C "$RESULTS" -czf - . | base64
		echo "SCX-VM-RESULTS-END"
	} >"$out"
	sync
	echo "scx-vm: powering off"
	if [ -d /run/systemd/system ]; then
		systemctl --force --force poweroff
	else
		poweroff -f
	fi
	sleep 10
	echo o >/proc/sysrq-trigger
}

mkdir -p /run
limit=$(cat "$SHARE/guest-timeout" 2>/dev/null || echo 100)
(
	sleep "$limit"
	echo "scx-vm: guest part still running after ${limit}s, giving up" >/dev/console
	echo "guest part still running after ${limit}s" >>"$RESULTS/guest.log"
	finish 124
) &
watchdog=$!

echo "scx-vm: scenario $(cat "$SHARE/scenario-name") starting, kernel $(uname -r)"
guest >"$RESULTS/guest.log" 2>&1
rc=$?
kill "$watchdog" 2>/dev/null
finish "$rc"
