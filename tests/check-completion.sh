#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion offers every verb of `scx-report --help` and every option of each
# verb's `scx-report help VERB`, and nothing it offers is unknown (to --help or the man page). It is
# loaded into a real bash with bash-completion when that is installed (as on a user's
# machine), and asked like a user pressing TAB would.
# usage: check-completion.sh SOURCE_ROOT SCX_REPORT
set -eu
src=$1
exe=$2
comp=$src/completion/scx-report.bash
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

bash -n "$comp" || { echo "FAIL: $comp does not parse"; exit 1; }

# Ask the completion function for the words at COMP_WORDS ($@), as readline would.
complete_words() {
	bash -c '
		if [ -r /usr/share/bash-completion/bash_completion ]; then
			. /usr/share/bash-completion/bash_completion
		else	# the two helpers used before a verb is known, minimal stand-ins
			_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]};
				words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
		fi
		. "$0"
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_scx_report scx-report "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' "$comp" "$@"
}

verbs=$("$exe" --help | sed -n '/^Verbs:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$verbs" ] || { echo "FAIL: no verbs in 'scx-report --help': the check itself is broken"; exit 1; }
offered=$(complete_words scx-report '')
for v in $verbs; do
	if printf '%s\n' "$offered" | grep -qx -- "$v"; then ok; else bad "verb '$v' is not completed"; fi
done
for v in $offered; do
	if printf '%s\n' $verbs | grep -qx -- "$v"; then ok; else bad "completion offers verb '$v' that --help does not list"; fi
done

for v in $verbs; do
	[ "$v" = help ] && continue
	known=$("$exe" help "$v" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
	[ -n "$known" ] || { bad "'scx-report help $v' lists no option"; continue; }
	offered=$(complete_words scx-report "$v" --)
	for o in $known; do
		if printf '%s\n' "$offered" | grep -qx -- "$o"; then ok; else bad "$v: option $o is not completed"; fi
	done
	for o in $(printf '%s\n' "$offered" | grep -- '^--'); do
		[ "$o" = --help ] && { ok; continue; }
		# An option --help leaves out on purpose (--sysroot) is still documented in the man page.
		if printf '%s\n' $known | grep -qx -- "$o" || grep -q -- "\*$o\*" "$src/man/scx-report.1.scd"; then
			ok
		else
			bad "$v: completion offers $o that neither 'help $v' nor the man page shows"
		fi
	done
done

# An option's argument: --workload completes the workload names.
if [ "$(complete_words scx-report collect --workload '' | sort | tr '\n' ' ')" = "mixed pipe wakeup " ]; then
	ok
else
	bad "collect --workload does not complete wakeup, pipe, mixed"
fi
echo "check-completion: $pass checks passed, $fail failed"
[ "$fail" -eq 0 ]
