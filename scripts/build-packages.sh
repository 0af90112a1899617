#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-packages.sh deb|rpm [OUTDIR]: build the Debian or the RPM package from this checkout's
# files (committed or not, untracked ones included unless ignored) in a scratch copy, as a
# distribution's build daemon would, then check it:
#   deb: `dpkg-buildpackage -us -uc -b` (debian/), lintian must report 0 errors (its warnings
#        and infos are printed); the .deb must hold the binary, the man page, the completion.
#   rpm: `rpmbuild -bb --nodeps` (rpm/scx-report.spec; --nodeps because the BuildRequires name
#        Fedora packages, not Debian's); `rpm -qlp` must list the same three.
# Both run the unit suite in their check step. The packages are left in OUTDIR (default
# build-packages/ at the top of the checkout).
set -eu
kind=${1:?usage: build-packages.sh deb|rpm [OUTDIR]}
src=$(cd "$(dirname "$0")/.." && pwd)
out=${2:-$src/build-packages}
version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -n1)
[ -n "$version" ] || { echo "build-packages: no version in meson.build" >&2; exit 1; }

die() { echo "build-packages: $*" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/scx-report-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The checkout's files, as a source tarball would hold them: symbolic links as links (fixture
# trees hold /proc/PID/exe links, dangling here) with their targets untouched (flag S).
tarball=$work/scx-report-$version.tar.gz
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do { [ -e "$f" ] || [ -L "$f" ]; } && printf "%s\0" "$f"; done' _ |
	tar --null -T - --transform "s|^|scx-report-$version/|S" -czf "$tarball")

# What each package must hold (basic regular expressions; rpm compresses man pages only where
# the distribution's brp-compress runs).
want='/usr/bin/scx-report
/usr/share/man/man1/scx-report\.1\(\.gz\)\{0,1\}
/usr/share/bash-completion/completions/scx-report'


case $kind in
deb)
	for t in dpkg-buildpackage dh lintian; do
		command -v "$t" >/dev/null || die "$t is missing (scripts/install-deps.sh --tests)"
	done
	tar -xzf "$tarball" -C "$work"
	(cd "$work/scx-report-$version" && dpkg-buildpackage -us -uc -b) >"$out/dpkg-buildpackage.log" 2>&1 ||
		{ tail -n 30 "$out/dpkg-buildpackage.log" >&2; die "dpkg-buildpackage failed (log: $out/dpkg-buildpackage.log)"; }
	deb=$(ls "$work"/scx-report_"$version"*_*.deb)
	cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out/"
	lintian --pedantic --info "$work"/scx-report_"$version"*.changes >"$out/lintian.txt" 2>&1 || true
	cat "$out/lintian.txt"
	e=$(grep -c '^E: ' "$out/lintian.txt" || true)
	w=$(grep -c '^W: ' "$out/lintian.txt" || true)
	echo "lintian: $e errors, $w warnings"
	[ "$e" -eq 0 ] || die "lintian reports errors"
	grep -q '^Ok: *[1-9]' "$out/dpkg-buildpackage.log" ||
		die "dh_auto_test ran no unit test (log: $out/dpkg-buildpackage.log)"
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\.||')
	echo "deb: $out/$(basename "$deb")"
	;;
rpm)
	command -v rpmbuild >/dev/null || die "rpmbuild is missing (scripts/install-deps.sh --tests)"
	mkdir -p "$work/rpm/SOURCES"
	cp "$tarball" "$work/rpm/SOURCES/"
	rpmbuild -bb --nodeps --define "_topdir $work/rpm" "$src/rpm/scx-report.spec" \
		>"$out/rpmbuild.log" 2>&1 ||
		{ tail -n 30 "$out/rpmbuild.log" >&2; die "rpmbuild failed (log: $out/rpmbuild.log)"; }
	rpm=$(find "$work/rpm/RPMS" -name "scx-report-$version-*.rpm" | head -n1)
	[ -n "$rpm" ] || die "rpmbuild made no scx-report rpm"
	cp "$rpm" "$out/"
	grep -q '^Ok: *[1-9]' "$out/rpmbuild.log" || die "%check ran no unit test (log: $out/rpmbuild.log)"
	list=$(rpm -qlp "$rpm")
	printf '%s\n' "$list"
	echo "rpm: $out/$(basename "$rpm")"
	;;
*) die "unknown kind '$kind' (deb or rpm)" ;;
esac

for f in $want; do
	printf '%s\n' "$list" | grep -qx -- "$f" || die "$kind package lacks $f"
done
echo "build-packages: the $kind holds the binary, the man page and the bash completion"
