#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The package files agree with the build: one version (meson.build, debian/changelog,
# rpm/scx-report.spec); debian/control's Build-Depends are scripts/install-deps.sh's build
# list (plus cmocka for the tests); the spec BuildRequires every pkg-config dependency of
# the meson files.
# usage: check-packaging.sh SOURCE_ROOT
set -eu
src=$1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

v=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -n1)
dv=$(sed -n '1s/^scx-report (\([^)-]*\)\(-[^)]*\)\{0,1\}).*/\1/p' "$src/debian/changelog")
rv=$(sed -n 's/^Version: *//p' "$src/rpm/scx-report.spec")
[ -n "$v" ] || bad "no version in meson.build"
[ "$dv" = "$v" ] && ok || bad "debian/changelog says '$dv', meson.build '$v'"
[ "$rv" = "$v" ] && ok || bad "rpm/scx-report.spec says '$rv', meson.build '$v'"

# Build-Depends: the names, without versions, arch qualifiers and build profiles.
bd=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$src/debian/control" | sed '$d' |
	sed 's/^Build-Depends://' | tr ',' '\n' | sed 's/[(<\[].*//; s/^ *//; s/ *$//' | grep . | sort -u)
build=$(sed -n '/^build="/,/"$/p' "$src/scripts/install-deps.sh" | tr -d '"' | sed 's/^build=//' |
	tr ' \t' '\n\n' | grep . | sort -u)
[ -n "$build" ] || bad "no build list in scripts/install-deps.sh: the check itself is broken"
for p in $build; do
	printf '%s\n' "$bd" | grep -qx -- "$p" && ok || bad "install-deps.sh builds with $p, debian/control lacks it"
done
for p in $bd; do
	case $p in debhelper-compat | libcmocka-dev) ok; continue ;; esac
	printf '%s\n' "$build" | grep -qx -- "$p" && ok || bad "debian/control needs $p, install-deps.sh lacks it"
done
grep -q 'libcmocka-dev' "$src/scripts/install-deps.sh" && ok || bad "install-deps.sh --tests lacks libcmocka-dev"

# Every dependency('NAME') of the meson files is a pkgconfig(NAME) BuildRequires.
deps=$(grep -rhoE "dependency\('[a-z0-9.+-]+'" --include=meson.build "$src" | sed "s/dependency('//; s/'//" | sort -u)
[ -n "$deps" ] || bad "no dependency() in the meson files: the check itself is broken"
for d in $deps; do
	grep -q "^BuildRequires: *pkgconfig($d)" "$src/rpm/scx-report.spec" && ok ||
		bad "rpm/scx-report.spec lacks BuildRequires: pkgconfig($d)"
done
echo "check-packaging: $pass checks passed, $fail failed"
[ "$fail" -eq 0 ]
