#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build.sh OUTDIR [VMLINUX_H]: build the VM test schedulers into OUTDIR.
#
#   OUTDIR/share/{fifo,fifo_versioned,stall,slow,starve}.bpf.o   the BPF objects
#   OUTDIR/bin/scx_testsched                              the loader, taking an object path
#   OUTDIR/bin/scx_{fifo,fifo_versioned,stall,slow,starve}       the loader with the object embedded
#   OUTDIR/loader/scx_loader                              the scx_loader stand-in (scx_loader_test.c)
#
# vmlinux.h comes from the kernel that the VM boots (tests/vm/fetch-kernel.sh generates it from
# that kernel's BTF); it is never committed. Loaders are linked statically so that any guest
# (busybox or Debian) runs them.
#
# Toolchain notes (Debian 12: clang-14, libbpf 1.1.2, bpftool 7.1):
# - -fms-extensions: 7.x BTF has anonymous embedded structs which clang-14 otherwise drops,
#   silently giving wrong struct sizes.
# - the versioned scheduler is fifo.bpf.c with another ops.name, the scx form
#   <name>_<semver>_g<sha>_<target triple>, and a loader whose --version says 1.2.3-gdeadbeef.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:?usage: build.sh OUTDIR [VMLINUX_H]}
VMLINUX_H=${2:-}
CLANG=${CLANG:-clang}
CC=${CC:-cc}

die() { echo "build.sh: $*" >&2; exit 1; }

if [ -z "$VMLINUX_H" ]; then
	kdir=$("$HERE/../vm/fetch-kernel.sh") || die "cannot get the test kernel"
	VMLINUX_H=$kdir/vmlinux.h
fi
[ -s "$VMLINUX_H" ] || die "no vmlinux.h at $VMLINUX_H"
command -v "$CLANG" >/dev/null || die "$CLANG is missing (run tests/vm/install-deps.sh)"

mkdir -p "$OUT/share" "$OUT/bin" "$OUT/obj"
OUT=$(cd "$OUT" && pwd)
cp "$VMLINUX_H" "$OUT/obj/vmlinux.h"

bpf_cc() { # SRC OUT [extra clang flags]
	local src=$1 out=$2
	shift 2
	"$CLANG" -g -O2 -target bpf -D__TARGET_ARCH_x86 -fms-extensions -Wno-microsoft-anon-tag \
		-Wall -Werror -Wno-unused-function -I"$OUT/obj" -I"$HERE" "$@" -c "$src" -o "$out"
	# DWARF is not needed by libbpf (BTF is): drop it, as bpftool gen object does.
	if command -v llvm-strip >/dev/null; then llvm-strip -g "$out"; fi
}

loader_cc() { # OUTBIN VERSION [BPF_OBJECT]
	local out=$1 version=$2 obj=${3:-} stub=
	if [ -n "$obj" ]; then
		stub=$OUT/obj/$(basename "$out").embed.S
		cat >"$stub" <<EOF
	.section .rodata
	.balign 8
	.global scx_test_obj_start
scx_test_obj_start:
	.incbin "$obj"
	.global scx_test_obj_end
scx_test_obj_end:
	.section .note.GNU-stack,"",@progbits
EOF
	fi
	# shellcheck disable=SC2086 # $stub is empty or one path
	"$CC" -O2 -g -Wall -Wextra -Wno-unused-parameter -std=gnu11 -I"$HERE" \
		-DSCX_TEST_VERSION="\"$version\"" -o "$out" "$HERE/scx_testsched.c" "$HERE/stats_server.c" $stub \
		-static -lbpf -lelf -lz -lzstd
}

bpf_cc "$HERE/fifo.bpf.c" "$OUT/share/fifo.bpf.o"
bpf_cc "$HERE/fifo.bpf.c" "$OUT/share/fifo_versioned.bpf.o" \
	-DSCX_TEST_NAME='"fifo_1.2.3_gdeadbeef_x86_64_unknown_linux_gnu"'
bpf_cc "$HERE/stall.bpf.c" "$OUT/share/stall.bpf.o"
bpf_cc "$HERE/slow.bpf.c" "$OUT/share/slow.bpf.o"
bpf_cc "$HERE/starve.bpf.c" "$OUT/share/starve.bpf.o"

loader_cc "$OUT/bin/scx_testsched" 0.1.0
loader_cc "$OUT/bin/scx_fifo" 0.1.0 "$OUT/share/fifo.bpf.o"
loader_cc "$OUT/bin/scx_fifo_versioned" 1.2.3-gdeadbeef "$OUT/share/fifo_versioned.bpf.o"
loader_cc "$OUT/bin/scx_stall" 0.1.0 "$OUT/share/stall.bpf.o"
loader_cc "$OUT/bin/scx_slow" 0.1.0 "$OUT/share/slow.bpf.o"
loader_cc "$OUT/bin/scx_starve" 0.1.0 "$OUT/share/starve.bpf.o"
# The scx_loader stand-in for the systemd guest (sd-bus; dynamically linked against Debian 12's
# libsystemd0, which that guest has). Not a scheduler: it goes to OUTDIR/loader/.
mkdir -p "$OUT/loader"
pkg-config --exists libsystemd || die "libsystemd-dev is missing (run scripts/install-deps.sh --tests)"
# shellcheck disable=SC2046 # pkg-config prints flags
"$CC" -O2 -g -Wall -Wextra -std=gnu11 -o "$OUT/loader/scx_loader" "$HERE/scx_loader_test.c" \
	$(pkg-config --cflags --libs libsystemd)
echo "build.sh: test schedulers built in $OUT" >&2
