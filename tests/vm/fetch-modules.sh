#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-modules.sh KDIR: make sure the cloud kernel's modules package
# (linux-modules-<ver>-cloud-amd64, separate from linux-binary-<ver>) is unpacked beside the
# kernel in KDIR/modules/lib/modules/<ver>/, and print that directory. Multi-boot scenarios
# need virtio_blk (a disk that persists between boots) and pstore_ram (ramoops), which the
# cloud kernel builds as modules.
#
# Same private apt configuration as fetch-kernel.sh (private-apt.sh) (nothing outside the cache is touched).
set -eu

KDIR_VER=${1:?usage: fetch-modules.sh KERNEL_DIR}
CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}
APTDIR=$CACHE/apt
ver=$(cat "$KDIR_VER/version")
dest=$KDIR_VER/modules

die() { echo "fetch-modules: $*" >&2; exit 1; }
log() { echo "fetch-modules: $*" >&2; }

have() { [ -d "$dest/lib/modules/$ver/kernel" ]; }
have && { echo "$dest/lib/modules/$ver"; exit 0; }
exec 8>"$CACHE/.fetch-kernel.lock"
flock 8
have && { echo "$dest/lib/modules/$ver"; exit 0; }
[ -f "$APTDIR/etc/sources.list" ] || die "no private apt config in $APTDIR (run fetch-kernel.sh first)"
# shellcheck source=tests/vm/private-apt.sh
. "$(dirname "$0")/private-apt.sh"
private_apt_setup || die "cannot set up the private apt configuration in $APTDIR"
work=$(mktemp -d "$CACHE/.fetch-modules.XXXXXX")
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get "${APT_OPTS[@]}" -q download "linux-modules-$ver" >&2); then
	log "linux-modules-$ver not in the cached lists, updating them"
	apt-get "${APT_OPTS[@]}" -q update >&2 || die "apt-get update failed"
	(cd "$work" && apt-get "${APT_OPTS[@]}" -q download "linux-modules-$ver" >&2) ||
		die "cannot download linux-modules-$ver"
fi
dpkg-deb -x "$work"/linux-modules-*.deb "$work/root"
mdir=$(find "$work/root" -type d -path "*/lib/modules/$ver" | head -n1)
[ -n "$mdir" ] || die "no lib/modules/$ver in linux-modules-$ver"
# No depmod on the host: modules.dep is written by whoever needs these modules.
rm -rf "$dest.tmp"; mkdir -p "$dest.tmp/lib/modules"
mv "$mdir" "$dest.tmp/lib/modules/$ver"
rm -rf "$dest"; mv "$dest.tmp" "$dest"
log "modules of $ver in $dest"
echo "$dest/lib/modules/$ver"
