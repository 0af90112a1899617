# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# guest-lib.sh: helpers for the guest() part of a VM scenario. Sourced by run-guest.sh inside the
# guest (busybox ash or Debian's sh) before the scenario file, so: POSIX sh only.
#
# Files written under /results come back to the host (run-scenario.sh unpacks them into the
# scenario's results directory). Conventions:
#   /results/sched-NAME.log   output of scheduler scx_NAME     /results/sched-NAME.rc  its exit code
#   /results/bug.tar.zst      the bundle from scx_collect      /results/collect.log, collect.rc

# shellcheck disable=SC2034 # for scenarios
SCX_TEST_SHARE=/usr/local/share/scx-test
SCX_SYSFS=/sys/kernel/sched_ext
RESULTS=/results

log() { echo "guest: $*"; }

# sched_state: print /sys/kernel/sched_ext/state ("none" when sched_ext is absent).
sched_state() {
	cat "$SCX_SYSFS/state" 2>/dev/null || echo none
}

# wait_state STATE [TIMEOUT_S]: wait until sched_ext is in STATE; 1 on timeout.
wait_state() {
	_want=$1 _left=$(( ${2:-20} * 10 ))
	while [ "$_left" -gt 0 ]; do
		[ "$(sched_state)" = "$_want" ] && return 0
		sleep 0.1
		_left=$((_left - 1))
	done
	log "timed out waiting for state $_want (state is $(sched_state))"
	return 1
}

# sched_bin NAME: the command of test scheduler NAME. The versioned fifo is installed as
# /opt/scx/1.2.3/bin/scx_fifo so that its process looks like an scx build (comm scx_fifo).
sched_bin() {
	case $1 in
	fifo_versioned) echo /opt/scx/1.2.3/bin/scx_fifo ;;
	*) echo "scx_$1" ;;
	esac
}

# sched_start NAME [ARGS...]: start scheduler NAME (scx_NAME on PATH, see sched_bin) in the
# background, like a user in a shell, and wait until it says it attached. Sets SCHED_PID.
# 1 if it exited or never started.
sched_start() {
	_name=$1
	shift
	# "scheduler started" comes when the struct_ops link is attached; the kernel may finish
	# enabling it a little later. A collection started in between finds sched_ext disabled
	# (as a user would at that moment), so wait for the enable too: enable_seq counts each.
	_seq0=$(cat "$SCX_SYSFS/enable_seq" 2>/dev/null || echo 0)
	"$(sched_bin "$_name")" "$@" >"$RESULTS/sched-$_name.log" 2>&1 &
	SCHED_PID=$!
	echo "$SCHED_PID" >"$RESULTS/sched-$_name.pid"
	_left=300
	while [ "$_left" -gt 0 ]; do
		grep -q 'scheduler started' "$RESULTS/sched-$_name.log" 2>/dev/null &&
			[ "$(cat "$SCX_SYSFS/enable_seq" 2>/dev/null || echo 0)" -gt "$_seq0" ] && {
			log "scx_$_name started (pid $SCHED_PID)"
			return 0
		}
		kill -0 "$SCHED_PID" 2>/dev/null || break
		sleep 0.1
		_left=$((_left - 1))
	done
	log "scx_$_name did not start:"
	cat "$RESULTS/sched-$_name.log"
	return 1
}

# upstream_start NAME [ARGS...]: start the kernel's example scheduler scx_NAME (simple, central,
# flatcg, userland; "# upstream-scheds: yes") in the background and wait until sched_ext is
# enabled with ops NAME: these loaders print no "started" line (scx_simple prints its counters
# every second, the others less). Same files and SCHED_PID as sched_start; stop it with
# sched_stop NAME (SIGINT: it detaches, prints its UEI exit report on stderr and exits 0).
upstream_start() {
	_name=$1
	shift
	"scx_$_name" "$@" >"$RESULTS/sched-$_name.log" 2>&1 &
	SCHED_PID=$!
	echo "$SCHED_PID" >"$RESULTS/sched-$_name.pid"
	_left=300
	while [ "$_left" -gt 0 ]; do
		if [ "$(sched_state)" = enabled ] &&
			[ "$(cat "$SCX_SYSFS/root/ops" 2>/dev/null)" = "$_name" ]; then
			log "scx_$_name started (pid $SCHED_PID)"
			return 0
		fi
		kill -0 "$SCHED_PID" 2>/dev/null || break
		sleep 0.1
		_left=$((_left - 1))
	done
	log "scx_$_name did not start (state $(sched_state)):"
	cat "$RESULTS/sched-$_name.log"
	return 1
}

# loader_install: (systemd guest) put the scx_loader stand-in in place (/usr/bin/scx_loader,
# scx_loader.service, its D-Bus policy, /etc/scx_loader.toml with default_sched scx_simple) and
# start it; then `busctl call org.scx.Loader /org/scx/Loader org.scx.Loader ...` drives it.
loader_install() {
	cp -a "$SCX_TEST_SHARE/loader/." / || return 1
	systemctl reload dbus.service 2>/dev/null || busctl call org.freedesktop.DBus \
		/org/freedesktop/DBus org.freedesktop.DBus ReloadConfig
	systemctl daemon-reload
	systemctl start scx_loader.service || { systemctl status scx_loader.service; return 1; }
}

# sched_wait_exit NAME [TIMEOUT_S]: wait for scx_NAME (started by sched_start) to exit by itself;
# records and returns its exit code (124 on timeout).
sched_wait_exit() {
	_name=$1 _left=$(( ${2:-20} * 10 ))
	_pid=$(cat "$RESULTS/sched-$_name.pid")
	while kill -0 "$_pid" 2>/dev/null && [ "$_left" -gt 0 ]; do
		sleep 0.1
		_left=$((_left - 1))
	done
	if kill -0 "$_pid" 2>/dev/null; then
		log "scx_$_name still running after ${2:-20}s"
		echo 124 >"$RESULTS/sched-$_name.rc"
		return 124
	fi
	wait "$_pid"
	_rc=$?
	echo "$_rc" >"$RESULTS/sched-$_name.rc"
	log "scx_$_name exited with $_rc"
	return "$_rc"
}

# sched_stop NAME: SIGINT to scx_NAME, as Ctrl-C would; records and returns its exit code.
sched_stop() {
	kill -INT "$(cat "$RESULTS/sched-$1.pid")" 2>/dev/null
	sched_wait_exit "$1" 10
}

# scx_collect [ARGS...]: the standard collection into /results/bug.tar.zst; returns its code.
scx_collect() {
	_t0=$(date +%s)
	scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --no-paired "$@" \
		>"$RESULTS/collect.log" 2>&1
	_rc=$?
	echo "$_rc" >"$RESULTS/collect.rc"
	log "scx-report collect exited with $_rc after $(( $(date +%s) - _t0 ))s"
	[ "$_rc" -eq 0 ] || tail -n 20 "$RESULTS/collect.log"
	return "$_rc"
}

# snapshot_sysfs NAME: every file under /sys/kernel/sched_ext into /results/sysfs-NAME.txt.
snapshot_sysfs() {
	find "$SCX_SYSFS" -type f 2>/dev/null | sort | while read -r _f; do
		echo "== $_f"
		cat "$_f" 2>&1
	done >"$RESULTS/sysfs-$1.txt"
}

# _copy SRC DEST_ROOT: copy one file's content (sysfs/procfs files have no real size).
_copy() {
	[ -r "$1" ] || return 0
	mkdir -p "$2$(dirname "$1")"
	cat "$1" >"$2$1" 2>/dev/null || rm -f "$2$1"
}

# capture_tree DEST [PID...]: copy what scx-report's probes read into DEST laid out like a
# sysroot (DEST/sys/..., DEST/proc/...), for golden tests. PIDs: processes whose
# fdinfo/cmdline/status/stat/sched/comm/cgroup/environ are copied too (the scheduler loader,
# its parents).
capture_tree() {
	_dest=$1
	shift
	mkdir -p "$_dest/sys/kernel/tracing"
	find /sys/kernel/sched_ext /sys/module/sched_ext -type f 2>/dev/null | while read -r _f; do
		_copy "$_f" "$_dest"
	done
	for _f in /proc/sys/kernel/tainted /proc/cmdline /proc/version /proc/loadavg \
		/proc/pressure/cpu /proc/pressure/memory /proc/pressure/io /proc/cpuinfo \
		/proc/stat /proc/uptime /proc/meminfo /proc/sys/kernel/bpf_stats_enabled \
		/proc/sys/kernel/unprivileged_bpf_disabled /proc/sys/kernel/sched_autogroup_enabled \
		/sys/devices/system/cpu/online /sys/devices/system/cpu/possible \
		/sys/devices/system/cpu/present /sys/devices/system/cpu/offline \
		/sys/devices/system/cpu/isolated /sys/devices/system/cpu/smt/active \
		/sys/devices/system/cpu/smt/control /sys/devices/system/node/online \
		/sys/devices/system/cpu/nohz_full /proc/sys/kernel/arch /proc/sys/kernel/osrelease \
		/proc/self/mounts /etc/os-release /usr/lib/os-release \
		/etc/default/scx /etc/conf.d/scx /etc/init.d/scx /etc/scx_loader.toml \
		/etc/scx_loader/config.toml /lib/systemd/system/scx.service \
		/usr/lib/systemd/system/scx.service /lib/systemd/system/scx_loader.service \
		/usr/lib/systemd/system/scx_loader.service /var/lib/dpkg/status; do
		_copy "$_f" "$_dest"
	done
	# dpkg's file lists and checksums of the test scheduler package, when installed.
	for _f in /var/lib/dpkg/info/scx-test-scheds.*; do
		[ -f "$_f" ] && _copy "$_f" "$_dest"
	done
	for _f in /sys/devices/system/cpu/cpu[0-9]*/topology/* \
		/sys/devices/system/cpu/cpu[0-9]*/online \
		/sys/devices/system/cpu/cpu[0-9]*/cpufreq/* \
		/sys/devices/system/cpu/cpufreq/policy*/*; do
		[ -f "$_f" ] && _copy "$_f" "$_dest"
	done
	[ -r "/boot/config-$(uname -r)" ] && _copy "/boot/config-$(uname -r)" "$_dest"
	# The kernel log in /dev/kmsg record format ("prio,seq,usec,flags;text" + continuation lines).
	mkdir -p "$_dest/dev"
	timeout 2 cat /dev/kmsg >"$_dest/dev/kmsg" 2>/dev/null || true
	for _pid in "$@"; do
		for _f in cmdline status stat sched comm cgroup environ; do
			_copy "/proc/$_pid/$_f" "$_dest"
		done
		for _f in /proc/"$_pid"/fdinfo/*; do
			_copy "$_f" "$_dest"
		done
		# Where each fd points (anon_inode:bpf-map, ...), as `ls -l` shows it.
		mkdir -p "$_dest/proc/$_pid"
		for _f in /proc/"$_pid"/fd/*; do
			echo "$(basename "$_f") -> $(readlink "$_f")"
		done >"$_dest/proc/$_pid/fd-links.txt"
	done
}

# wait_loaded OPS TENTHS: until OPS is loaded and sched_ext enabled, at most TENTHS tenths of a
# second; prints how many tenths it took (TENTHS when it never came).
wait_loaded() {
	_t=0
	until { [ "$(cat "$SCX_SYSFS/root/ops" 2>/dev/null)" = "$1" ] && [ "$(sched_state)" = enabled ]; } ||
		[ "$_t" -ge "$2" ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	echo "$_t"
}

# signal_during_default SIG [group]: with fifo running, start a paired collect (--allow-restart),
# send SIG to scx-report once the default side runs (sched_ext disabled) — with "group", to its
# whole process group, as a shell's `kill -9 %1` does — and record how long fifo takes to be back
# (restore-tenths.txt), collect's exit code (collect.rc), sysfs during and after, and fifo's pid
# afterwards. The paired-sigint and paired-sigkill* scenarios.
signal_during_default() {
	sched_start fifo || return 1
	# 6 s a side: the signal must land in the default side even when a loaded host slows the
	# guest's own steps (wait_state, sleep, the snapshot) by seconds.
	setsid scx-report collect -o "$RESULTS/bug.tar.zst" --no-latency --allow-restart --duration 6 \
		--rounds 5 >"$RESULTS/collect.log" 2>&1 &
	_scx=$!
	wait_state disabled 90 || return 1
	sleep 1
	snapshot_sysfs during
	if [ "${2:-}" = group ]; then
		kill -"$1" -- "-$_scx"
	else
		kill -"$1" "$_scx"
	fi
	_t=0
	until [ "$(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" = fifo ] || [ "$_t" -ge 300 ]; do
		sleep 0.1
		_t=$((_t + 1))
	done
	echo "$_t" >"$RESULTS/restore-tenths.txt"
	wait "$_scx"
	echo $? >"$RESULTS/collect.rc"
	sleep 1
	snapshot_sysfs after
	pidof scx_fifo >"$RESULTS/fifo-pid-after.txt"
	kill -INT $(pidof scx_fifo) 2>/dev/null
	sleep 1
	return 0
}

# ---- multi-boot scenarios (headers `# boots: 2`, `# disk: yes`, `# ramoops: yes`) ----

# disk_mount DIR: load virtio_blk and mount the scenario's persistent disk (/dev/vda) on DIR.
disk_mount() {
	modprobe virtio_blk 2>/dev/null ||
		insmod "/lib/modules/$(uname -r)/kernel/drivers/block/virtio_blk.ko" 2>/dev/null || true
	_left=50
	while [ ! -b /dev/vda ] && [ "$_left" -gt 0 ]; do sleep 0.1; _left=$((_left - 1)); done
	mkdir -p "$1"
	mount -t ext4 /dev/vda "$1"
}

# boot_count FILE: add one to the count kept in FILE (on the persistent disk) and print it.
boot_count() {
	_n=$(( $(cat "$1" 2>/dev/null || echo 0) + 1 ))
	echo "$_n" >"$1"
	sync
	echo "$_n"
}

# ramoops_load: load ramoops with the region the host reserved (memmap= on the command line)
# and mount pstore; prints the number of records found (0 in the first boot).
ramoops_load() {
	_m=/lib/modules/$(uname -r)/kernel
	_args=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^ramoops\.//p' | tr '\n' ' ')
	# insmod with the parameters (busybox modprobe may not read them from /proc/cmdline).
	if [ -f "$_m/fs/pstore/ramoops.ko" ]; then
		insmod "$_m/lib/reed_solomon/reed_solomon.ko" 2>/dev/null
		# shellcheck disable=SC2086 # one word per parameter
		insmod "$_m/fs/pstore/ramoops.ko" $_args || return 1
	else
		modprobe ramoops || return 1
	fi
	mountpoint -q /sys/fs/pstore 2>/dev/null || mount -t pstore pstore /sys/fs/pstore
	find /sys/fs/pstore -name 'dmesg-*' | wc -l
}

# reboot_guest clean|reset|panic: end this boot; the next one runs guest() again. run-guest.sh's
# results-and-poweroff is held back (its once-only lock is taken), so only the last boot reports.
reboot_guest() {
	mkdir -p /run/scx-vm-finishing
	sync
	case $1 in
	clean)
		if [ -d /run/systemd/system ]; then systemctl reboot; else reboot; fi ;;
	reset) echo b >/proc/sysrq-trigger ;;
	panic) echo c >/proc/sysrq-trigger ;;
	esac
	sleep 600
}
