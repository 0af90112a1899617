#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-bpf-arch.sh ARCH [BUILDDIR]: build scx-report's BPF objects and skeletons for another
# architecture, the way a distribution's build for that architecture does: a meson cross file
# whose host machine is ARCH (bpf/meson.build takes -D__TARGET_ARCH_* and the byte order from
# it), -Dbpf_only=true (no user-space dependencies of that architecture needed) and a
# vmlinux.h made from the BTF of Debian unstable's cloud kernel for ARCH.
#
# ARCH is a Debian architecture: arm64 (the one proven here), ppc64el, s390x, riscv64, amd64.
# The kernel package is fetched with a private apt configuration (as tests/vm/fetch-kernel.sh
# does) from the mirror this machine's apt uses (machine_mirror of tests/vm/private-apt.sh;
# SCX_VM_MIRROR overrides) and cached with its vmlinux.h in ${SCX_VM_CACHE:-/var/cache/scx-report-vm}/
# kernel-ARCH/VERSION/; later runs use the cache without the network.
# Prints the objects with file(1) and llvm-objdump at the end.
set -euo pipefail

ARCH=${1:?usage: build-bpf-arch.sh ARCH [BUILDDIR]}
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${2:-$SRC/build-bpf-$ARCH}
CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}
KDIR=$CACHE/kernel-$ARCH
# shellcheck source=tests/vm/private-apt.sh
set +o pipefail	# its machine_mirror reads sources files that may not exist
. "$SRC/tests/vm/private-apt.sh"	# machine_mirror; its own amd64 configuration is not used
set -o pipefail
APTDIR=$CACHE/apt-$ARCH

die() { echo "build-bpf-arch: $*" >&2; exit 1; }
log() { echo "build-bpf-arch: $*" >&2; }

# Debian architecture -> meson cpu_family, cpu, endian; clang target triple.
case $ARCH in
arm64)   family=aarch64 cpu=aarch64 endian=little triple=aarch64-linux-gnu ;;
amd64)   family=x86_64  cpu=x86_64  endian=little triple=x86_64-linux-gnu ;;
ppc64el) family=ppc64   cpu=ppc64le endian=little triple=powerpc64le-linux-gnu ;;
s390x)   family=s390x   cpu=s390x   endian=big    triple=s390x-linux-gnu ;;
riscv64) family=riscv64 cpu=riscv64 endian=little triple=riscv64-linux-gnu ;;
*) die "unknown architecture '$ARCH' (arm64, amd64, ppc64el, s390x, riscv64)" ;;
esac

work=
trap 'rm -rf "$work"' EXIT
for tool in apt-get apt-cache dpkg-deb bpftool clang ld.lld meson ninja file llvm-objdump python3; do
	command -v "$tool" >/dev/null || die "$tool is missing (run scripts/install-deps.sh --tests)"
done
mkdir -p "$KDIR" || die "cannot create $KDIR (set SCX_VM_CACHE to a writable directory)"

# The raw BTF blob inside an uncompressed kernel Image (arm64's vmlinuz holds no ELF): the
# .BTF section starts with the header magic 0xeB9F, version 1, hdr_len 24; its length is
# hdr_len + str_off + str_len. Every candidate is checked by bpftool; the largest one is
# vmlinux's (modules carry none here).
carve_btf() {	# IMAGE OUT
	python3 - "$1" "$2" <<'PY'
import struct, subprocess, sys
data = open(sys.argv[1], 'rb').read()
best = None
for end in ('<', '>'):
    magic = struct.pack(end + 'HBBI', 0xeb9f, 1, 0, 24)
    i = data.find(magic)
    while i >= 0:
        _, _, _, hl, toff, tlen, soff, slen = struct.unpack_from(end + 'HBBIIIII', data, i)
        n = hl + max(toff + tlen, soff + slen)
        if toff + tlen <= soff and n > 1 << 20 and i + n <= len(data) and (best is None or n > best[1]):
            best = (i, n)
        i = data.find(magic, i + 1)
if not best:
    sys.exit("no BTF blob found in " + sys.argv[1])
open(sys.argv[2], 'wb').write(data[best[0]:best[0] + best[1]])
PY
}

# vmlinuz -> something that holds the BTF: arm64's is a raw Image already; others wrap a
# zstd or gzip stream (possibly in an EFI zboot PE), which is unpacked.
unpack_image() {	# VMLINUZ OUT
	local z=$1 out=$2 off
	if [ "$(head -c4 "$z" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
	   [ "$(head -c60 "$z" | tail -c4)" = "$(printf 'ARM\x64')" ]; then
		cp "$z" "$out"; return
	fi
	off=$(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$z" | head -n1 | cut -d: -f1 || true)
	if [ -n "$off" ]; then
		tail -c +"$((off + 1))" "$z" | zstd -dq -c >"$out" 2>/dev/null || true
		[ -s "$out" ] && return
	fi
	off=$(LC_ALL=C grep -obUaP '\x1f\x8b\x08' "$z" | head -n1 | cut -d: -f1 || true)
	[ -n "$off" ] || { cp "$z" "$out"; return; }
	tail -c +"$((off + 1))" "$z" | gzip -dq -c >"$out" 2>/dev/null || true
}

fetch() {	# prints the cache dir holding vmlinux.h
	if [ -z "${SCX_VM_REFRESH:-}" ] && [ -s "$KDIR/current/vmlinux.h" ]; then
		readlink -f "$KDIR/current"; return
	fi
	local mirror ver vmlinuz
	mirror=${SCX_VM_MIRROR:-$(set +o pipefail; machine_mirror)}
	[ -n "$mirror" ] || die "no Debian mirror in /etc/apt/sources.list*: set SCX_VM_MIRROR"
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/etc/sources.list.d" \
		"$APTDIR/etc/preferences.d"
	echo "deb [arch=$ARCH] $mirror sid main" >"$APTDIR/etc/sources.list"
	: >"$APTDIR/status"
	APT_OPTS=(-o "Dir::State=$APTDIR" -o "Dir::State::Lists=$APTDIR/lists"
		-o "Dir::State::status=$APTDIR/status" -o "Dir::Cache=$APTDIR"
		-o "Dir::Cache::Archives=$APTDIR/archives"
		-o "Dir::Etc::SourceList=$APTDIR/etc/sources.list"
		-o "Dir::Etc::SourceParts=$APTDIR/etc/sources.list.d"
		-o "Dir::Etc::PreferencesParts=$APTDIR/etc/preferences.d"
		-o "APT::Architecture=$ARCH" -o "APT::Architectures::=$ARCH"
		-o "Acquire::Languages=none" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
	log "updating private package lists of Debian unstable ($ARCH) from $mirror"
	apt-get "${APT_OPTS[@]}" -q update >&2 || die "apt-get update against $mirror failed"
	ver=$(apt-cache "${APT_OPTS[@]}" search --names-only "^linux-binary-.*-cloud-$ARCH\$" |
		awk '{print $1}' | grep -v -e -unsigned- -e -dbg | sed -n 's/^linux-binary-//p' |
		sort -rV | head -n1)
	[ -n "$ver" ] || die "no linux-binary-*-cloud-$ARCH package in Debian unstable"
	work=$(mktemp -d "$CACHE/.bpf-arch.XXXXXX")
	log "downloading linux-binary-$ver"
	(cd "$work" && apt-get "${APT_OPTS[@]}" -q download "linux-binary-$ver" >&2)
	dpkg-deb -x "$work"/linux-binary-*.deb "$work/root"
	vmlinuz=$(find "$work/root" -name 'vmlinu[xz]*' -type f | head -n1)
	[ -n "$vmlinuz" ] || die "no kernel image in linux-binary-$ver"
	unpack_image "$vmlinuz" "$work/Image"
	if bpftool btf dump file "$work/Image" format c >"$work/vmlinux.h" 2>/dev/null; then
		:	# an ELF vmlinux with its .BTF section
	else
		carve_btf "$work/Image" "$work/btf" || die "no BTF in the $ver kernel image"
		bpftool btf dump file "$work/btf" format c >"$work/vmlinux.h" ||
			die "bpftool cannot read the BTF of $ver"
		mv "$work/btf" "$work/vmlinux.btf"
	fi
	mkdir -p "$KDIR/$ver"
	mv "$work/vmlinux.h" "$KDIR/$ver/"
	[ -e "$work/vmlinux.btf" ] && mv "$work/vmlinux.btf" "$KDIR/$ver/"
	echo "$ver" >"$KDIR/$ver/version"
	ln -sfn "$ver" "$KDIR/current"
	log "vmlinux.h of $ver cached in $KDIR/$ver"
	echo "$KDIR/$ver"
}

kdir=$(fetch)
ver=$(cat "$kdir/version")

# The cross file: host machine ARCH. The C compiler is clang for that triple, only so that
# meson has one (lld, so that it needs no binutils of ARCH); with -Dbpf_only=true nothing of user space is compiled or linked.
mkdir -p "$BUILD"
cross=$BUILD/../$(basename "$BUILD").cross
cat >"$cross" <<CROSS
[binaries]
c = ['clang', '--target=$triple']
c_ld = 'lld'
[properties]
skip_sanity_check = true
[host_machine]
system = 'linux'
cpu_family = '$family'
cpu = '$cpu'
endian = '$endian'
CROSS
if [ -f "$BUILD/build.ninja" ]; then
	meson setup --reconfigure "$BUILD" "$SRC" -Dbpf_only=true -Dvmlinux_h="$kdir/vmlinux.h" >&2
else
	meson setup "$BUILD" "$SRC" --cross-file "$cross" -Dbpf_only=true \
		-Dvmlinux_h="$kdir/vmlinux.h" >&2
fi
ninja -C "$BUILD" >&2
echo "kernel: linux-binary-$ver (Debian unstable, $ARCH)"
# What the build chose from the cross file's host machine, checked against ARCH.
case $family in
aarch64) want=arm64 ;; x86_64) want=x86 ;; ppc64) want=powerpc ;; s390x) want=s390 ;; riscv64) want=riscv ;;
esac
[ "$endian" = big ] && bpft=bpfeb || bpft=bpfel
grep -q -- "-target $bpft -D__TARGET_ARCH_$want " "$BUILD/build.ninja" ||
	die "the BPF objects were not built with -target $bpft -D__TARGET_ARCH_$want"
echo "clang -target $bpft -D__TARGET_ARCH_$want"
file "$BUILD"/bpf/*.bpf.o
for o in "$BUILD"/bpf/*.bpf.o; do
	file "$o" | grep -q 'eBPF' || die "$o is not an eBPF object"
done
llvm-objdump -h "$BUILD"/bpf/*.bpf.o | grep -E 'file format|tp_btf|\.maps|\.BTF '
