#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-upstream.sh KERNEL_DIR: build the kernel's own example schedulers (tools/sched_ext:
# scx_simple, scx_central, scx_flatcg, scx_userland) for the VM test kernel in KERNEL_DIR (the
# directory tests/vm/fetch-kernel.sh prints), and print the directory holding the binaries.
#
# Real schedulers nobody here wrote, with their real loaders (struct_ops links, UEI exit reports
# on stderr). Recipe (docs: tests/vm/README.md, "The kernel's example schedulers"):
# - Debian's linux-source-<series> package (7.2 for kernel 7.2.13), fetched with the private apt
#   configuration of fetch-kernel.sh (tests/vm/private-apt.sh);
# - only tools/, scripts/, include/, arch/x86/include/, kernel/bpf/ and the top Makefile are
#   extracted;
# - make -C tools/sched_ext CLANG=clang-19 LLVM_SUFFIX=-19 VMLINUX_BTF=<kernel's vmlinux>: it
#   builds its own libbpf and bpftool from the same tree. clang >= 16 is needed (bookworm's
#   clang-19); CLANG= as well as LLVM_SUFFIX=, or the BPF part silently uses plain clang.
# scx_qmap is left out: clang 19 builds it, but the 7.2 verifier rejects it.
#
# Cache: $SCX_VM_CACHE/upstream-scheds/<kernel version>-r<recipe>/
#   bin/scx_{simple,central,flatcg,userland}   dynamically linked: libelf, zlib, libc
#   source-version                            the linux-source package version used
# Built once per kernel version (about two minutes on 2 cores: download, extraction, make).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
KDIR=${1:?usage: build-upstream.sh KERNEL_DIR}
export SCX_VM_CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}
# Bump when the recipe changes, so caches are rebuilt.
RECIPE=1
SCHEDS="scx_simple scx_central scx_flatcg scx_userland"
CLANG=${UPSTREAM_CLANG:-clang-19}
LLVM_SUFFIX=${UPSTREAM_LLVM_SUFFIX:--19}

die() { echo "build-upstream: $*" >&2; exit 1; }
log() { echo "build-upstream: $*" >&2; }

[ -s "$KDIR/version" ] && [ -s "$KDIR/vmlinux" ] || die "no test kernel (version, vmlinux) in $KDIR"
kver=$(cat "$KDIR/version")           # 7.2.13+deb14-cloud-amd64
upstream=${kver%%[+-]*}               # 7.2.13
series=$(echo "$upstream" | cut -d. -f1-2)
DEST=$SCX_VM_CACHE/upstream-scheds/$kver-r$RECIPE

complete() {
	local s
	for s in $SCHEDS; do [ -x "$DEST/bin/$s" ] || return 1; done
}
complete && { echo "$DEST/bin"; exit 0; }
mkdir -p "$SCX_VM_CACHE/upstream-scheds"
exec 7>"$SCX_VM_CACHE/upstream-scheds/.lock"
flock 7
complete && { echo "$DEST/bin"; exit 0; }

for tool in "$CLANG" "llvm-strip$LLVM_SUFFIX" make gcc dpkg-deb xz apt-get; do
	command -v "$tool" >/dev/null ||
		die "$tool is missing (run scripts/install-deps.sh --tests: clang-19, llvm-19, make, gcc)"
done
for h in /usr/include/libelf.h /usr/include/zlib.h; do
	[ -e "$h" ] || die "$h is missing (run scripts/install-deps.sh --tests: libelf-dev, zlib1g-dev)"
done

work=$(mktemp -d "$SCX_VM_CACHE/upstream-scheds/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

# The source package, with the kernel's own apt configuration, one apt user at a time.
# shellcheck source=tests/vm/private-apt.sh
. "$HERE/../vm/private-apt.sh"
(
	flock 8
	private_apt_setup || exit 1
	pkg=linux-source-$series
	if ! apt-cache "${APT_OPTS[@]}" show "$pkg" >/dev/null 2>&1; then
		log "updating private package lists for Debian unstable"
		private_apt_update || exit 1
	fi
	have=$(apt-cache "${APT_OPTS[@]}" show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort -rV)
	[ -n "$have" ] || { log "Debian unstable has no $pkg"; exit 1; }
	# The exact kernel version when Debian still has it, else the newest of the series.
	want=$(echo "$have" | grep -m1 "^$upstream-" || true)
	[ -n "$want" ] || { want=$(echo "$have" | head -n1); log "warning: no $pkg $upstream-*, building from $want"; }
	log "downloading $pkg $want"
	cd "$work" && apt-get "${APT_OPTS[@]}" -q download "$pkg=$want" >&2
) 8>"$SCX_VM_CACHE/.fetch-kernel.lock" || die "cannot download linux-source-$series"

deb=$(echo "$work"/linux-source-*.deb)
[ -f "$deb" ] || die "no linux-source .deb downloaded"
srcver=$(dpkg-deb -f "$deb" Version)
log "extracting tools/sched_ext and what it needs from linux-source-$series $srcver"
mkdir "$work/src"
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/src/linux-source-$series.tar.xz" | xz -dc -T2 |
	tar -C "$work/src" -xf - --strip-components=1 \
		"linux-source-$series/tools" "linux-source-$series/scripts" "linux-source-$series/include" \
		"linux-source-$series/arch/x86/include" "linux-source-$series/kernel/bpf" \
		"linux-source-$series/Makefile" || die "cannot extract linux-source-$series.tar.xz"
rm -f "$deb"

mkdir -p "$work/out"
log "building $SCHEDS with $CLANG against $kver's BTF"
# shellcheck disable=SC2086 # $SCHEDS is a list of targets
if ! make -C "$work/src/tools/sched_ext" -j"$(nproc)" CLANG="$CLANG" LLVM_SUFFIX="$LLVM_SUFFIX" \
	VMLINUX_BTF="$KDIR/vmlinux" O="$work/out" $SCHEDS >"$work/make.log" 2>&1; then
	tail -n 30 "$work/make.log" >&2
	die "make -C tools/sched_ext failed (log above)"
fi
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp/bin"
for s in $SCHEDS; do
	install -m 755 "$work/out/build/bin/$s" "$DEST.tmp/bin/$s"
done
echo "$srcver" >"$DEST.tmp/source-version"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
log "built $SCHEDS from linux-source-$series $srcver in $(($(date +%s) - t0))s, cached in $DEST"
echo "$DEST/bin"
