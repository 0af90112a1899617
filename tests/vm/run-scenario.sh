#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-scenario.sh SCENARIO SCX_REPORT [WORK_DIR]: boot the test kernel under QEMU with the
# scenario's guest part, bring /results back and run its host-side check().
#
# SCENARIO is tests/vm/scenarios/NAME.sh (or its NAME). It is one file that is sourced both in
# the guest (by run-guest.sh, so: POSIX sh) and on the host (by this script):
#   # guest: busybox | systemd | openrc  (header comment; default busybox)
#   # timeout: SECONDS                (header comment; QEMU run limit, default 120 / 240)
#   # kernel-ok: EXTENDED_REGEX       (optional) console lines matching it are expected trouble
#   # host-tools: /usr/bin/X ...      (optional) host programs copied into the guest, same paths
#   # parallel: yes                   (optional, read by meson.build) may share the machine
#   # boots: 2                        (optional) the guest may reboot: QEMU runs without
#                                     -no-reboot, a reset or a panic starts the next boot in the
#                                     same process (RAM, so ramoops, survives)
#   # disk: yes                       (optional) a 64 MiB ext4 virtio disk kept across the boots
#                                     (virtio_blk from the kernel's modules package)
#   # ramoops: yes                    (optional) 1 MiB reserved for ramoops (memmap=) and the
#                                     ramoops module in the guest (guest-lib.sh ramoops_load)
#   # upstream-scheds: yes            (optional) the kernel's example schedulers in the guest
#                                     (tests/schedulers/build-upstream.sh, cached per kernel)
#   # mttcg: yes                      (optional) multi-threaded TCG: each of the 2 vCPUs on its
#                                     own host thread, so parallelism is real; the guest takes
#                                     every VM slot (the whole machine) while it runs
#   guest() { ... }                   runs in the guest; /results comes back
#   check() { ... }                   runs on the host with lib.sh's assertions
#
# The scenario fails when the VM does not power off in time, the results do not come back, the
# guest part exits non-zero, the console shows BUG:, WARNING:, Oops or a panic, or an assertion
# fails. Exit 77 (meson's "skipped") only when this machine cannot run QEMU at all.
#
# Environment: SCX_VM_CACHE (kernel, Debian root; default /var/cache/scx-report-vm),
# SCX_VM_WORK (default WORK_DIR or ./vm-work), SCX_VM_KEEP=1 keeps the initramfs,
# SCX_VM_MTTCG=yes|no overrides the "# mttcg:" header (to compare the two), SCX_VM_QEMU=PATH
# picks the QEMU (default: the machine's; for MTTCG tests/vm/fetch-qemu.sh's, >= 10.0).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
export SCX_VM_CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}

die() { echo "run-scenario: $*" >&2; exit 1; }
log() { echo "run-scenario: $*" >&2; }

[ $# -ge 2 ] || die "usage: run-scenario.sh SCENARIO SCX_REPORT [WORK_DIR]"
SCENARIO=$1
case $SCENARIO in */*) ;; *) SCENARIO=$HERE/scenarios/${SCENARIO%.sh}.sh ;; esac
[ -f "$SCENARIO" ] || die "no scenario file $SCENARIO"
SCENARIO=$(cd "$(dirname "$SCENARIO")" && pwd)/$(basename "$SCENARIO")
NAME=$(basename "$SCENARIO" .sh)
SCX_REPORT=$(readlink -f "$2")
[ -x "$SCX_REPORT" ] || die "no scx-report executable at $2"
WORK=${SCX_VM_WORK:-${3:-$PWD/vm-work}}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
T0=$(date +%s)

header() { sed -n "s/^# $1: *\\(.*[^ ]\\) *$/\\1/p" "$SCENARIO" | head -n1; }
GUEST=$(header guest)
GUEST=${GUEST:-busybox}
case $GUEST in
busybox) MEM=1024; TIMEOUT=120; INIT=/init ;;
systemd) MEM=2048; TIMEOUT=240; INIT=/sbin/init ;;
openrc) MEM=2048; TIMEOUT=240; INIT=/sbin/init ;;
*) die "$NAME: unknown guest type '$GUEST' (busybox, systemd or openrc)" ;;
esac
t=$(header timeout)
TIMEOUT=${t:-$TIMEOUT}

# Can this machine run it at all? Only a missing QEMU that cannot be installed skips.
if ! command -v qemu-system-x86_64 >/dev/null; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		log "qemu-system-x86_64 is missing, installing the VM test dependencies"
		"$HERE/install-deps.sh" >&2 || true
	fi
	command -v qemu-system-x86_64 >/dev/null || {
		echo "run-scenario: SKIP: qemu-system-x86_64 is not installed and cannot be installed" >&2
		exit 77
	}
fi
for tool in jq cpio gzip base64 tar zstd clang; do
	command -v "$tool" >/dev/null || die "$tool is missing (run tests/vm/install-deps.sh)"
done

# Shared, built once per work dir: kernel (cached), schedulers, base initramfs images.
KDIR=$("$HERE/fetch-kernel.sh") || die "cannot get the test kernel"
# One lock per shared piece, so busybox scenarios do not wait for the Debian root's debootstrap.
mkdir -p "$WORK/_shared"
exec 9>"$WORK/_shared/schedulers.lock"
flock 9
SCHED=$WORK/_shared/schedulers
SRC=$HERE/../schedulers
if [ ! -e "$SCHED/.stamp" ] || [ -n "$(find "$SRC" "$KDIR/vmlinux.h" -newer "$SCHED/.stamp" | head -n1)" ]; then
	log "building the test schedulers"
	"$SRC/build.sh" "$SCHED" "$KDIR/vmlinux.h" >&2 || die "building the test schedulers failed"
	touch "$SCHED/.stamp"
fi
flock -u 9
UPSTREAM=
if [ "$(header upstream-scheds)" = yes ]; then
	UPSTREAM=$("$SRC/build-upstream.sh" "$KDIR") || die "building the kernel's example schedulers failed"
fi
BASE=$WORK/_shared/base-$GUEST.cpio.gz
exec 9>"$WORK/_shared/base-$GUEST.lock"
flock 9
if [ ! -s "$BASE" ] || [ "$HERE/mkinitramfs.sh" -nt "$BASE" ] ||
	[ -n "$(find "$SCX_VM_CACHE/rootfs" -name '*.tar.gz' -newer "$BASE" 2>/dev/null | head -n1)" ]; then
	log "building the $GUEST base initramfs"
	"$HERE/mkinitramfs.sh" base "$GUEST" "$BASE" || die "building the $GUEST base initramfs failed"
fi
flock -u 9

OUT=$WORK/$NAME
rm -rf "$OUT"
mkdir -p "$OUT/results"
# guest() gets the VM's limit less the boot (busybox ~5 s, systemd ~25 s) and the trip back.
case $GUEST in busybox) margin=15 ;; *) margin=45 ;; esac
[ "$TIMEOUT" -gt $((margin + 10)) ] || die "$NAME: timeout ${TIMEOUT}s is too short"
# Multi-boot scenarios (issue 12): reboot allowed, a disk that persists, ramoops.
QEMU_REBOOT=-no-reboot QEMU_EXTRA=() APPEND_EXTRA="" SCX_VM_MODULES=""
[ "$(header boots)" = "" ] || [ "$(header boots)" = 1 ] || QEMU_REBOOT=
if [ "$(header disk)" = yes ]; then
	SCX_VM_MODULES="kernel/drivers/block/virtio_blk"
	export SCX_VM_DISK=yes
	truncate -s 64M "$OUT/disk.img"
	mkfs.ext4 -q -F -L scx-vm "$OUT/disk.img" || die "mkfs.ext4 failed (e2fsprogs)"
	QEMU_EXTRA+=(-drive "file=$OUT/disk.img,if=virtio,format=raw")
fi
# 768 MiB: below where QEMU loads the initrd (the top of a 1 GiB guest), which would overwrite it.
if [ "$(header ramoops)" = yes ]; then
	SCX_VM_MODULES="$SCX_VM_MODULES kernel/lib/reed_solomon/reed_solomon kernel/fs/pstore/ramoops"
	APPEND_EXTRA=" memmap=1M\$0x30000000 ramoops.mem_address=0x30000000 ramoops.mem_size=0x100000 ramoops.record_size=0x20000"
fi
if [ -n "$SCX_VM_MODULES" ]; then
	SCX_VM_MODULES_DIR=$("$HERE/fetch-modules.sh" "$KDIR") || die "cannot get the kernel's modules"
	export SCX_VM_MODULES SCX_VM_MODULES_DIR
fi
SCX_VM_HOST_TOOLS=$(header host-tools) SCX_VM_UPSTREAM_SCHEDS=$UPSTREAM SCX_VM_GUEST_TIMEOUT=$((TIMEOUT - margin)) \
	"$HERE/mkinitramfs.sh" overlay "$GUEST" "$OUT/overlay.cpio.gz" "$SCX_REPORT" "$SCHED" \
	"$SCENARIO" "$KDIR" || die "building the scenario initramfs failed"
cat "$BASE" "$OUT/overlay.cpio.gz" >"$OUT/initrd.gz"
rm -f "$OUT/overlay.cpio.gz"

# TCG only (KVM is not available here). Single-threaded by default: both vCPUs share one host
# thread, a guest takes one host CPU. "# mttcg: yes": one host thread per vCPU (2), so what a
# scheduler does to parallelism shows, and the guest takes the whole machine.
# MTTCG needs QEMU >= 10.0 (bookworm's 7.2 races on cross-modifying code: the guest dies with
# "Oops: int3" when sched_ext text-pokes a static branch): fetch-qemu.sh gives the machine's own
# QEMU if new enough, else Debian's backport unpacked in the cache. Single-threaded guests keep
# the machine's QEMU (the one the whole suite is measured with). SCX_VM_QEMU=PATH sets both.
MTTCG=${SCX_VM_MTTCG:-$(header mttcg)}
QEMU=${SCX_VM_QEMU:-qemu-system-x86_64}
case $MTTCG in
yes)
	ACCEL=tcg,thread=multi
	QEMU=$("$HERE/fetch-qemu.sh") || die "$NAME: no QEMU >= 10.0 for multi-threaded TCG (SCX_VM_MTTCG=no runs it single-threaded)"
	;;
no | "") ACCEL=tcg,thread=single MTTCG=no ;;
*) die "$NAME: mttcg must be yes or no, not '$MTTCG'" ;;
esac

# At most SCX_VM_SLOTS guests at once on this machine (default 2; a TCG guest takes a whole CPU),
# whichever checkout or build directory starts them: slots are locks in the shared cache. An
# MTTCG guest takes every slot, in order (1, 2, ...: two of them cannot deadlock), and holds
# what it has while it waits for the rest, so single guests cannot starve it.
slots=${SCX_VM_SLOTS:-2}
mkdir -p "$SCX_VM_CACHE/slots"
slot_fds=()
if [ "$MTTCG" = yes ]; then
	for i in $(seq 1 "$slots"); do
		exec {fd}>"$SCX_VM_CACHE/slots/$i.lock"
		flock "$fd"
		slot_fds+=("$fd")
	done
else
	while :; do
		for i in $(seq 1 "$slots"); do
			exec {fd}>"$SCX_VM_CACHE/slots/$i.lock"
			flock -n "$fd" && { slot_fds+=("$fd"); break 2; }
			exec {fd}>&-
		done
		sleep 1
	done
fi

# QEMU's multi-threaded TCG still races on cross-modifying code (tests/vm/README.md, "Two
# real CPUs"): now and then a vCPU executes an int3 that the kernel's text poking (a static
# branch flipped as a BPF scheduler is enabled or disabled) had already replaced. The console
# then shows "Oops: int3" with the byte before RIP already restored (the Code: line has no cc
# before <..>): the patch had finished, so the trap is the emulator's, not the kernel's.
mttcg_int3_race() {
	local code prev
	code=$(tr -d '\r' <"$OUT/console.log" | grep -A6 -m1 'Oops: int3' | grep -m1 '\] Code: ') ||
		return 1
	prev=$(sed -nE 's/.* ([0-9a-f]{2}) <[0-9a-f]{2}>.*/\1/p' <<<"$code")
	[ -n "$prev" ] && [ "$prev" != cc ]
}

# no_timer_check: on a loaded host the kernel's IO-APIC timer check can miss its ticks and
# panic ("IO-APIC + timer doesn't work!", seen at load 28): a virtual machine skips it.
# An MTTCG guest without a disk that hit the emulator's int3 race boots once more (said on
# stderr and in the last line; a second one fails the scenario like any kernel problem).
T1=$(date +%s)
for boot_try in 1 2; do
	log "$NAME: booting $(cat "$KDIR/version") ($GUEST guest, ${MEM} MiB, limit ${TIMEOUT}s, $ACCEL, $("$QEMU" --version | sed -n '1s/^QEMU emulator //p'))"
	set +e
	timeout -k 5 "$TIMEOUT" "$QEMU" -accel "$ACCEL" -cpu max -m "$MEM" -smp 2 \
		-display none -vga none -monitor none $QEMU_REBOOT "${QEMU_EXTRA[@]}" \
		-serial "file:$OUT/console.log" -serial "file:$OUT/results.b64" \
		-kernel "$KDIR/vmlinuz" -initrd "$OUT/initrd.gz" \
		-append "console=ttyS0 panic=-1 no_timer_check rdinit=$INIT$APPEND_EXTRA" </dev/null >"$OUT/qemu.log" 2>&1
	QRC=$?
	set -e
	[ "$boot_try" = 1 ] && [ "$MTTCG" = yes ] && [ "$(header disk)" != yes ] && mttcg_int3_race ||
		break
	mv "$OUT/console.log" "$OUT/console-int3-race.log"
	log "$NAME: QEMU MTTCG int3 race (a finished text poke trapped on the other vCPU; console kept in console-int3-race.log): booting once more"
	MTTCG_RACE="; booted twice: QEMU MTTCG int3 race on the first boot"
done
for fd in "${slot_fds[@]}"; do exec {fd}>&-; done
T2=$(date +%s)
[ -n "${SCX_VM_KEEP:-}" ] || rm -f "$OUT/initrd.gz"

problems=()
if [ "$QRC" -eq 124 ] || [ "$QRC" -eq 137 ]; then
	problems+=("the VM did not power off within ${TIMEOUT}s (not even the guest's watchdog)")
elif [ "$QRC" -ne 0 ]; then
	problems+=("qemu exited with $QRC: $(head -c 300 "$OUT/qemu.log")")
fi

# Results: base64 of a tar.gz between markers on the second serial port.
tr -d '\r' <"$OUT/results.b64" | sed -n '/^SCX-VM-RESULTS-BEGIN$/,/^SCX-VM-RESULTS-END$/p' |
	sed '1d;$d' >"$OUT/results.txt" || true
if ! grep -q '^SCX-VM-RESULTS-END' <(tr -d '\r' <"$OUT/results.b64"); then
	problems+=("no results came back from the guest")
elif ! base64 -d <"$OUT/results.txt" | tar -C "$OUT/results" -xzf -; then
	problems+=("the results from the guest are damaged")
fi
rm -f "$OUT/results.txt"

# Kernel trouble anywhere on the console or in the guest's dmesg.
# A scenario that provokes one on purpose names it in a "# kernel-ok: REGEX" header.
KERNEL_OK=$(header kernel-ok)
bad=$(cat "$OUT/console.log" "$OUT/results/dmesg.txt" 2>/dev/null | tr -d '\r' |
	grep -E 'BUG:|WARNING:|Oops|panic' | grep -vE 'Kernel command line:|panic=' |
	grep -vE -- "${KERNEL_OK:-^\$}" | sort -u | head -n 5 || true)
[ -z "$bad" ] || problems+=("kernel problem on the console: $bad")

if [ -e "$OUT/results/guest.rc" ]; then
	grc=$(cat "$OUT/results/guest.rc")
	if [ "$grc" = 124 ]; then
		problems+=("the guest part did not finish within $((TIMEOUT - margin))s (raise '# timeout:'); its output:
$(tail -n 30 "$OUT/results/guest.log" 2>/dev/null)")
	elif [ "$grc" != 0 ]; then
		problems+=("the guest part exited with $grc; its output:
$(tail -n 30 "$OUT/results/guest.log" 2>/dev/null)")
	fi
fi

for p in "${problems[@]}"; do echo "FAIL: $NAME: $p" >&2; done
if [ ${#problems[@]} -gt 0 ]; then
	echo "--- last lines of $OUT/console.log:" >&2
	tr -d '\r' <"$OUT/console.log" | tail -n 25 >&2
fi

# Host side: the scenario's check() with the assertion helpers.
ASSERT_RC=0
if [ -e "$OUT/results/guest.rc" ]; then
	(
		export RESULTS=$OUT/results BUNDLE=$OUT/results/bug.tar.zst SCX_REPORT HOST_PWD=$PWD
		cd "$RESULTS"
		# shellcheck source=tests/vm/lib.sh
		. "$HERE/lib.sh"
		# shellcheck disable=SC1090
		. "$SCENARIO"
		if declare -F check >/dev/null; then
			check
		fi
		[ "$ASSERT_FAILURES" -eq 0 ] || { echo "FAIL: $NAME: $ASSERT_FAILURES assertion(s) failed" >&2; exit 1; }
	) || ASSERT_RC=1
fi

# Every bundle the guest wrote fits docs/report.schema.json (skipped without python3-jsonschema).
SCHEMA_RC=0
if [ -d "$OUT/results" ] && python3 -c 'import jsonschema' 2>/dev/null; then
	mapfile -t bundles < <(find "$OUT/results" -name '*.tar.zst' -size +0 | sort)
	if [ ${#bundles[@]} -gt 0 ]; then
		if python3 "$HERE/../check-schema.py" "$HERE/../.." "${bundles[@]}" >"$OUT/schema.txt" 2>&1; then
			echo "run-scenario: $NAME: ${#bundles[@]} bundle(s) fit docs/report.schema.json"
		else
			grep '^FAIL' "$OUT/schema.txt" >&2
			echo "FAIL: $NAME: a bundle does not fit docs/report.schema.json ($OUT/schema.txt)" >&2
			SCHEMA_RC=1
		fi
	fi
fi

T3=$(date +%s)
echo "run-scenario: $NAME: $((T3 - T0))s in all (VM $((T2 - T1))s${MTTCG_RACE:-}), results in $OUT/results"
if [ ${#problems[@]} -gt 0 ] || [ "$ASSERT_RC" -ne 0 ] || [ "$SCHEMA_RC" -ne 0 ]; then
	echo "run-scenario: $NAME: FAILED"
	exit 1
fi
echo "run-scenario: $NAME: passed"
