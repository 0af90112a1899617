#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `scx-report show` on hostile bundles (made by tests/hostile/make-hostile.py): each
# gives the expected exit code; a refusal is one line on stderr; no raw control byte
# (C0 but newline and tab, DEL, C1, invalid UTF-8) reaches the terminal; peak RSS
# under /usr/bin/time stays within 64 MiB.
# usage: hostile-bundles.sh SCX_REPORT SOURCE_ROOT
set -eu
exe=$1
src=$2
max_kib=65536
# ASan's shadow memory and quarantine inflate RSS several times: the 64 MiB bound is the
# product binary's, checked in the plain build; a sanitizer build checks the rest.
if ldd "$exe" 2>/dev/null | grep -q 'libasan'; then
	echo "note: $exe is built with AddressSanitizer: peak RSS is reported, not bounded"
	max_kib=
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$src/tests/hostile/make-hostile.py" "$work/b"
fail=0

# Control bytes a terminal would act on, counted in the code points of the output.
raw_controls() {
	python3 -c '
import sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
print(sum(1 for c in t if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f
          or 0xdc80 <= ord(c) <= 0xdcff))' "$1"
}

# case WANT_RC [TEXT_THAT_MUST_APPEAR]
check() {
	name=$1 want=$2 need=${3:-}
	set +e
	/usr/bin/time -f %M -o "$work/rss" "$exe" show ${SHOW_ARGS:-} "$work/b/$name.tar.zst" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	rss=$(tail -n 1 "$work/rss")
	cat "$work/out" "$work/err" >"$work/all"
	ctl=$(raw_controls "$work/all")
	lines=$(wc -l <"$work/err")
	msg="rc $rc, peak RSS $rss KiB, stderr $lines line(s), raw control bytes $ctl"
	bad=""
	[ "$rc" -eq "$want" ] || bad="$bad exit code (want $want)"
	[ -z "$max_kib" ] || [ "$rss" -le "$max_kib" ] || bad="$bad RSS over $max_kib KiB"
	[ "$ctl" -eq 0 ] || bad="$bad raw control bytes"
	[ "$want" -eq 0 ] || [ "$lines" -eq 1 ] || bad="$bad not one line"
	[ -z "$need" ] || grep -qF -- "$need" "$work/all" || bad="$bad no '$need'"
	if [ -n "$bad" ]; then
		echo "FAIL $name: $msg:$bad"
		sed 's/^/    /' "$work/err" | head -n 5 | cat -v
		fail=$((fail + 1))
	else
		echo "ok   $name${SHOW_ARGS:+ ($SHOW_ARGS)}: $msg: $(head -c 150 "$work/err" | tr '\n' ' ')"
	fi
}

check escape-text 0 '\x1b]52;c;'
check escape-name 1 '\x1b]52'
check escape-c1-name 1 '\xc2\x9b2J'
check members-20k 0
check bomb-8mib 1 'report.json'
check json-values 1 'report.json'
check manifest-values 1 'manifest.json'
check many-dirs 1 'archive entries'
check zstd-window 1 'window'
SHOW_ARGS=--json check escape-text 0 '\u001B]52;c;'
[ "$fail" -eq 0 ] || { echo "$fail hostile case(s) failed"; exit 1; }
