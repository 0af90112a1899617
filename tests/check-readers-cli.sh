#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The reader verbs' exit codes and outputs on real bundles: diff (0 same, 1 changed, 2 trouble),
# show --list / --member / --html, triage over a folder with a damaged bundle in it.
# usage: check-readers-cli.sh SCX_REPORT DATA_DIR
set -u
exe=$1 b=$2/bundles
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
expect() {	# expect RC WHAT CMD...
	local want=$1 what=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err"
	local rc=$?
	[ "$rc" -eq "$want" ] && echo "ok: $what (exit $rc)" ||
		{ echo "FAIL: $what: exit $rc, expected $want: $(head -c 300 "$work/err")"; fails=$((fails + 1)); }
}
has() {	# has FILE REGEX WHAT
	grep -qE -- "$2" "$1" && echo "ok: $3" || { echo "FAIL: $3 (no /$2/ in $1)"; fails=$((fails + 1)); }
}

expect 0 "diff of a bundle with itself" "$exe" diff "$b/vm-paired-fifo.tar.zst" "$b/vm-paired-fifo.tar.zst"
has "$work/out" '^No changes\.$' "diff of itself says No changes"
expect 1 "diff of two versions" "$exe" diff "$b/vm-fifo-manual.tar.zst" "$b/vm-versioned.tar.zst"
has "$work/out" '^scheduler\.version: \(none\) -> 1\.2\.3$' "diff names the version change"
expect 1 "diff --json of two schedulers" "$exe" diff --json "$b/vm-paired-fifo-mixed.tar.zst" "$b/vm-paired-slow.tar.zst"
has "$work/out" '"key": "paired\.probe_p50_ns\.ratio"' "diff --json counts the paired p50 change"
head -c 10000 "$b/vm-paired-fifo.tar.zst" >"$work/cut.tar.zst"
expect 2 "diff with a truncated bundle" "$exe" diff "$b/vm-paired-fifo.tar.zst" "$work/cut.tar.zst"
expect 2 "diff with one argument" "$exe" diff "$b/vm-paired-fifo.tar.zst"

expect 0 "show --list of a good bundle" "$exe" show --list "$b/vm-paired-slow.tar.zst"
has "$work/out" '^ok +[0-9]+  report\.json$' "show --list lists report.json ok"
expect 0 "show --member" "$exe" show --member kmsg/sched_ext.txt "$b/vm-paired-slow.tar.zst"
has "$work/out" 'sched_ext: BPF scheduler "slow" enabled' "show --member prints the member"
expect 1 "show --member of a missing member" "$exe" show --member no/such "$b/vm-paired-slow.tar.zst"
expect 2 "show --list with --json" "$exe" show --list --json "$b/vm-paired-slow.tar.zst"
expect 0 "show --html" "$exe" show --html "$work/r.html" "$b/vm-paired-slow.tar.zst"
has "$work/r.html" '<section class="verdict v-custom-scheduler-regression"' "report.html has the banner"

mkdir -p "$work/fleet/a" "$work/fleet/b"
cp "$b/vm-paired-fifo.tar.zst" "$b/vm-paired-slow.tar.zst" "$work/fleet/a/"
cp "$b/vm-versioned.tar.zst" "$work/fleet/b/"
cp "$work/cut.tar.zst" "$work/fleet/b/"
expect 1 "triage of a folder with a truncated bundle" "$exe" triage "$work/fleet"
has "$work/out" '^3 bundle\(s\) read, 1 refused\.$' "triage reads 3 and refuses 1"
has "$work/out" '^REFUSED .*cut\.tar\.zst: ' "triage names the refused bundle"
has "$work/out" '^ +1  slow - +custom-scheduler-regression$' "triage counts slow's regression"
rm "$work/fleet/b/cut.tar.zst"
expect 0 "triage of good bundles, --json and --html" "$exe" triage --json --html "$work/t.html" "$work/fleet"
has "$work/t.html" '<table class="data" id="bundles">' "triage.html written"
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
