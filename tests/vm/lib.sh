# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# lib.sh: assertions for the host-side check() of a VM scenario. run-scenario.sh sources it, then
# runs check() in the scenario's results directory with:
#   RESULTS      that directory (everything the guest left in /results)
#   BUNDLE       $RESULTS/bug.tar.zst
#   SCX_REPORT   the scx-report executable under test
#   HOST_PWD     the directory run-scenario.sh was started from
# Every assertion prints "ok: ..." or "FAIL: ..." and goes on, so one run shows every failure;
# run-scenario.sh fails the scenario when any assertion failed.

ASSERT_FAILURES=0

pass() { echo "ok: $*"; }
fail() {
	echo "FAIL: $*" >&2
	ASSERT_FAILURES=$((ASSERT_FAILURES + 1))
}

# report_json: path of `scx-report show --json $BUNDLE` (computed once), or fails.
report_json() {
	local out=$RESULTS/report.json
	if [ ! -s "$out" ]; then
		if [ ! -s "$BUNDLE" ]; then
			fail "no bundle at $BUNDLE (collect.rc=$(cat "$RESULTS/collect.rc" 2>/dev/null || echo none), see $RESULTS/collect.log)"
			return 1
		fi
		if ! "$SCX_REPORT" show --json "$BUNDLE" >"$out" 2>"$RESULTS/show.err"; then
			fail "scx-report show --json $BUNDLE failed: $(head -c 500 "$RESULTS/show.err")"
			rm -f "$out"
			return 1
		fi
		jq -e . "$out" >/dev/null 2>&1 || { fail "scx-report show --json printed no valid JSON (see $out)"; return 1; }
	fi
	echo "$out"
}

# assert_json JQ_PATH EXPECTED_JSON: the report's value at JQ_PATH equals EXPECTED_JSON
# (compared as JSON: assert_json .sched_ext.state '"enabled"', assert_json .sched_ext.enable_seq 1).
assert_json() {
	local path=$1 expected=$2 json got want
	json=$(report_json) || return 0
	got=$(jq -c "$path" "$json" 2>&1) || { fail "$path: jq error: $got"; return 0; }
	want=$(jq -cn "$expected" 2>&1) || { fail "$path: expected value is not JSON: $expected"; return 0; }
	if [ "$got" = "$want" ]; then
		pass "$path == $want"
	else
		fail "$path: expected $want, got $got"
	fi
}

# assert_jq JQ_EXPR [WHAT]: the jq expression is true on the report
# (assert_jq '.history | any(.event == "enabled")' "history has an enable event").
assert_jq() {
	local expr=$1 what=${2:-$1} json got
	json=$(report_json) || return 0
	if got=$(jq -e "$expr" "$json" 2>&1); then
		pass "$what"
	else
		fail "$what: '$expr' gave ${got:-false}"
	fi
}

# assert_file_contains FILE EXTENDED_REGEX [WHAT]: FILE (relative to RESULTS) has a matching line.
assert_file_contains() {
	local file=$1 re=$2 what=${3:-"$1 matches /$2/"}
	if [ ! -e "$RESULTS/$file" ]; then
		fail "$what: no $file in the results"
	elif grep -Eq -- "$re" "$RESULTS/$file"; then
		pass "$what"
	else
		fail "$what: no line of $file matches /$re/"
	fi
}

# assert_file_equals FILE EXPECTED [WHAT]: FILE's content (trimmed) is EXPECTED, e.g. an exit code.
assert_file_equals() {
	local file=$1 expected=$2 what=${3:-"$1 is '$2'"} got
	if [ ! -e "$RESULTS/$file" ]; then
		fail "$what: no $file in the results"
		return 0
	fi
	got=$(tr -d '[:space:]' <"$RESULTS/$file")
	if [ "$got" = "$expected" ]; then
		pass "$what"
	else
		fail "$what: expected '$expected', got '$got'"
	fi
}

# assert_collect_ok: the guest's scx-report collect exited 0 and left a bundle.
assert_collect_ok() {
	assert_file_equals collect.rc 0 "scx-report collect exited 0"
	if [ -s "$BUNDLE" ]; then pass "bundle written"; else fail "no bundle at $BUNDLE"; fi
}

# assert_fifo_back SIGNAME: after signal_during_default, fifo was away during the default side
# and is running again (root/ops and a process) within 10 s of the signal.
assert_fifo_back() {
	assert_file_contains sysfs-during.txt '^disabled$' "the signal came during the default side"
	assert_file_contains sysfs-after.txt '^fifo$' "fifo is loaded again"
	assert_file_contains fifo-pid-after.txt '^[0-9]+$' "an scx_fifo process runs again"
	local t
	t=$(cat "$RESULTS/restore-tenths.txt")
	if [ "$t" -le 100 ]; then pass "fifo back $((t / 10)).$((t % 10)) s after $1 (limit 10 s under TCG)"
	else fail "fifo took $t tenths of a second to come back after $1"; fi
}
