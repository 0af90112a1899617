#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh SOURCE [WORKDIR]: a newcomer's first contact, on a fresh Debian 12 machine.
#
#  1. A minbase Debian 12 (bookworm) root made by debootstrap from the mirror this machine's apt
#     uses (machine_mirror of tests/vm/private-apt.sh; SCX_VM_MIRROR overrides), cached as a tarball in ${SCX_VM_CACHE:-/var/cache/scx-report-vm}
#     /fresh/ and unpacked anew for every run, so nothing of an earlier run is left.
#  2. `git clone SOURCE` into it (the committed HEAD of that checkout: commit before running).
#  3. README.md's first set-up command, extracted from README.md and run VERBATIM as root at the
#     top of the clone: if README changes and breaks, this fails.
#  4. `scx-report > bug.tar.zst` then `scx-report show bug.tar.zst`; `scx-report collect -o - |
#     scx-report show -`; each must exit 0.
#  5. `scripts/install-deps.sh --tests` (the test packages install on a fresh machine) and the
#     unit suite in that clone.
#  6. In a second fresh root: the .deb (SCX_FRESH_DEB, else built by scripts/build-packages.sh
#     deb) installed with apt; `scx-report --version`, `man -w scx-report`, the bash completion
#     loaded by bash-completion, and `scx-report show` of the bundle from step 4.
#
# /proc, /sys (with /sys/kernel/btf for the BPF build) and /dev are bind-mounted into the roots
# and unmounted on exit, whatever happens. Needs root and the network (the mirror).
set -euo pipefail

SRC=$(cd "${1:?usage: run.sh SOURCE [WORKDIR]}" && pwd)
WORK=${2:-/tmp/scx-report-fresh}
CACHE=${SCX_VM_CACHE:-/var/cache/scx-report-vm}/fresh
SUITE=bookworm
# Bump when the base recipe below changes, so the cached tarball is rebuilt.
RECIPE=1
BASE=$CACHE/$SUITE-minbase-$RECIPE.tar

log() { echo "fresh: $*" >&2; }
die() { echo "fresh: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mounts)"
for t in debootstrap git chroot mount umount tar; do
	command -v "$t" >/dev/null || die "$t is missing (scripts/install-deps.sh --tests)"
done
start=$(date +%s)

# --- mounts, undone on exit ---------------------------------------------------------------
mounted=()
cleanup() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}" 2>/dev/null || true
	done
	mounted=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount_into() {	# ROOT: /proc, /sys, /dev of this machine into ROOT
	local r=$1
	mount -t proc proc "$r/proc"; mounted+=("$r/proc")
	mount --rbind /sys "$r/sys"; mount --make-rslave "$r/sys"; mounted+=("$r/sys")
	mount --rbind /dev "$r/dev"; mount --make-rslave "$r/dev"; mounted+=("$r/dev")
}

umount_from() {	# ROOT
	local m keep=()
	for m in "${mounted[@]}"; do
		case $m in
		"$1"/*) umount -R "$m" 2>/dev/null || umount -R -l "$m" ;;
		*) keep+=("$m") ;;
		esac
	done
	mounted=("${keep[@]}")
}

# --- 1. the cached minbase root --------------------------------------------------------------
if [ ! -s "$BASE" ]; then
	# shellcheck source=tests/vm/private-apt.sh
	set +o pipefail	# its machine_mirror reads sources files that may not exist
	. "$SRC/tests/vm/private-apt.sh"	# MIRROR: this machine's Debian mirror
	set -o pipefail
	mirror=$MIRROR
	[ -n "$mirror" ] || die "no Debian mirror in /etc/apt/sources.list*: set SCX_VM_MIRROR"
	log "debootstrap --variant=minbase $SUITE from $mirror (cached in $BASE)"
	mkdir -p "$CACHE"
	tmp=$(mktemp -d "$CACHE/.base.XXXXXX")
	debootstrap --variant=minbase "$SUITE" "$tmp/root" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$tmp/debootstrap.log" >&2; rm -rf "$tmp"; die "debootstrap failed"; }
	tar -C "$tmp/root" -cf "$tmp/base.tar" .
	mv "$tmp/base.tar" "$BASE"
	rm -rf "$tmp"
fi

fresh_root() {	# DIR: unpack the base into DIR, ready for chroot
	local r=$1
	rm -rf "$r"; mkdir -p "$r"
	tar -C "$r" -xf "$BASE"
	cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
	# No daemon starts inside (apt would start services of packages it installs).
	printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"; chmod +x "$r/usr/sbin/policy-rc.d"
	mount_into "$r"
}

in_root() {	# ROOT DIR COMMAND: run COMMAND with bash in DIR of ROOT, as root, a clean environment
	local r=$1 d=$2; shift 2
	chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
		/bin/bash -o pipefail -ec "cd '$d' && $*"
}

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
R=$WORK/root
fresh_root "$R"

# --- 2. the clone -----------------------------------------------------------------------------
git clone -q "$SRC" "$R/root/scx-report"
head=$(git -C "$R/root/scx-report" log -1 --format='%h %s')
log "cloned $SRC at $head"
[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no 2>/dev/null)" ] ||
	log "note: $SRC has uncommitted changes; the clone tests the committed HEAD"

# --- 3. README command 1, verbatim ----------------------------------------------------------
# The first indented command of README.md's "Set up on a fresh Debian" section.
cmd1=$(awk '/^## Set up on a fresh Debian/ { s = 1; next } s && /^## / { exit }
	s && /^    [^ ]/ { sub(/^    /, ""); print; exit }' "$R/root/scx-report/README.md")
[ -n "$cmd1" ] || die "README.md has no set-up command under '## Set up on a fresh Debian'"
log "README command 1: $cmd1"
t=$(date +%s)
in_root "$R" /root/scx-report "$cmd1" >"$WORK/readme-1.log" 2>&1 ||
	{ tail -n 40 "$WORK/readme-1.log" >&2; die "README command 1 failed (log: $WORK/readme-1.log)"; }
log "README command 1: exit 0 in $(($(date +%s) - t)) s"
[ -x "$R/root/scx-report/build/scx-report" ] || die "README command 1 left no build/scx-report"

# --- 4. the headline commands -------------------------------------------------------------
check() {	# NAME COMMAND: COMMAND must exit 0 in the clone
	local name=$1; shift
	if in_root "$R" /root/scx-report "$*" >"$WORK/$name.log" 2>&1; then
		log "ok: $*"
	else
		tail -n 20 "$WORK/$name.log" >&2
		die "$* (log: $WORK/$name.log)"
	fi
}
rm -f "$R/root/scx-report/bug.tar.zst"
check stdout-bundle './build/scx-report > bug.tar.zst'
[ -s "$R/root/scx-report/bug.tar.zst" ] || die "scx-report > bug.tar.zst wrote nothing"
check show './build/scx-report show bug.tar.zst'
check pipe './build/scx-report collect -o - | ./build/scx-report show -'
cp "$R/root/scx-report/bug.tar.zst" "$WORK/bug.tar.zst"

# --- 5. the test packages and the unit suite ------------------------------------------------
check install-deps-tests 'scripts/install-deps.sh --tests'
check unit 'meson setup --reconfigure build -Dtests=enabled && meson test -C build --suite unit --print-errorlogs'
grep -E '^(Ok|Fail|Skipped|Timeout): ' "$WORK/unit.log" | tr -s ' ' | tr '\n' ' ' >&2; echo >&2
umount_from "$R"

# --- 6. the .deb in another fresh root ------------------------------------------------------
deb=${SCX_FRESH_DEB:-}
if [ -z "$deb" ]; then
	log "building the .deb (scripts/build-packages.sh deb)"
	"$SRC/scripts/build-packages.sh" deb "$WORK/packages" >"$WORK/build-deb.log" 2>&1 ||
		{ tail -n 20 "$WORK/build-deb.log" >&2; die "building the .deb failed"; }
	deb=$(ls "$WORK"/packages/scx-report_*.deb | grep -v dbgsym | head -n1)
fi
[ -s "$deb" ] || die "no .deb at '$deb'"
D=$WORK/deb-root
fresh_root "$D"
cp "$deb" "$D/tmp/"
cp "$WORK/bug.tar.zst" "$D/tmp/bug.tar.zst"
debname=$(basename "$deb")
check_deb() {	# NAME COMMAND
	local name=$1; shift
	if in_root "$D" /tmp "$*" >"$WORK/$name.log" 2>&1; then
		log "ok (.deb): $*"; sed 's/^/    /' "$WORK/$name.log" | tail -n 3 >&2
	else
		tail -n 20 "$WORK/$name.log" >&2; die "(.deb) $* (log: $WORK/$name.log)"
	fi
}
# man-db and bash-completion: what an interactive Debian has and minbase lacks.
check_deb apt-install "apt-get update -q && apt-get install -y -q man-db bash-completion ./$debname"
check_deb version 'scx-report --version'
check_deb man 'man -w scx-report'
# As a user's login shell gets it (/etc/profile.d/bash_completion.sh), loaded on demand the
# way the first TAB loads it, then asked what `scx-report co<TAB>` completes to.
check_deb completion 'out=$(bash -lic '\''_completion_loader scx-report; complete -p scx-report;
	COMP_WORDS=(scx-report co); COMP_CWORD=1; COMP_LINE="scx-report co"; COMP_POINT=13;
	_scx_report scx-report co scx-report; echo "completes: ${COMPREPLY[*]}"'\'' </dev/null 2>/dev/null);
	echo "$out"; echo "$out" | grep -qx "completes: collect"'
check_deb show-installed 'scx-report show /tmp/bug.tar.zst'
umount_from "$D"
rm -rf "$R" "$D"
log "PASS in $(($(date +%s) - start)) s ($head)"
