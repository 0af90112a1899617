# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
# timeout: 240
#
# capture-systemd: a sysroot-like fixture tree (tests/data/vm-systemd-enabled/, see
# tests/data/README-vm-captures.md) of a Debian 12 guest whose scheduler is the packaged
# /usr/bin/scx_fifo (package scx-test-scheds) started by scx.service: proc/PID of the loader
# (cgroup /system.slice/scx.service) and of PID 1, /etc/default/scx, the unit, dpkg's status and
# the package's file list. To refresh the committed tree:
#   SCX_VM_CAPTURE_DEST=tests/data tests/vm/run-scenario.sh capture-systemd build-vm/scx-report

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >"$RESULTS/dpkg.log" 2>&1 || return 1
	systemctl daemon-reload
	systemctl start scx.service || return 1
	wait_state enabled 30 || return 1
	sleep 1
	_pid=$(systemctl show -p MainPID --value scx.service)
	echo "$_pid" >"$RESULTS/loader.pid"
	capture_tree "$RESULTS/vm-systemd-enabled" "$_pid" 1 || return 1
	# The scheduler's output as the journal holds it: not a sysroot file.
	journalctl -u scx.service --no-pager -o short-monotonic \
		>"$RESULTS/vm-systemd-enabled/journal-scx.service.txt" 2>&1
	systemctl stop scx.service
}

check() {
	t=vm-systemd-enabled
	pid=$(cat loader.pid)
	assert_file_equals "$t/sys/kernel/sched_ext/state" enabled
	assert_file_equals "$t/sys/kernel/sched_ext/root/ops" fifo
	assert_file_contains "$t/proc/$pid/cgroup" '^0::/system.slice/scx.service$' "loader in scx.service's cgroup"
	assert_file_contains "$t/proc/$pid/comm" '^scx_fifo$' "loader comm captured"
	assert_file_contains "$t/proc/$pid/fd-links.txt" 'anon_inode:bpf_link' "loader holds its struct_ops link"
	assert_file_contains "$t/proc/1/comm" '^systemd$' "PID 1 captured"
	assert_file_contains "$t/etc/default/scx" '^SCX_SCHEDULER=scx_fifo$' "/etc/default/scx captured"
	assert_file_contains "$t/lib/systemd/system/scx.service" 'EnvironmentFile=/etc/default/scx' "scx.service captured"
	assert_file_contains "$t/var/lib/dpkg/status" '^Package: scx-test-scheds$' "dpkg status captured"
	assert_file_contains "$t/var/lib/dpkg/info/scx-test-scheds.list" '^/usr/bin/scx_fifo$' "package file list captured"
	assert_file_contains "$t/journal-scx.service.txt" 'scheduler started' "journal captured"
	for f in dev/kmsg proc/version proc/cpuinfo etc/os-release proc/self/mounts; do
		if [ -s "$t/$f" ]; then pass "$t/$f captured"; else fail "$t/$f missing or empty"; fi
	done
	if [ -n "${SCX_VM_CAPTURE_DEST:-}" ]; then
		case $SCX_VM_CAPTURE_DEST in
		/*) dest=$SCX_VM_CAPTURE_DEST ;;
		*) dest=$HOST_PWD/$SCX_VM_CAPTURE_DEST ;;
		esac
		rm -rf "${dest:?}/$t"
		mkdir -p "$dest"
		if cp -r "$t" "$dest/$t"; then echo "capture: wrote $dest/$t"; else fail "cannot write $dest/$t"; fi
	fi
}
