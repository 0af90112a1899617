#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a person meets on the command line (issue 22): the verdict in words and
# units, no false alarm of tampering, bad inputs refused before collecting,
# '-' as standard output, messages naming the right thing, watch refusing what
# could only wait, triage's FILE column, one voice for option errors, a
# did-you-mean, progress only on a terminal.  One "ok:"/"FAIL:" line each.
# usage: check-ux.sh SCX_REPORT DATA_DIR
set -u
exe=$(realpath "$1") b=$(realpath "$2")/bundles
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
chmod 755 "$work"
fails=0
expect() {	# expect RC WHAT CMD...
	local want=$1 what=$2
	shift 2
	"$@" >"$work/out" 2>"$work/err" </dev/null
	local rc=$?
	[ "$rc" -eq "$want" ] && echo "ok: $what (exit $rc)" ||
		{ echo "FAIL: $what: exit $rc, expected $want: $(head -c 300 "$work/err")"; fails=$((fails + 1)); }
}
has() {	# has FILE REGEX WHAT
	grep -qE -- "$2" "$1" && echo "ok: $3" || { echo "FAIL: $3 (no /$2/ in $1)"; fails=$((fails + 1)); }
}
hasnt() {	# hasnt FILE REGEX WHAT
	grep -qE -- "$2" "$1" && { echo "FAIL: $3 (/$2/ in $1)"; fails=$((fails + 1)); } || echo "ok: $3"
}
lines() {	# lines FILE N WHAT: FILE has exactly N lines
	local n
	n=$(wc -l <"$1")
	[ "$n" -eq "$2" ] && echo "ok: $3" || { echo "FAIL: $3 ($n lines, expected $2)"; fails=$((fails + 1)); }
}
# As another user, when we are root (collect and watch as non-root): a copy of the binary that
# user may run (the build folder may sit where only root can look, as /root/... in a chroot).
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
nexe=$exe
if [ "$(id -u)" -eq 0 ]; then
	mkdir -m 755 "$work/bin" && cp "$exe" "$work/bin/scx-report" && chmod 755 "$work/bin/scx-report" &&
		nexe=$work/bin/scx-report
fi

# 1. The verdict in words and units, in show, triage and diff.
expect 0 "show a paired bundle" "$exe" show "$b/vm-paired-slow.tar.zst"
has "$work/out" '^Measured: p99 wakeup delay 202 ms on slow vs 12\.8 ms on the default \(15\.7×, p = 0\.002\)$' \
	"1: show says the key figure in words and units"
expect 0 "triage of the fixtures" "$exe" triage "$b"
has "$work/out" 'p99 wakeup delay 15\.7× \(p = 0\.002\)' "1: triage's key figure in words"
hasnt "$work/out" 'probe_p99_ns|x15\.7|p=0' "1: triage prints no variable names or x-ratios"
expect 1 "diff of two paired runs" "$exe" diff "$b/vm-paired-fifo.tar.zst" "$b/vm-paired-slow.tar.zst"
hasnt "$work/out" '[0-9]e[+-][0-9]' "1: diff prints no exponents"

# 5. No false alarm of tampering on any shipped bundle.
for f in "$b"/*.tar.zst; do
	expect 0 "show $(basename "$f")" "$exe" show "$f"
	hasnt "$work/err" 'differs|other facts' "5: no tamper warning for $(basename "$f")"
done

# 3. Inputs that cannot be right: one line, exit 2, nothing written.
expect 2 "3: collect --pid of no process" "$exe" collect --no-paired --pid 999999999 -o "$work/p.tar.zst"
lines "$work/err" 1 "3: --pid refusal is one line"
has "$work/err" '^scx-report: collect: --pid 999999999: no such process$' "3: --pid names the problem"
[ ! -e "$work/p.tar.zst" ] && echo "ok: 3: no bundle for a bad --pid" || { echo "FAIL: 3: bundle written"; fails=$((fails + 1)); }
expect 2 "3: collect --cgroup that is not one" "$exe" collect --no-paired --cgroup /nonexistent-ux -o "$work/c.tar.zst"
has "$work/err" "^scx-report: collect: --cgroup: cgroup '/nonexistent-ux': no such cgroup" "3: --cgroup names the problem"
expect 2 "3: collect --trusted of no file" "$exe" collect --no-paired --no-latency --trusted /nonexistent-ux -o "$work/t.tar.zst"
has "$work/err" '^scx-report: collect: --trusted /nonexistent-ux: no such file$' "3: --trusted names the problem"
expect 2 "3: latency --pid of no process" "$exe" latency --pid 999999999

# 4. latency prints a runqlat-sized view by default.
"$exe" help latency >"$work/out"
has "$work/out" 'default 0:' "4: latency's default resolution is one row per power of two"

# 6. '-' is standard output for redact too.
cp "$b/vm-versioned.tar.zst" "$work/in.tar.zst"
(cd "$work" && "$exe" redact in.tar.zst - >"$work/red.tar.zst" 2>"$work/err")
echo "rc $?" >>"$work/err"
[ ! -e "$work/-" ] && [ ! -e "$work/-.sha256" ] && echo "ok: 6: redact - writes no file named '-'" ||
	{ echo "FAIL: 6: redact - wrote files named '-'"; fails=$((fails + 1)); }
expect 0 "6: the streamed redacted bundle is valid" "$exe" show "$work/red.tar.zst"

# 7. Messages that name the right thing.
expect 1 "7: show of a folder" "$exe" show "$work"
has "$work/err" "^scx-report: show: invalid bundle: $work: is a directory$" "7: show says 'is a directory'"
expect 1 "7: triage of a missing path" "$exe" triage /nonexistent-ux
lines "$work/out" 0 "7: triage of a missing path prints no table"
has "$work/err" '^scx-report: triage: /nonexistent-ux: no such file or folder$' "7: triage names the missing path"
head -c 3000 "$b/vm-versioned.tar.zst" >"$work/cut.tar.zst"
expect 1 "7: show of a truncated bundle" "$exe" show "$work/cut.tar.zst"
show_msg=$(grep -o 'zstd: .*' "$work/err")
expect 1 "7: triage of a truncated bundle" "$exe" triage "$work/cut.tar.zst"
has "$work/out" "$(printf '%s' "$show_msg" | sed 's/[][().*+?^$|\\]/\\&/g')" "7: triage and show word a truncated bundle alike"
# Without a loadable libarchive it is scx-report that cannot read, not the bundle that is bad.
mkdir "$work/nolib" && : >"$work/nolib/libarchive.so.13"
for v in show diff; do
	if [ $v = diff ]; then set -- "$b/vm-versioned.tar.zst" "$b/vm-versioned.tar.zst"; else set -- "$b/vm-versioned.tar.zst"; fi
	want=1; [ $v = diff ] && want=2	# diff's trouble, as diff(1)
	expect $want "7: $v without libarchive" env LD_LIBRARY_PATH="$work/nolib" "$exe" $v "$@"
	has "$work/err" "^scx-report: $v: cannot load libarchive\.so\.13, needed to read bundles .*install libarchive" \
		"7: $v says libarchive is missing and what to install"
	hasnt "$work/err" 'invalid bundle' "7: $v does not blame the bundle for a missing libarchive"
done
expect 1 "7: list --spool of no folder" "$exe" list --spool /nonexistent-ux
has "$work/err" '^scx-report: list: --spool /nonexistent-ux: no such folder$' "7: list says no such folder"
expect 2 "7: attach --dry-run without an API key" env -u SCX_REPORT_BUGZILLA_API_KEY "$exe" attach \
	--bugzilla https://bugzilla.example.org --bug 1 --dry-run "$b/vm-versioned.tar.zst"
has "$work/err" 'no API key' "7: attach --dry-run says the key is missing"
if [ "$(id -u)" -eq 0 ]; then
	mkdir "$work/ro" && chmod 555 "$work/ro"
	(cd "$work/ro" && as_nobody "$nexe" collect --no-paired --no-latency -o out.tar.zst) >"$work/out" 2>"$work/err"
	has "$work/err" "^scx-report: cannot write the bundle: $work/ro: permission denied$" \
		"7: an unwritable folder is named, not '.'"
	# The BPF probe cannot load for another user: one line, not a crash.
	for src in run-delay clock; do
		expect 1 "7: latency --source $src as another user" as_nobody "$nexe" latency --source $src --duration 1
		lines "$work/err" 1 "7: latency --source $src as another user: one line"
		has "$work/err" '^scx-report: latency: .*\(run as root\)$' "7: latency --source $src as another user says to run as root"
	done
fi

# 2. A partial report says so (non-root).
if [ "$(id -u)" -eq 0 ]; then
	mkdir -m 777 "$work/nr"
	as_nobody "$nexe" collect --no-paired --duration 1 -o "$work/nr/nr.tar.zst" >"$work/out" 2>"$work/err"
	has "$work/err" '^scx-report: warning: not root: .*scheduling latency.* skipped; run as root for a full report$' \
		"2: collect as non-root warns which sections are missing"
	"$exe" show "$work/nr/nr.tar.zst" >"$work/out" 2>&1
	has "$work/out" '^Partial report: not collected as root' "2: the summary says it is partial"
	has "$work/out" '^- scheduling latency: needs root \(run as root for it\)$' "2: the skipped section and its reason"
	"$exe" show --html "$work/nr.html" "$work/nr/nr.tar.zst"
	has "$work/nr.html" '<strong>Partial report:</strong>' "2: the page says it is partial"
fi

# 8. watch refuses what could only wait forever.
if [ "$(id -u)" -eq 0 ]; then
	expect 1 "8: watch as non-root" as_nobody timeout 10 "$nexe" watch --spool "$work/spool"
	has "$work/err" '^scx-report: watch: needs root' "8: watch says it needs root"
fi
if [ ! -e /sys/kernel/sched_ext ] && [ "$(id -u)" -eq 0 ]; then
	expect 1 "8: watch without sched_ext" timeout 10 "$exe" watch --spool "$work/spool"
	has "$work/err" '^scx-report: watch: this kernel has no sched_ext' "8: watch says there is no sched_ext"
fi

# 9. triage's table has a FILE column.
expect 0 "9: triage" "$exe" triage "$b"
has "$work/out" '^FILE +HOST +COLLECTED' "9: the table starts with FILE"
has "$work/out" '^vm-paired-slow\.tar\.zst +scx-vm ' "9: a row names its file"

# 10. One voice.
expect 2 "10: unknown option" "$exe" collect --bogus
has "$work/err" "^scx-report: collect: unrecognized option '--bogus'$" "10: option errors say 'scx-report: VERB:'"
expect 2 "10: missing value" "$exe" show --html
has "$work/err" "^scx-report: show: option '--html' needs a value$" "10: a missing value in the same voice"
expect 2 "10: mistyped verb" "$exe" shwo x
has "$work/err" "did you mean 'show'\\?" "10: a mistyped verb gets a suggestion"
"$exe" help qos >"$work/out"
has "$work/out" '--html FILE' "10: qos --html takes a FILE like show --html"

# 11. Progress only on a terminal: nothing on a pipe.
if [ "$(id -u)" -eq 0 ] && "$exe" latency --duration 1 >/dev/null 2>"$work/err"; then
	hasnt "$work/err" $'\r' "11: no progress line when stderr is not a terminal"
	if command -v script >/dev/null; then
		script -q -c "$exe latency --duration 2 >/dev/null" /dev/null >"$work/tty" 2>&1
		has "$work/tty" 's left' "11: on a terminal latency shows the time left"
	fi
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
