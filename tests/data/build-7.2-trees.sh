#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-7.2-trees.sh [CAPTURES]: rebuild tests/data/sched-ext-7.2-enabled and
# tests/data/sched-ext-7.2-after-stall from the real captures in
# CAPTURES (default: tests/data/sched_ext-7.2.13, the in-repository copy).  See README.md in this folder for what each file is and where it
# comes from.  The expected/ folders are left alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${1:-$here/sched_ext-7.2.13}
release=7.2.13+deb14-cloud-amd64

build() {	# build TREE CAPTURE-FOLDER
	tree=$here/$1 src=$shared/$2
	for d in boot dev etc proc sys; do rm -rf "${tree:?}/$d"; done
	mkdir -p "$tree/boot" "$tree/dev" "$tree/proc/sys/kernel" \
		 "$tree/sys/devices/system/cpu" "$tree/sys/devices/system/node"
	(cd "$src" && find sys -type f ! -name uevent) | while read -r f; do
		mkdir -p "$(dirname "$tree/$f")"
		cp "$src/$f" "$tree/$f"
	done
	"$here/dmesg-to-kmsg.sh" < "$src/dmesg.txt" > "$tree/dev/kmsg"
	cp "$shared/config-$release" "$tree/boot/config-$release"
	echo "$release" > "$tree/proc/sys/kernel/osrelease"
	# The kernel's banner and command line, as its log printed them at boot.
	sed -n '1s/^\[[ 0-9.]*\] //p' "$src/dmesg.txt" > "$tree/proc/version"
	sed -n 's/^\[[ 0-9.]*\] Command line: //p' "$src/dmesg.txt" > "$tree/proc/cmdline"
	echo x86_64 > "$tree/proc/sys/kernel/arch"		# an amd64 kernel
	# "smp: Brought up 1 node, 2 CPUs", "nr_cpu_ids:2 nr_node_ids:1"
	for f in online possible present; do echo 0-1 > "$tree/sys/devices/system/cpu/$f"; done
	echo 0 > "$tree/sys/devices/system/node/online"
}

build sched-ext-7.2-enabled 2-enabled
# The loader process's real /proc/138/sched (ext.enabled: 1), as its only thread.
mkdir -p "$here/sched-ext-7.2-enabled/proc/138/task/138"
cp "$shared/2-enabled/proc/138/sched" "$here/sched-ext-7.2-enabled/proc/138/task/138/sched"

build sched-ext-7.2-after-stall 4-after-stall
echo "built sched-ext-7.2-enabled and sched-ext-7.2-after-stall from $shared"
