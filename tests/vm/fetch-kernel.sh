#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-kernel.sh: make sure a sched_ext-capable Debian kernel is in the VM cache, and print
# the directory that holds it.
#
# The kernel is Debian unstable's cloud flavour (linux-binary-<ver>-cloud-amd64): small, boots
# under TCG in seconds, and has CONFIG_SCHED_CLASS_EXT=y and BTF. It is fetched with a private
# apt configuration (own sources.list, lists, cache and status under the cache dir), so the
# machine's apt setup is never touched.
#
# Layout: ${SCX_VM_CACHE:-/var/cache/scx-report-vm}/kernel/<ver>/
#   vmlinuz   config   vmlinux (decompressed ELF, for BTF)   vmlinux.h   version
# and kernel/current -> <ver>.
#
# Once a kernel is cached it is used without asking the network again; SCX_VM_REFRESH=1 asks
# for the newest one. SCX_VM_KERNEL_VERSION=<ver> pins a version.
set -eu

CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}
KDIR=$CACHE/kernel

die() { echo "fetch-kernel: $*" >&2; exit 1; }
log() { echo "fetch-kernel: $*" >&2; }

mkdir -p "$KDIR" || die "cannot create $KDIR (set SCX_VM_CACHE to a writable directory)"

cached() {
	[ -z "${SCX_VM_REFRESH:-}" ] || return 1
	local want=${SCX_VM_KERNEL_VERSION:-}
	if [ -n "$want" ] && [ -s "$KDIR/$want/vmlinux.h" ]; then
		echo "$KDIR/$want"; return 0
	fi
	if [ -z "$want" ] && [ -L "$KDIR/current" ] && [ -s "$KDIR/current/vmlinux.h" ]; then
		readlink -f "$KDIR/current"; return 0
	fi
	return 1
}
cached && exit 0
# One fetch at a time (parallel scenarios, several build dirs); then look again.
exec 8>"$CACHE/.fetch-kernel.lock"
flock 8
cached && exit 0

for tool in apt-get apt-cache dpkg-deb zstd bpftool; do
	command -v "$tool" >/dev/null || die "$tool is missing (run tests/vm/install-deps.sh)"
done

# Private apt configuration: nothing outside $APTDIR is read or written.
# shellcheck source=tests/vm/private-apt.sh
. "$(dirname "$0")/private-apt.sh"
private_apt_setup || die "cannot create $APTDIR"

log "updating private package lists for Debian unstable"
private_apt_update || die "apt-get update against $MIRROR failed"

if [ -n "${SCX_VM_KERNEL_VERSION:-}" ]; then
	vers=$SCX_VM_KERNEL_VERSION
else
	# linux-binary-7.2.13+deb14-cloud-amd64 -> 7.2.13+deb14-cloud-amd64, newest first.
	vers=$(apt-cache "${APT_OPTS[@]}" search --names-only '^linux-binary-.*-cloud-amd64$' |
		awk '{print $1}' | grep -v -- '-unsigned-' | grep -v -- '-dbg' |
		sed -n 's/^linux-binary-\(.*\)$/\1/p' | sort -rV)
	[ -n "$vers" ] || die "no linux-binary-*-cloud-amd64 package in Debian unstable's lists"
fi

work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

for ver in $vers; do
	if [ -s "$KDIR/$ver/vmlinux.h" ]; then
		log "kernel $ver already cached"
		ln -sfn "$ver" "$KDIR/current"
		echo "$KDIR/$ver"; exit 0
	fi
	log "downloading linux-binary-$ver"
	rm -rf "${work:?}"/*
	if ! (cd "$work" && apt-get "${APT_OPTS[@]}" -q download "linux-binary-$ver" >&2); then
		log "cannot download linux-binary-$ver, trying an older one"; continue
	fi
	dpkg-deb -x "$work"/linux-binary-*.deb "$work/root"
	vmlinuz=$(find "$work/root" -name 'vmlinuz*' -type f | head -n1)
	[ -n "$vmlinuz" ] || { log "no vmlinuz in linux-binary-$ver"; continue; }
	config=$(find "$work/root" \( -name config -o -name "config-$ver" \) -type f | head -n1)
	if [ -z "$config" ]; then
		log "no config in linux-binary-$ver, fetching linux-base-$ver"
		(cd "$work" && apt-get "${APT_OPTS[@]}" -q download "linux-base-$ver" >&2) ||
			{ log "cannot download linux-base-$ver"; continue; }
		dpkg-deb -x "$work"/linux-base-*.deb "$work/root"
		config=$(find "$work/root" \( -name config -o -name "config-$ver" \) -type f | head -n1)
	fi
	[ -n "$config" ] || { log "no kernel config for $ver"; continue; }
	if ! grep -q '^CONFIG_SCHED_CLASS_EXT=y' "$config"; then
		log "$ver has no CONFIG_SCHED_CLASS_EXT=y, trying an older one"; continue
	fi
	grep -q '^CONFIG_DEBUG_INFO_BTF=y' "$config" || { log "$ver has no BTF"; continue; }

	# The vmlinuz wraps a zstd-compressed ELF: decompress from the first zstd frame magic.
	off=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$vmlinuz" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || { log "no zstd frame in $vmlinuz"; continue; }
	tail -c +"$((off + 1))" "$vmlinuz" | zstd -dq -c >"$work/vmlinux" 2>/dev/null || true
	[ "$(head -c4 "$work/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		{ log "decompressed $ver kernel is not an ELF"; continue; }
	bpftool btf dump file "$work/vmlinux" format c >"$work/vmlinux.h" ||
		{ log "bpftool cannot read BTF of $ver"; continue; }

	dest=$KDIR/$ver
	rm -rf "$dest.tmp"; mkdir -p "$dest.tmp"
	cp "$vmlinuz" "$dest.tmp/vmlinuz"
	cp "$config" "$dest.tmp/config"
	mv "$work/vmlinux" "$work/vmlinux.h" "$dest.tmp/"
	echo "$ver" >"$dest.tmp/version"
	rm -rf "$dest"; mv "$dest.tmp" "$dest"
	ln -sfn "$ver" "$KDIR/current"
	log "kernel $ver cached in $dest"
	echo "$dest"; exit 0
done
die "no usable sched_ext kernel found among: $(echo "$vers" | tr '\n' ' ')"
