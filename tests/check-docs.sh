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

# Every exit code the code defines (SCX_EXIT_* in lib/exit-codes.h) is explained by the
# top-level --help (a line "  N  ...") and by the man page's EXIT STATUS (*N*).
codes=$(sed -n 's/^[[:space:]]*SCX_EXIT_[A-Z_]* = \([0-9][0-9]*\),.*/\1/p' "$src"/lib/exit-codes.h)
[ -n "$codes" ] || { echo "no SCX_EXIT_* codes in lib/exit-codes.h: the check itself is broken"; exit 1; }
for n in $codes; do
	if "$exe" --help | grep -q "^  $n  "; then
		pass=$((pass + 1))
	else
		echo "FAIL: exit code $n is not explained by 'scx-report --help'"
		fail=$((fail + 1))
	fi
	if sed -n '/^# EXIT STATUS/,/^# /p' "$man" | grep -q "^\*$n\*"; then
		pass=$((pass + 1))
	else
		echo "FAIL: exit code $n is missing from EXIT STATUS in the man page"
		fail=$((fail + 1))
	fi
done
# diff's own meanings (diff(1) style) are in --help too.
if "$exe" --help | grep -q "^diff follows diff(1)"; then
	pass=$((pass + 1))
else
	echo "FAIL: 'scx-report --help' does not say what diff's exit codes mean"
	fail=$((fail + 1))
fi

# scdoc markup that leaks into the page: an underscore inside a word (host_N_,
# \x__NN__) is not emphasis, so the reader sees the underscores.  Checked on
# the page as man(1) shows it (built beside the binary), when man is there.
page="$(dirname "$exe")/man/scx-report.1"
if [ -f "$page" ] && command -v man >/dev/null 2>&1; then
	leaks=$(MANWIDTH=100 man -l "$page" 2>/dev/null | grep -n '[^ ]_[A-Z][A-Z]*_\($\|[^A-Za-z0-9*]\)\|__[A-Z]' || true)
	if [ -z "$leaks" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: scdoc markup shows in the man page as man(1) renders it:"
		echo "$leaks"
		fail=$((fail + 1))
	fi
fi

# EXAMPLES: each example command is its own paragraph (a blank line between them).
ex=$(sed -n '/^# EXAMPLES/,/^# /p' "$man")
if printf '%s\n' "$ex" | awk 'prev ~ /^\t/ && $0 !~ /^\t/ && $0 != "" { bad = 1 } { prev = $0 } END { exit bad }'; then
	pass=$((pass + 1))
else
	echo "FAIL: EXAMPLES in the man page: an example runs into the next paragraph (no blank line)"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
