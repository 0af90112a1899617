#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-guest.sh: runs inside the guest (busybox /init, or the systemd scenario unit). Sources the
# guest helpers and the scenario, runs its guest() with output in /results/guest.log, sends
# /results back to the host over the second serial port (base64 of a tar.gz between markers)
# and powers the machine off.

SHARE=/usr/local/share/scx-test
RESULTS=/results
mkdir -p "$RESULTS"
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# shellcheck source=tests/vm/guest-lib.sh
. "$SHARE/guest-lib.sh"
# shellcheck disable=SC1091
. "$SHARE/scenario.sh"

echo "scx-vm: scenario $(cat "$SHARE/scenario-name") starting, kernel $(uname -r)"
guest >"$RESULTS/guest.log" 2>&1
rc=$?
echo "$rc" >"$RESULTS/guest.rc"
echo "scx-vm: guest part exited with $rc"
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
