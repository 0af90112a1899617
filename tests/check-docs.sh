#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every long option in the code is documented in the man page, and every
# option of a verb's --help is one the code accepts (curl's tool does this).
# usage: check-docs.sh SOURCE_ROOT SCX_REPORT
set -eu
src=$1
exe=$2
man="$src/man/scx-report.1.scd"
pass=0
fail=0

# Long options: rows '{ "name", no_argument|required_argument ...' in collector/*/*.c.
opts=$(grep -ho '{ "[a-z][a-z0-9-]*", *\(no\|required\|optional\)_argument' "$src"/collector/*/*.c |
	sed 's/{ "\([^"]*\)".*/\1/' | sort -u)
[ -n "$opts" ] || { echo "no long options found in $src/collector: the check itself is broken"; exit 1; }
for o in $opts; do
	if grep -q -- "\*--$o\*" "$man"; then
		pass=$((pass + 1))
	else
		echo "FAIL: --$o is accepted by the code but missing from man/scx-report.1.scd"
		fail=$((fail + 1))
	fi
done

# Options shown by each verb's --help must exist in the code: every verb that
# --help lists, so a new verb is checked without touching this file.
verbs=$("$exe" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$verbs" ] || { echo "no verbs in 'scx-report --help': the check itself is broken"; exit 1; }
for verb in $verbs; do
	[ "$verb" != help ] || continue
	for o in $("$exe" help "$verb" | grep -o -- '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u); do
		if printf '%s\n' $opts | grep -qx -- "$o"; then
			pass=$((pass + 1))
		else
			echo "FAIL: 'scx-report help $verb' shows --$o, which the code does not accept"
			fail=$((fail + 1))
		fi
	done
done

# The verbs in --help are the verbs in the man page.
for verb in $verbs; do
	if grep -q "^\*$verb\*" "$man" || grep -q "^\*$verb\* _" "$man"; then
		pass=$((pass + 1))
	else
		echo "FAIL: verb '$verb' is missing from the VERBS section of the man page"
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
