#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-qemu.sh: print the path of a qemu-system-x86_64 that runs multi-threaded TCG (MTTCG)
# guests without the cross-modifying-code race of older QEMUs (bookworm's 7.2: `Oops: int3` in
# `__schedule` when the kernel text-pokes a static branch while the other vCPU runs, i.e. on
# every sched_ext enable and disable; see tests/vm/README.md "Two real CPUs: MTTCG").
#
# - The machine's own QEMU when it is new enough (>= SCX_VM_QEMU_MIN, default 10.0: Debian 13
#   and later).
# - Otherwise Debian's backport for the machine's release (bookworm-backports has
#   qemu-system-x86 1:10.0.2+ds-2+deb13u1~bpo12+1), fetched once with a private apt
#   configuration (tests/vm/private-apt.sh; the mirror is the machine's own) into
#   ${SCX_VM_CACHE:-/var/cache/scx-report-vm}/qemu/<version>/ and run from there: its packages
#   (qemu-system-x86, -common, -data, seabios) are unpacked with dpkg-deb -x, not installed, so
#   the machine's QEMU and apt sources stay as they are. The machine's dpkg status is copied
#   into the private configuration, so apt downloads exactly the packages the machine lacks;
#   every other library the backport needs comes from the machine's release (that is what a
#   backport is built against). The printed path is a small wrapper that adds the unpacked
#   firmware directories (-L) and, if any library came along, LD_LIBRARY_PATH.
#
# SCX_VM_QEMU=PATH skips all of this and prints PATH (any QEMU you want to try).
set -eu

CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}
QDIR=$CACHE/qemu
MIN=${SCX_VM_QEMU_MIN:-10.0}

die() { echo "fetch-qemu: $*" >&2; exit 1; }
log() { echo "fetch-qemu: $*" >&2; }

if [ -n "${SCX_VM_QEMU:-}" ]; then
	echo "$SCX_VM_QEMU"; exit 0
fi

# qemu_version BINARY: "10.0.2" from "QEMU emulator version 10.0.2 (Debian ...)".
qemu_version() { "$1" --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9.]*\).*/\1/p' | head -n1; }
new_enough() { [ -n "$1" ] && [ "$(printf '%s\n%s\n' "$MIN" "$1" | sort -V | head -n1)" = "$MIN" ]; }

sys=$(command -v qemu-system-x86_64 || true)
if [ -n "$sys" ] && new_enough "$(qemu_version "$sys")"; then
	echo "$sys"; exit 0
fi

cached() { [ -x "$QDIR/current/qemu-system-x86_64" ] && readlink -f "$QDIR/current/qemu-system-x86_64"; }
mkdir -p "$QDIR" || die "cannot create $QDIR (set SCX_VM_CACHE to a writable directory)"
cached && exit 0
exec 8>"$CACHE/.fetch-qemu.lock"
flock 8
cached && exit 0

for tool in apt-get apt-cache dpkg-deb; do
	command -v "$tool" >/dev/null || die "$tool is missing (run tests/vm/install-deps.sh)"
done
# shellcheck disable=SC1091
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release: cannot name a backports suite (set SCX_VM_QEMU)"

PRIVATE_APT_DIR=$CACHE/apt-qemu PRIVATE_APT_SUITES="$codename $codename-updates $codename-backports"
# shellcheck source=tests/vm/private-apt.sh
. "$(dirname "$0")/private-apt.sh"
private_apt_setup || die "cannot set up the private apt configuration in $APTDIR"
cp /var/lib/dpkg/status "$APTDIR/status" || die "cannot copy the machine's dpkg status"
log "updating private package lists for $codename and $codename-backports"
private_apt_update || die "apt-get update against $MIRROR failed"

ver=$(apt-cache "${APT_OPTS[@]}" madison qemu-system-x86 | awk -F' *[|] *' '{ print $2 }' | sort -rV | head -n1)
upstream=${ver#*:}
upstream=${upstream%%[+~-]*}
new_enough "$upstream" || die "the newest qemu-system-x86 for $codename is '${ver:-none}', older than $MIN (set SCX_VM_QEMU to a newer one, or SCX_VM_MTTCG=no)"

work=$(mktemp -d "$QDIR/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -f "$APTDIR"/archives/*.deb
log "downloading qemu-system-x86 $ver and what this machine lacks for it"
apt-get "${APT_OPTS[@]}" -q -y --download-only --no-install-recommends \
	-t "$codename-backports" install "qemu-system-x86=$ver" >&2 ||
	die "cannot download qemu-system-x86 $ver"
for deb in "$APTDIR"/archives/*.deb; do
	dpkg-deb -x "$deb" "$work/root" || die "cannot unpack $deb"
	basename "$deb" >>"$work/packages"
done
rm -f "$APTDIR"/archives/*.deb

dest=$QDIR/${ver//[:~]/_}
libs=
[ -z "$(find "$work/root/usr/lib" -name 'lib*.so*' -print -quit 2>/dev/null)" ] ||
	libs="LD_LIBRARY_PATH=$dest/root/usr/lib/x86_64-linux-gnu:$dest/root/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} "
cat >"$work/qemu-system-x86_64" <<EOF
#!/bin/sh
# qemu-system-x86_64 $ver, unpacked by tests/vm/fetch-qemu.sh ($(tr '\n' ' ' <"$work/packages"))
${libs}exec "$dest/root/usr/bin/qemu-system-x86_64" -L "$dest/root/usr/share/qemu" -L "$dest/root/usr/share/seabios" "\$@"
EOF
chmod +x "$work/qemu-system-x86_64"
rm -rf "$dest"
mkdir -p "$dest"
mv "$work/root" "$work/packages" "$work/qemu-system-x86_64" "$dest/"
echo "$ver" >"$dest/version"
got=$(qemu_version "$dest/qemu-system-x86_64")
new_enough "$got" || { rm -rf "$dest"; die "the unpacked qemu-system-x86_64 does not run (version '${got:-none}'; libraries?)"; }
ln -sfn "$(basename "$dest")" "$QDIR/current"
log "qemu-system-x86_64 $got cached in $dest"
echo "$dest/qemu-system-x86_64"
