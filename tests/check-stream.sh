#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bundle on standard output, as a bug template says it: `scx-report > bug.tar.zst`,
# `collect -o - | show -`, a terminal refused, and a stream that was cut or interrupted ends
# in something `show` refuses, with a non-zero exit.
# usage: check-stream.sh SCX_REPORT TEST_DATA
set -u
exe=$1
tree=$2/host-debian12
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
snap=(--sysroot "$tree" --no-latency --no-paired)

# 1. No verb, stdout a file: a bundle there, messages on stderr only.
"$exe" "${snap[@]}" >bug.tar.zst 2>err.txt
rc=$?
[ $rc -eq 0 ] && ok || bad "scx-report > bug.tar.zst exited $rc: $(tail -n1 err.txt)"
"$exe" show bug.tar.zst >show.txt 2>&1 && ok || bad "show bug.tar.zst: $(tail -n1 show.txt)"
grep -q '^Verdict: ' show.txt && ok || bad "show printed no verdict"
grep -q 'sha256 [0-9a-f]\{64\}' err.txt && ok || bad "no sha256 on stderr"
ls ./*.sha256 ./scx-report-* >/dev/null 2>&1 && bad "a default-named file or sidecar was written" || ok
[ "$(sha256sum <bug.tar.zst | cut -d' ' -f1)" = "$(grep -o 'sha256 [0-9a-f]*' err.txt | cut -d' ' -f2)" ] &&
	ok || bad "the sha256 on stderr is not the stream's"

# 2. collect -o - | show -
"$exe" collect -o - "${snap[@]}" 2>/dev/null | "$exe" show - >pipe.txt 2>&1
st=("${PIPESTATUS[@]}")
[ "${st[0]}" -eq 0 ] && [ "${st[1]}" -eq 0 ] && ok || bad "collect -o - | show - exited ${st[*]}"
grep -q '^Verdict: ' pipe.txt && ok || bad "show - printed no verdict"

# 3. A terminal on stdout: one refusal line, exit 2, nothing collected (script gives a pty).
for cmd in "" "collect -o -"; do
	script -qec "$exe $cmd" /dev/null >tty.txt 2>&1 </dev/null
	rc=$?
	[ $rc -eq 2 ] && ok || bad "'scx-report $cmd' on a terminal exited $rc, not 2"
	n=$(tr -d '\r' <tty.txt | grep -c .)
	[ "$n" -eq 1 ] && grep -q 'refusing to write a bundle to a terminal.*-o FILE' tty.txt && ok ||
		bad "'scx-report $cmd' on a terminal printed $n lines: $(head -c 300 tty.txt)"
done

# 4. A stream cut short: the writer says so (non-zero), show refuses each piece with one line.
size=$(stat -c %s bug.tar.zst)
for n in 1 100 512 10000 $((size / 2)) $((size - 1)); do
	head -c "$n" bug.tar.zst >part
	"$exe" show part >out.txt 2>&1
	rc=$?
	lines=$(grep -c . out.txt)
	[ $rc -eq 1 ] && [ "$lines" -eq 1 ] && ok || bad "show of the first $n bytes: exit $rc, $lines lines"
done
# A reader that goes away before the bundle is written (a pipe buffer would hold a whole small
# bundle, so `true`, gone long before the collection ends, is the reader that is sure to leave).
"$exe" collect -o - "${snap[@]}" 2>err.txt | true
st=("${PIPESTATUS[@]}")
[ "${st[0]}" -eq 1 ] && ok || bad "collect into a pipe whose reader left exited ${st[0]}, not 1"
grep -q 'Broken pipe.*incomplete' err.txt && [ "$(grep -c . err.txt)" -le 3 ] && ok ||
	bad "no one-line 'incomplete' message when the reader went away: $(cat err.txt)"

# 5. Interrupted while collecting (root with BPF: the latency probe samples for 5 s): nothing on
# stdout, a non-zero exit, and show refuses the empty stream.
if [ "$(id -u)" -eq 0 ] && [ -e /sys/kernel/btf/vmlinux ]; then
	"$exe" collect -o - --no-paired --duration 5 >int.tar.zst 2>err.txt &
	pid=$!
	sleep 1.5
	kill -TERM $pid
	wait $pid
	rc=$?
	[ $rc -ne 0 ] && ok || bad "an interrupted stream collection exited 0"
	[ ! -s int.tar.zst ] && ok || bad "an interrupted stream collection wrote $(stat -c %s int.tar.zst) bytes"
	"$exe" show int.tar.zst >/dev/null 2>&1 && bad "show accepted an interrupted stream" || ok
else
	echo "SKIP: interrupted collection (needs root and BTF)"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
