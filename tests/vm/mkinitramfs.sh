#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkinitramfs.sh: build the guest's initramfs in two gzip'd cpio parts that the kernel unpacks
# one after the other (later files win):
#
#   mkinitramfs.sh base busybox OUT    busybox-static with its applet links and /init
#   mkinitramfs.sh base systemd OUT    a debootstrapped Debian 12 (systemd, and the runtime
#                                      libraries of scx-report), cached in $SCX_VM_CACHE
#   mkinitramfs.sh overlay GUEST OUT SCX_REPORT SCHED_DIR SCENARIO KERNEL_DIR
#                                      what changes per build and scenario (see below)
#
# Guest paths (both guests):
#   /usr/bin/scx-report                          the scx-report under test (dynamically linked:
#                                                busybox guest gets its libraries copied from the
#                                                host; the Debian guest uses its own)
#   /usr/local/bin/scx_{fifo,stall,slow}, /usr/local/bin/scx_testsched (takes a .bpf.o path),
#   /opt/scx/1.2.3/bin/scx_fifo                  the versioned fifo (ops.name
#                                                fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu)
#                                                (busybox guest; the systemd guest has them only
#                                                from the package, in /usr/bin, once installed)
#   /usr/local/share/scx-test/*.bpf.o            the test schedulers (tests/schedulers)
#   /usr/sbin/bpftool                            busybox guest: the host's, with its libraries
#   each path of the scenario's "# host-tools:" header, at the same path, with its libraries
#   /usr/local/bin/scx_{simple,central,flatcg,userland}  the kernel's example schedulers, when
#                                                the scenario says "# upstream-scheds: yes"
#                                                (SCX_VM_UPSTREAM_SCHEDS: their directory)
#   /usr/local/share/scx-test/{guest-lib.sh,run-guest.sh,scenario.sh,scenario-name}
#   /usr/local/share/scx-test/scx-test-scheds.deb  (systemd guest) the schedulers as a package
#   /usr/local/share/scx-test/loader/{usr/bin/scx_loader,usr/lib/systemd/system/scx_loader.service,
#     etc/scx_loader.toml,etc/dbus-1/system.d/org.scx.Loader.conf}
#                                                (systemd guest) the scx_loader stand-in, put in
#                                                place by the guest helper loader_install
#   /boot/config-<kernel version>                the booted kernel's config
#   /results                                     everything here comes back to the host
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}
# shellcheck source=tests/vm/private-apt.sh
. "$HERE/private-apt.sh"   # MIRROR: the machine's own Debian mirror
# Bump when the systemd root recipe below changes, so caches are rebuilt.
ROOTFS_RECIPE=1
ROOTFS_PACKAGES=systemd,systemd-sysv,dbus,udev,kmod,procps,libbpf1,libelf1,libarchive13,libjansson4,libcurl4,libssl3,libzstd1,zlib1g

die() { echo "mkinitramfs: $*" >&2; exit 1; }
log() { echo "mkinitramfs: $*" >&2; }

# pack DIR OUT: a gzip'd newc cpio of DIR, owned by root.
pack() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
		gzip -1 >"$2.tmp"
	mv "$2.tmp" "$2"
}

base_busybox() {
	local out=$1 root bb
	bb=/bin/busybox
	[ -x "$bb" ] || bb=$(command -v busybox) || die "busybox is missing (run tests/vm/install-deps.sh)"
	ldd "$bb" >/dev/null 2>&1 && die "$bb is not static: install busybox-static"
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,lib64,etc,proc,sys,dev,tmp,run,root,results,boot}
	cp "$bb" "$root/bin/busybox"
	"$bb" --list-full | while read -r applet; do
		[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
	done
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	cat >"$root/init" <<'EOF'
#!/bin/sh
# busybox guest init: mount the kernel filesystems, run the scenario, power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
hostname scx-vm
ip link set lo up 2>/dev/null
exec /usr/local/share/scx-test/run-guest.sh </dev/console >/dev/console 2>&1
EOF
	chmod 755 "$root/init"
	cat >"$root/etc/os-release" <<'EOF'
PRETTY_NAME="scx-report test guest (busybox)"
NAME="scx-vm"
ID=scx-vm
EOF
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"
	pack "$root" "$out"
	rm -rf "$root"
}

# The debootstrapped Debian 12 root, as a tarball in the cache (debootstrap takes about a minute).
systemd_rootfs_tarball() {
	local key tarball root
	key=$(echo "$ROOTFS_RECIPE $ROOTFS_PACKAGES" | md5sum | cut -c1-8)
	tarball=$CACHE/rootfs/bookworm-systemd-$key.tar.gz
	if [ -s "$tarball" ]; then
		echo "$tarball"; return 0
	fi
	mkdir -p "$CACHE/rootfs"
	# One debootstrap at a time; then look again.
	exec 8>"$CACHE/rootfs/.lock"
	flock 8
	if [ -s "$tarball" ]; then
		echo "$tarball"; return 0
	fi
	command -v debootstrap >/dev/null || die "debootstrap is missing (run tests/vm/install-deps.sh)"
	mkdir -p "$CACHE/rootfs"
	root=$(mktemp -d "$CACHE/rootfs/.debootstrap.XXXXXX")
	log "debootstrapping Debian 12 into $root (about a minute)"
	debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" bookworm "$root" "$MIRROR" \
		>"$root.log" 2>&1 || { tail -n 20 "$root.log" >&2; rm -rf "$root"; die "debootstrap failed"; }
	rm -f "$root.log"
	rm -rf "$root"/usr/share/{doc,man,info,locale,i18n,lintian,linda} "$root"/var/cache/apt/* \
		"$root"/var/lib/apt/lists/*
	echo scx-vm >"$root/etc/hostname"
	echo "0123456789abcdef0123456789abcdef" >"$root/etc/machine-id"
	sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
	ln -sf /lib/systemd/system/multi-user.target "$root/etc/systemd/system/default.target"
	# Nothing that waits for hardware or the network we do not have.
	for unit in systemd-timesyncd.service systemd-networkd-wait-online.service \
		apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
		systemd-tmpfiles-clean.timer dpkg-db-backup.timer getty@tty1.service; do
		ln -sf /dev/null "$root/etc/systemd/system/$unit"
	done
	(cd "$root" && tar -czf "$tarball.tmp" --numeric-owner .)
	mv "$tarball.tmp" "$tarball"
	rm -rf "$root"
	log "systemd root cached in $tarball"
	echo "$tarball"
}

# The OpenRC guest's root: Debian 12 booted by sysvinit with OpenRC as its rc (Debian's openrc
# package: /etc/inittab runs its /etc/init.d/rcS and rc), cached like the systemd one.
ROOTFS_PACKAGES_OPENRC=procps,kmod,libbpf1,libelf1,libarchive13,libjansson4,libcurl4,libssl3,libzstd1,zlib1g
openrc_rootfs_tarball() {
	local key tarball root r
	key=$(echo "$ROOTFS_RECIPE $ROOTFS_PACKAGES_OPENRC sysvinit-core openrc" | md5sum | cut -c1-8)
	tarball=$CACHE/rootfs/bookworm-openrc-$key.tar.gz
	if [ -s "$tarball" ]; then
		echo "$tarball"; return 0
	fi
	mkdir -p "$CACHE/rootfs"
	exec 8>"$CACHE/rootfs/.lock"
	flock 8
	if [ -s "$tarball" ]; then
		echo "$tarball"; return 0
	fi
	command -v debootstrap >/dev/null || die "debootstrap is missing (run tests/vm/install-deps.sh)"
	root=$(mktemp -d "$CACHE/rootfs/.debootstrap.XXXXXX")
	log "debootstrapping Debian 12 with OpenRC into $root (about two minutes)"
	# The init system from apt in the chroot: debootstrap's resolver would pick sysv-rc, which
	# conflicts with openrc, for sysvinit-core's "sysv-rc | openrc".
	if ! debootstrap --variant=minbase --include="$ROOTFS_PACKAGES_OPENRC" bookworm "$root" "$MIRROR" \
		>"$root.log" 2>&1 || ! mount --bind /proc "$root/proc" >>"$root.log" 2>&1; then
		tail -n 20 "$root.log" >&2; rm -rf "$root"; die "debootstrap (OpenRC) failed"
	fi
	r=0
	DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends \
		sysvinit-core openrc >>"$root.log" 2>&1 || r=$?
	umount "$root/proc"
	[ "$r" -eq 0 ] || { tail -n 20 "$root.log" >&2; rm -rf "$root"; die "installing OpenRC failed"; }
	rm -f "$root.log"
	rm -rf "$root"/usr/share/{doc,man,info,locale,i18n,lintian,linda} "$root"/var/cache/apt/* \
		"$root"/var/lib/apt/lists/*
	echo scx-vm >"$root/etc/hostname"
	sed -i 's/^root:[^:]*:/root::/' "$root/etc/shadow"
	# No gettys on consoles we do not have; the scenario runs from its own inittab line.
	sed -i 's/^\([0-9]:[0-9]*:respawn:\)/#\1/' "$root/etc/inittab"
	(cd "$root" && tar -czf "$tarball.tmp" --numeric-owner .)
	mv "$tarball.tmp" "$tarball"
	rm -rf "$root"
	log "OpenRC root cached in $tarball"
	echo "$tarball"
}

base_openrc() {
	local out=$1 tarball root
	tarball=$(openrc_rootfs_tarball)
	root=$(mktemp -d)
	tar -C "$root" -xzf "$tarball" --numeric-owner
	[ -e "$root/dev/console" ] || mknod -m 600 "$root/dev/console" c 5 1
	mkdir -p "$root/results"
	pack "$root" "$out"
	rm -rf "$root"
}

base_systemd() {
	local out=$1 tarball root
	tarball=$(systemd_rootfs_tarball)
	root=$(mktemp -d)
	tar -C "$root" -xzf "$tarball" --numeric-owner
	[ -e "$root/dev/console" ] || mknod -m 600 "$root/dev/console" c 5 1
	mkdir -p "$root/results"
	pack "$root" "$out"
	rm -rf "$root"
}

# copy_with_libs BIN ROOT DEST_PATH: BIN at DEST_PATH plus every shared library it needs.
copy_with_libs() {
	local bin=$1 root=$2 dest=$3 lib
	install -D -m 755 "$bin" "$root$dest"
	ldd "$bin" | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}' | while read -r lib; do
		[ -e "$root$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# copy_dlopened ROOT SONAME...: libraries scx-report dlopen()s (no ldd line names them: libarchive
# to read bundles, formats/archive-load.h), each with every shared library it needs.
copy_dlopened() {
	local root=$1 so lib path
	shift
	for so in "$@"; do
		path=$(ldconfig -p | awk -v so="$so" '$1 == so && /x86-64/ {print $NF; exit}')
		[ -n "$path" ] || die "no $so on this machine (scx-report dlopen()s it): install its package"
		copy_with_libs "$path" "$root" "$path"
	done
}

# Libraries scx-report needs that the Debian guest lacks (warned about: add them to
# ROOTFS_PACKAGES instead).
copy_missing_libs() {
	local bin=$1 root=$2 base_list=$3 lib
	ldd "$bin" | awk '/=> \//{print $3}' | while read -r lib; do
		if ! grep -qx "\\.$lib\\|\\./usr$lib" "$base_list"; then
			log "warning: the systemd guest has no $lib, copying the host's"
			install -D -m 755 "$(readlink -f "$lib")" "$root/usr$lib"
		fi
	done
}

make_deb() { # SCHED_DIR OUT
	local sched=$1 out=$2 pkg
	pkg=$(mktemp -d)
	mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/scx-test-scheds" \
		"$pkg/lib/systemd/system" "$pkg/etc/default"
	for s in fifo fifo_versioned stall slow; do
		install -m 755 "$sched/bin/scx_$s" "$pkg/usr/bin/scx_$s"
		install -m 644 "$sched/share/$s.bpf.o" "$pkg/usr/share/scx-test-scheds/$s.bpf.o"
	done
	# The unit and defaults file in the form the scx repository ships them.
	cat >"$pkg/lib/systemd/system/scx.service" <<'EOF'
[Unit]
Description=Start scx_scheduler
ConditionPathIsDirectory=/sys/kernel/sched_ext
StartLimitIntervalSec=30
StartLimitBurst=2

[Service]
Type=simple
EnvironmentFile=/etc/default/scx
ExecStart=/bin/bash -c 'exec ${SCX_SCHEDULER_OVERRIDE:-$SCX_SCHEDULER} ${SCX_FLAGS_OVERRIDE:-$SCX_FLAGS}'
Restart=on-failure
StandardError=journal

[Install]
WantedBy=graphical.target
EOF
	cat >"$pkg/etc/default/scx" <<'EOF'
# List of scx_schedulers: scx_fifo scx_fifo_versioned scx_slow scx_stall
SCX_SCHEDULER=scx_fifo

# Set custom flags for the scheduler
#SCX_FLAGS=''
EOF
	echo /etc/default/scx >"$pkg/DEBIAN/conffiles"
	cat >"$pkg/DEBIAN/control" <<EOF
Package: scx-test-scheds
Version: 0.1.0-1
Architecture: amd64
Maintainer: scx-report developers <scx-report@localhost>
Section: admin
Priority: optional
Description: sched_ext test schedulers of the scx-report VM tests
 fifo, fifo_versioned, slow and stall, with an scx.service unit.
EOF
	dpkg-deb --root-owner-group -b "$pkg" "$out" >/dev/null
	rm -rf "$pkg"
}

# The OpenRC guest: the scenario runs from an inittab line after runlevel 2 (OpenRC's default
# runlevel) is up, and /etc/init.d/scx with /etc/conf.d/scx wait under
# /usr/local/share/scx-test/openrc/ for the scenario to install (the shape scx shipped for
# OpenRC: supervise-daemon runs /usr/bin/$SCX_SCHEDULER $SCX_FLAGS, output in
# /var/log/scx/scx.log).
openrc_files() {
	local root=$1 d=$1/usr/local/share/scx-test/openrc
	mkdir -p "$d/etc/init.d" "$d/etc/conf.d" "$root/etc"
	tar -xzf "$(openrc_rootfs_tarball)" -C "$root" ./etc/inittab
	# The kernel filesystems first (the minimal root has no initscripts or udev to mount them).
	sed -i 's|^si::sysinit:|mnt::sysinit:/usr/local/share/scx-test/openrc-mounts.sh\n&|' \
		"$root/etc/inittab"
	echo "scx:2:once:/usr/local/share/scx-test/run-guest.sh </dev/console >/dev/console 2>&1" \
		>>"$root/etc/inittab"
	cat >"$root/usr/local/share/scx-test/openrc-mounts.sh" <<'EOF'
#!/bin/sh
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
mountpoint -q /run || mount -t tmpfs -o mode=0755 tmpfs /run
mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
hostname scx-vm
EOF
	chmod 755 "$root/usr/local/share/scx-test/openrc-mounts.sh"
	cat >"$d/etc/init.d/scx" <<'EOF'
#!/sbin/openrc-run
# sched_ext scheduler from /etc/conf.d/scx (SCX_SCHEDULER, SCX_FLAGS)

description="Start the sched_ext scheduler"
supervisor=supervise-daemon
command="/usr/bin/${SCX_SCHEDULER}"
command_args="${SCX_FLAGS}"
output_log="/var/log/${RC_SVCNAME}/${RC_SVCNAME}.log"
error_log="${output_log}"

depend() {
	need localmount
}

start_pre() {
	checkpath -q -d -m 0755 /var/log/"${RC_SVCNAME}"
}
EOF
	chmod 755 "$d/etc/init.d/scx"
	cat >"$d/etc/conf.d/scx" <<'EOF'
# The scheduler to run: scx_simple, scx_central, scx_flatcg, scx_userland
SCX_SCHEDULER=scx_simple

# Its flags
#SCX_FLAGS=''
EOF
}

# The scx_loader stand-in (tests/schedulers/scx_loader_test.c) as scx_loader ships it: the binary,
# scx_loader.service (Type=dbus), the D-Bus policy and a config, laid out as a root under
# /usr/local/share/scx-test/loader/ that the guest helper loader_install copies into place (so
# that other scenarios' guests, and their captures, have no scx_loader).
loader_files() {
	local sched=$1 root=$2/usr/local/share/scx-test/loader
	install -D -m 755 "$sched/loader/scx_loader" "$root/usr/bin/scx_loader"
	mkdir -p "$root/usr/lib/systemd/system" "$root/etc/dbus-1/system.d"
	cat >"$root/usr/lib/systemd/system/scx_loader.service" <<'EOF'
[Unit]
Description=DBUS on-demand loader of sched-ext schedulers
ConditionPathIsDirectory=/sys/kernel/sched_ext

[Service]
Type=dbus
BusName=org.scx.Loader
ExecStart=/usr/bin/scx_loader
KillSignal=SIGINT

[Install]
WantedBy=multi-user.target
EOF
	cat >"$root/etc/dbus-1/system.d/org.scx.Loader.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <policy user="root">
    <allow own="org.scx.Loader"/>
    <allow send_destination="org.scx.Loader"/>
  </policy>
  <policy context="default">
    <allow send_destination="org.scx.Loader" send_interface="org.freedesktop.DBus.Properties"/>
    <allow send_destination="org.scx.Loader" send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
</busconfig>
EOF
	printf 'default_sched = "scx_simple"\ndefault_mode = "Auto"\n' >"$root/etc/scx_loader.toml"
}

# Modules a multi-boot scenario needs (SCX_VM_MODULES: paths under lib/modules/VER without
# .ko.xz, from SCX_VM_MODULES_DIR; see fetch-modules.sh), uncompressed so that busybox insmod
# loads them, with a modules.dep for kmod (the host has no depmod). The Debian guest has a
# merged /usr (/lib is a symlink the overlay must not replace): usr/lib/modules there.
add_modules() {
	local root=$1 ver=$2 m dep dest
	dest=$root/lib/modules/$ver
	[ "$3" = busybox ] || dest=$root/usr/lib/modules/$ver
	mkdir -p "$dest"
	for m in $SCX_VM_MODULES; do
		[ -f "$SCX_VM_MODULES_DIR/$m.ko.xz" ] || die "no module $m in $SCX_VM_MODULES_DIR"
		mkdir -p "$dest/$(dirname "$m")"
		xz -dc "$SCX_VM_MODULES_DIR/$m.ko.xz" >"$dest/$m.ko"
	done
	for m in $SCX_VM_MODULES; do
		dep=$(strings "$dest/$m.ko" | sed -n 's/^depends=//p' | head -n1)
		printf '%s.ko:' "$m"
		for d in $(echo "$dep" | tr ',' ' '); do
			printf ' %s' "$(cd "$dest" && find kernel -name "$d.ko" | head -n1)"
		done
		echo
	done >"$dest/modules.dep"
}

overlay() {
	local guest=$1 out=$2 scx=$3 sched=$4 scenario=$5 kdir=$6 root share ver
	[ -x "$scx" ] || die "no scx-report executable at $scx"
	[ -x "$sched/bin/scx_fifo" ] || die "no test schedulers in $sched"
	root=$(mktemp -d)
	share=$root/usr/local/share/scx-test
	mkdir -p "$share" "$root/usr/local/bin" "$root/boot" "$root/results"
	ver=$(cat "$kdir/version")
	cp "$kdir/config" "$root/boot/config-$ver"
	install -m 755 "$HERE/run-guest.sh" "$share/run-guest.sh"
	install -m 644 "$HERE/guest-lib.sh" "$share/guest-lib.sh"
	install -m 644 "$scenario" "$share/scenario.sh"
	basename "$scenario" .sh >"$share/scenario-name"
	echo "${SCX_VM_GUEST_TIMEOUT:-100}" >"$share/guest-timeout"
	cp "$sched"/share/*.bpf.o "$share/"
	# The shipped service files of `scx-report watch` (data/), for scenarios that install them.
	cp "$HERE/../../data/scx-report-watch.service" "$HERE/../../data/scx-report-watch.openrc" "$share/"
	[ -z "${SCX_VM_MODULES:-}" ] || add_modules "$root" "$ver" "$guest"
	case $guest in
	busybox)
		cp "$sched"/bin/scx_* "$root/usr/local/bin/"
		install -D -m 755 "$sched/bin/scx_fifo_versioned" "$root/opt/scx/1.2.3/bin/scx_fifo"
		rm "$root/usr/local/bin/scx_fifo_versioned"
		copy_with_libs "$scx" "$root" /usr/bin/scx-report
		copy_dlopened "$root" libarchive.so.13
		# Host tools a scenario may need, with their libraries.
		if [ -x /usr/sbin/bpftool ]; then
			copy_with_libs /usr/sbin/bpftool "$root" /usr/sbin/bpftool
		fi
		for tool in ${SCX_VM_HOST_TOOLS:-}; do
			[ -x "$tool" ] || die "host tool $tool (from '# host-tools:') is not an executable"
			copy_with_libs "$tool" "$root" "$tool"
		done
		for tool in ${SCX_VM_UPSTREAM_SCHEDS:+"$SCX_VM_UPSTREAM_SCHEDS"/scx_*}; do
			copy_with_libs "$tool" "$root" "/usr/local/bin/$(basename "$tool")"
		done
		;;
	systemd | openrc)
		install -D -m 755 "$scx" "$root/usr/bin/scx-report"
		local list
		list=$(mktemp)
		tar -tzf "$("${guest}_rootfs_tarball")" >"$list"
		copy_missing_libs "$scx" "$root" "$list"
		for tool in ${SCX_VM_HOST_TOOLS:-}; do
			[ -x "$tool" ] || die "host tool $tool (from '# host-tools:') is not an executable"
			install -D -m 755 "$tool" "$root$tool"
			copy_missing_libs "$tool" "$root" "$list"
		done
		for tool in ${SCX_VM_UPSTREAM_SCHEDS:+"$SCX_VM_UPSTREAM_SCHEDS"/scx_*}; do
			install -D -m 755 "$tool" "$root/usr/local/bin/$(basename "$tool")"
			copy_missing_libs "$tool" "$root" "$list"
		done
		rm -f "$list"
		make_deb "$sched" "$share/scx-test-scheds.deb"
		if [ "$guest" = openrc ]; then
			openrc_files "$root"
			pack "$root" "$out"
			rm -rf "$root"
			return 0
		fi
		loader_files "$sched" "$root"
		mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
		cat >"$root/etc/systemd/system/scx-test-scenario.service" <<'EOF'
[Unit]
Description=scx-report VM test scenario
After=multi-user.target
Wants=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/share/scx-test/run-guest.sh
StandardOutput=journal+console
StandardError=journal+console
EOF
		ln -s /etc/systemd/system/scx-test-scenario.service \
			"$root/etc/systemd/system/multi-user.target.wants/scx-test-scenario.service"
		# `# disk: yes`: the persistent disk holds the journal (mounted before journald
		# leaves /run for /var/log/journal), so earlier boots survive.
		if [ "${SCX_VM_DISK:-}" = yes ]; then
			mkdir -p "$root/etc/systemd/system/local-fs.target.wants"
			cat >"$root/etc/systemd/system/scx-vm-disk.service" <<'UNIT'
[Unit]
Description=scx-report VM test disk on /var/log/journal
DefaultDependencies=no
After=systemd-udevd.service
Before=systemd-journal-flush.service local-fs.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'insmod /lib/modules/$$(uname -r)/kernel/drivers/block/virtio_blk.ko; udevadm settle; mkdir -p /var/log/journal; mount -t ext4 /dev/vda /var/log/journal'
UNIT
			ln -s /etc/systemd/system/scx-vm-disk.service \
				"$root/etc/systemd/system/local-fs.target.wants/scx-vm-disk.service"
		fi
		;;
	*) die "unknown guest type '$guest' (busybox, systemd or openrc)" ;;
	esac
	pack "$root" "$out"
	rm -rf "$root"
}

cmd=${1:-}
case $cmd in
base)
	[ $# -eq 3 ] || die "usage: mkinitramfs.sh base busybox|systemd|openrc OUT"
	case $2 in
	busybox) base_busybox "$3" ;;
	systemd) base_systemd "$3" ;;
	openrc) base_openrc "$3" ;;
	*) die "unknown guest type '$2' (busybox or systemd)" ;;
	esac
	;;
overlay)
	[ $# -eq 7 ] || die "usage: mkinitramfs.sh overlay GUEST OUT SCX_REPORT SCHED_DIR SCENARIO KERNEL_DIR"
	shift
	overlay "$@"
	;;
*) die "usage: mkinitramfs.sh base|overlay ..." ;;
esac
