# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
#
# capture: sysroot-like fixture trees of what scx-report's probes read, for golden tests
# (tests/data/vm-*/, see tests/data/README-vm-captures.md):
#   vm-enabled       the versioned fifo (/opt/scx/1.2.3/bin/scx_fifo) running (fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu),
#                    with proc/PID/ of its loader
#   vm-after-stall   after scx_stall was ejected by the watchdog (same boot, enable_seq 2)
# To refresh the committed trees:
#   SCX_VM_CAPTURE_DEST=tests/data tests/vm/run-scenario.sh capture build-vm/scx-report

guest() {
	sched_start fifo_versioned || return 1
	# Let a few scheduling events accumulate in root/events.
	sleep 1
	capture_tree "$RESULTS/vm-enabled" "$SCHED_PID" || return 1
	cp "$RESULTS/sched-fifo_versioned.log" "$RESULTS/vm-enabled/scheduler-output.txt"
	sched_stop fifo_versioned || return 1

	# The kernel writes the debug dump of an error exit to this tracepoint only when enabled.
	echo 1 >/sys/kernel/tracing/events/sched_ext/sched_ext_dump/enable || return 1
	sched_start stall || return 1
	sched_wait_exit stall 30
	wait_state disabled 10 || return 1
	capture_tree "$RESULTS/vm-after-stall" || return 1
	cat /sys/kernel/tracing/trace >"$RESULTS/vm-after-stall/sys/kernel/tracing/trace"
	echo 0 >/sys/kernel/tracing/events/sched_ext/sched_ext_dump/enable
	# What the scheduler process printed (exit kind, reason, debug dump): not a sysroot file.
	cp "$RESULTS/sched-stall.log" "$RESULTS/vm-after-stall/scheduler-output.txt"
}

check() {
	for t in vm-enabled vm-after-stall; do
		for f in sys/kernel/sched_ext/state sys/kernel/sched_ext/enable_seq proc/version \
			proc/cmdline proc/sys/kernel/tainted proc/cpuinfo etc/os-release dev/kmsg \
			sys/devices/system/cpu/online sys/devices/system/cpu/cpu0/topology/core_id; do
			if [ -s "$t/$f" ]; then pass "$t/$f captured"; else fail "$t/$f missing or empty"; fi
		done
		if ls "$t"/boot/config-* >/dev/null 2>&1; then pass "$t/boot/config-* captured"; else fail "$t/boot/config-* missing"; fi
	done
	assert_file_equals vm-enabled/sys/kernel/sched_ext/state enabled
	assert_file_equals vm-enabled/sys/kernel/sched_ext/root/ops fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu
	assert_file_contains vm-enabled/sys/kernel/sched_ext/root/events '^SCX_EV_' "root/events captured"
	pid=$(cat sched-fifo_versioned.pid)
	assert_file_contains "vm-enabled/proc/$pid/comm" '^scx_fifo$' "loader comm captured"
	assert_file_contains "vm-enabled/proc/$pid/fd-links.txt" 'anon_inode:bpf-map' "loader holds bpf map fds"
	assert_file_contains "vm-enabled/proc/$pid/fd-links.txt" 'anon_inode:bpf-prog' "loader holds bpf prog fds"
	assert_file_contains "vm-enabled/proc/$pid/fd-links.txt" 'anon_inode:bpf_link' "loader holds its struct_ops link"
	assert_file_equals vm-after-stall/sys/kernel/sched_ext/state disabled
	assert_file_equals vm-after-stall/sys/kernel/sched_ext/enable_seq 2
	assert_file_contains vm-after-stall/sys/kernel/tracing/trace 'sched_ext_dump: .*triggered exit kind 1026' \
		"the dump tracepoint captured"
	assert_file_contains vm-after-stall/scheduler-output.txt 'kind=1026' "the loader output captured"
	assert_file_contains vm-after-stall/dev/kmsg 'BPF scheduler "stall" disabled \(runnable task stall\)' \
		"kmsg has the ejection"
	if [ -n "${SCX_VM_CAPTURE_DEST:-}" ]; then
		case $SCX_VM_CAPTURE_DEST in
		/*) dest=$SCX_VM_CAPTURE_DEST ;;
		*) dest=$HOST_PWD/$SCX_VM_CAPTURE_DEST ;;
		esac
		for t in vm-enabled vm-after-stall; do
			rm -rf "${dest:?}/$t"
			mkdir -p "$dest"
			if cp -r "$t" "$dest/$t"; then echo "capture: wrote $dest/$t"; else fail "cannot write $dest/$t"; fi
		done
	fi
}
