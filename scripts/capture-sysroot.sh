#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# capture-sysroot.sh DEST: copy what the kernel, sched_ext, kmsg and system
# probes read from this machine into DEST, a tree that
# `scx-report collect --sysroot DEST` replays (tests/data/<name>/ is made so).
#
# Copies contents, never links: sysfs/procfs files are read with cat.  To keep
# trees small it takes, on purpose:
#   - /proc/cpuinfo: the first processor's block only (all the probe reads);
#   - /sys/kernel/btf/vmlinux: an empty file (the probe only checks it exists);
#   - /sys/module/*/taint: only the non-empty ones (a module with no taint
#     has an empty file, which the probe skips);
#   - /proc/PID/task/TID/sched: only while a BPF scheduler is enabled, and
#     only the header line and the ext.enabled line of each;
#   - /dev/kmsg: every record, read without blocking (needs root when
#     kernel.dmesg_restrict=1).
# Run it as root for a complete tree.  POSIX sh, coreutils and dd only.
set -eu

if [ $# -ne 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
	echo "usage: $0 DEST   (DEST must not exist or be an empty folder)" >&2
	exit 2
fi
dest=$1
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
	echo "$0: $dest exists and is not empty" >&2
	exit 1
fi
mkdir -p "$dest"

# put SRC: copy one file's content to DEST/SRC if it is readable.
put() {
	[ -f "$1" ] && [ -r "$1" ] || return 0
	mkdir -p "$dest$(dirname "$1")"
	cat "$1" > "$dest$1" 2>/dev/null || rm -f "$dest$1"
}

release=$(cat /proc/sys/kernel/osrelease)

for f in /proc/sys/kernel/osrelease /proc/sys/kernel/arch /proc/sys/kernel/tainted \
	 /proc/version /proc/cmdline /proc/loadavg /proc/pressure/cpu; do
	put "$f"
done
mkdir -p "$dest/proc"
awk 'NF == 0 { exit } { print }' /proc/cpuinfo > "$dest/proc/cpuinfo"

mkdir -p "$dest/etc"
if [ -r /etc/os-release ]; then
	cat /etc/os-release > "$dest/etc/os-release"
elif [ -r /usr/lib/os-release ]; then
	cat /usr/lib/os-release > "$dest/etc/os-release"
fi

if [ -r "/boot/config-$release" ]; then
	put "/boot/config-$release"
else
	put /proc/config.gz
fi

if [ -e /sys/kernel/btf/vmlinux ]; then
	mkdir -p "$dest/sys/kernel/btf"
	: > "$dest/sys/kernel/btf/vmlinux"
fi
for f in /sys/module/*/taint; do
	[ -n "$(cat "$f" 2>/dev/null)" ] || continue
	put "$f"
done

if [ -d /sys/kernel/sched_ext ]; then
	find /sys/kernel/sched_ext -type f | while read -r f; do put "$f"; done
fi
for f in /sys/module/sched_ext/parameters/*; do put "$f"; done

cpu=/sys/devices/system/cpu
for f in $cpu/online $cpu/possible $cpu/present $cpu/isolated $cpu/nohz_full $cpu/smt/active \
	 /sys/devices/system/node/online /sys/devices/cpu_core/cpus /sys/devices/cpu_atom/cpus \
	 /sys/devices/cpu_lowpower/cpus; do
	put "$f"
done
for d in $cpu/cpu[0-9]*; do
	for f in online topology/physical_package_id topology/die_id topology/core_id \
		 cpu_capacity cpufreq/scaling_driver cpufreq/scaling_governor; do
		put "$d/$f"
	done
done

if [ "$(cat /sys/kernel/sched_ext/state 2>/dev/null)" = enabled ]; then
	for s in /proc/[0-9]*/task/[0-9]*/sched; do
		out=$dest$s
		mkdir -p "$(dirname "$out")"
		{ head -n 1 "$s" && grep '^ext\.enabled' "$s"; } > "$out" 2>/dev/null || rm -f "$out"
	done
fi

mkdir -p "$dest/dev"
# One record per read(2); dd stops at EAGAIN (end of the log) with an error we expect.
dd if=/dev/kmsg of="$dest/dev/kmsg" iflag=nonblock bs=16384 2>/dev/null || true
[ -s "$dest/dev/kmsg" ] || { rm -f "$dest/dev/kmsg"; echo "$0: /dev/kmsg not readable, no kernel log captured" >&2; }

echo "captured $(find "$dest" -type f | wc -l) files ($(du -sk "$dest" | cut -f1) KiB) into $dest"
