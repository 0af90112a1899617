#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# issue 19's command-line attacks, each reproduced and expected to fail (docs/security.md):
#   case 1  a planted redaction map (owned by another user, a link, path or identity tokens)
#   case 3  a <script> in report.json reaching report.html; the page's Content-Security-Policy
#   case 6  terminal control bytes from diff and show --member; binary members to a terminal
#   case 7  outputs: devices, FIFOs and links are never replaced; bundles 0600 as root
#   case 8  helpers are not found through the caller's PATH
# Needs root (chown to nobody); exits 77 (skipped) otherwise.
# usage: check-security.sh SCX_REPORT SOURCE_ROOT DATA_DIR
set -u
exe=$1 src=$2 data=$3
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root"; exit 77; }
work=$(mktemp -d)
chmod 1777 "$work"
trap 'rm -rf "$work"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() { "$@" >"$work/out" 2>"$work/err"; }
in=$data/bundles/host-no-sched-ext.tar.zst

# --- case 1: the redaction map -----------------------------------------------------------
plant() {	# plant OWNER MODE JSON: OUT.redact-map.json in a sticky shared folder
	rm -rf "$work/r" && mkdir -m 1777 "$work/r"
	printf '%s' "$3" >"$work/r/out.tar.zst.redact-map.json"
	chown "$1" "$work/r/out.tar.zst.redact-map.json"
	chmod "$2" "$work/r/out.tar.zst.redact-map.json"
}
escape_map='{"schema":"scx-report-redact-map/1","words":{"dmesg":"../../../../'"${work#/}"'/planted"}}'
plant nobody 0644 "$escape_map"
run "$exe" redact "$in" "$work/r/out.tar.zst"; rc=$?
if [ $rc -ne 0 ] && [ ! -e "$work/planted.txt" ] && grep -q 'owned by uid' "$work/err"; then
	ok "case 1: a map owned by nobody is refused (exit $rc, nothing planted)"
else bad "case 1: nobody's map: exit $rc, planted: $(ls "$work"/planted* 2>/dev/null)"; fi
plant root 0600 "$escape_map"
run "$exe" redact "$in" "$work/r/out.tar.zst"; rc=$?
if [ $rc -ne 0 ] && [ ! -e "$work/planted.txt" ] && grep -q 'is not a words token' "$work/err"; then
	ok "case 1: a path as a token is refused even in root's own map (exit $rc)"
else bad "case 1: path token: exit $rc, planted: $(ls "$work"/planted* 2>/dev/null)"; fi
plant root 0600 '{"schema":"scx-report-redact-map/1","hostnames":{"vm":"vm"}}'
run "$exe" redact "$in" "$work/r/out.tar.zst"; rc=$?
[ $rc -ne 0 ] && grep -q 'not a hostnames token' "$work/err" &&
	ok "case 1: an identity mapping (redaction off) is refused" || bad "case 1: identity map: exit $rc"
plant root 0666 '{"schema":"scx-report-redact-map/1"}'
run "$exe" redact "$in" "$work/r/out.tar.zst"; rc=$?
[ $rc -ne 0 ] && grep -q 'writable by group or others' "$work/err" &&
	ok "case 1: a world-writable map is refused" || bad "case 1: 0666 map: exit $rc"
rm -rf "$work/r" && mkdir "$work/r" && echo '{}' >"$work/elsewhere.json"
ln -s "$work/elsewhere.json" "$work/r/out.tar.zst.redact-map.json"
run "$exe" redact "$in" "$work/r/out.tar.zst"; rc=$?
[ $rc -ne 0 ] && grep -q 'symbolic link' "$work/err" &&
	ok "case 1: a map that is a symbolic link is refused" || bad "case 1: symlinked map: exit $rc"
plant root 0600 '{"schema":"scx-report-redact-map/1","hostnames":{"vm":"host7"}}'
run "$exe" redact "$in" "$work/r/out.tar.zst"; rc=$?
[ $rc -eq 0 ] && [ "$(stat -c %a "$work/r/out.tar.zst.redact-map.json")" = 600 ] &&
	ok "case 1: root's own well-formed map is used and written back 0600" ||
	bad "case 1: good map: exit $rc: $(head -c 200 "$work/err")"

# --- case 6: terminal output ---------------------------------------------------------------
python3 "$src/tests/security/make-attacks.py" "$src" "$work/t" || bad "make-attacks.py"
# --- case 3: report.html -----------------------------------------------------------------
run "$exe" show --html "$work/xss.html" "$work/t/xss.tar.zst"; rc=$?
if [ $rc -eq 0 ] && ! grep -q '<script' "$work/xss.html" &&
	grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$work/xss.html"; then
	ok "case 3: latency.attach's <script> is escaped, and the page forbids scripts"
else bad "case 3: raw <script>: $(grep -c '<script' "$work/xss.html" 2>/dev/null), exit $rc"; fi

# --- case 6 ---
# Raw ESC or BEL in what a pseudo-terminal received (script(1) gives the command a tty).
raw_esc() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(d.count(b"\x1b")+d.count(b"\x07")+d.count(b"\x00"))' "$1"; }
tty_run() { script -qec "$1" "$work/tty" >/dev/null 2>&1; }
tty_run "'$exe' diff '$work/t/term-a.tar.zst' '$work/t/term-b.tar.zst'"
n=$(raw_esc "$work/tty")
[ "$n" -eq 0 ] && grep -qF '\x1b]0;pwned-title' "$work/tty" &&
	ok "case 6: diff shows the OSC/CSI bytes escaped (raw ESC/BEL: $n)" || bad "case 6: diff: raw ESC/BEL $n"
tty_run "'$exe' show --member kmsg/dmesg.txt '$work/t/term-b.tar.zst'"
n=$(raw_esc "$work/tty")
[ "$n" -eq 0 ] && grep -qF 'line one' "$work/tty" &&
	ok "case 6: show --member to a terminal escapes (raw ESC/BEL: $n)" || bad "case 6: show --member: raw $n"
tty_run "'$exe' show --member bin/blob '$work/t/term-b.tar.zst'; echo rc=\$?"
n=$(raw_esc "$work/tty")
[ "$n" -eq 0 ] && grep -q 'not text' "$work/tty" && grep -q 'rc=1' "$work/tty" &&
	ok "case 6: a binary member is refused to a terminal" || bad "case 6: binary to tty: raw $n"
tty_run "'$exe' show --force --member bin/blob '$work/t/term-b.tar.zst'"
n=$(raw_esc "$work/tty")
[ "$n" -eq 0 ] && grep -qF '\x00' "$work/tty" && ok "case 6: --force shows it escaped" ||
	bad "case 6: --force binary: raw $n"
"$exe" show --member bin/blob "$work/t/term-b.tar.zst" | cmp -s - <(printf '\177ELF\0\001\033[2J\0') &&
	ok "case 6: to a pipe the member's bytes are unchanged" || bad "case 6: pipe bytes changed"

# --- case 7: output paths -----------------------------------------------------------------
good=$data/bundles/vm-paired-slow.tar.zst
# A device node of our own (like /dev/full: c 1 7), never the system's: a vulnerable
# binary under test would replace it with a regular file.
mknod "$work/full" c 1 7
mkfifo "$work/fifo"
ln -s /dev/null "$work/link"
for t in "$work/full" "$work/fifo" "$work/link"; do
	before=$(stat -c %F "$t")
	run timeout 20 "$exe" show -f --html "$t" "$good"; rc=$?
	after=$(stat -c %F "$t")
	[ $rc -eq 1 ] && [ "$before" = "$after" ] && grep -q 'not a regular file' "$work/err" &&
		ok "case 7: show -f --html $t refused, still a $after" ||
		bad "case 7: show --html $t: exit $rc, $before -> $after"
	run timeout 20 "$exe" redact -f "$good" "$t"; rc=$?
	after=$(stat -c %F "$t")
	[ $rc -eq 1 ] && [ "$before" = "$after" ] &&
		ok "case 7: redact -f into $t refused, still a $after" ||
		bad "case 7: redact $t: exit $rc, $before -> $after"
	run timeout 20 "$exe" triage -f --html "$t" "$good"; rc=$?
	after=$(stat -c %F "$t")
	[ $rc -eq 1 ] && [ "$before" = "$after" ] && grep -q 'not a regular file' "$work/err" &&
		ok "case 7: triage -f --html $t refused, still a $after" ||
		bad "case 7: triage --html $t: exit $rc, $before -> $after"
done
echo old >"$work/fleet.html"
run "$exe" triage --html "$work/fleet.html" "$good"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$work/fleet.html")" = old ] && grep -q 'without --force' "$work/err" &&
	ok "case 7: triage --html does not replace a file without --force" ||
	bad "case 7: triage --html replaced a file without --force (exit $rc)"
run "$exe" triage --force --html "$work/fleet.html" "$good"; rc=$?
grep -q '<html' "$work/fleet.html" && [ $rc -eq 0 ] &&
	ok "case 7: triage --force --html replaces it" || bad "case 7: triage --force --html: exit $rc"
echo old >"$work/exists.html"
run "$exe" show --html "$work/exists.html" "$good"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$work/exists.html")" = old ] &&
	ok "case 7: show --html does not replace a file without --force" || bad "case 7: replaced without --force"
run "$exe" show --force --html "$work/exists.html" "$good"; rc=$?
m=$(stat -c %a "$work/exists.html")
[ $rc -eq 0 ] && [ "$m" = 600 ] && ok "case 7: show --force --html replaces it, mode $m as root" ||
	bad "case 7: --force html: exit $rc mode $m"
run "$exe" redact "$good" "$work/red.tar.zst"; rc=$?
m=$(stat -c %a "$work/red.tar.zst")
[ $rc -eq 0 ] && [ "$m" = 600 ] && ok "case 7: a bundle written as root is mode $m" ||
	bad "case 7: bundle mode $m (exit $rc)"

# --- case 8: helpers through the caller's PATH ----------------------------------------------
mkdir "$work/cwd"
for h in systemctl journalctl bpftool modinfo dpkg-query rpm uname; do
	printf '#!/bin/sh\ntouch %s/pwned-%s\n' "$work" "$h" >"$work/cwd/$h"
	chmod 755 "$work/cwd/$h"
done
(cd "$work/cwd" && PATH=":$work/cwd:/usr/bin:/bin" timeout 120 "$exe" collect --no-paired --duration 1 -f \
	-o "$work/c.tar.zst" >/dev/null 2>&1)
p=$(ls "$work"/pwned-* 2>/dev/null | wc -l)
[ "$p" -eq 0 ] && ok "case 8: no helper ran from the caller's PATH or cwd" ||
	bad "case 8: $p helper(s) ran from the caller's PATH: $(ls "$work"/pwned-* | xargs -n1 basename)"

# --- a pre-signed URL stays off the command line: attach --url-file ------------------------
printf 'https://uploads.example.com/case/42/bug.tar.zst?X-Sig=s3cr3tsig\n' >"$work/url"
chmod 600 "$work/url"
run "$exe" attach --url-file "$work/url" --dry-run "$in"; rc=$?
if [ $rc -eq 0 ] && grep -q 'uploads.example.com' "$work/out" && ! grep -q s3cr3tsig "$work/out" "$work/err"; then
	ok "--url-file: the URL read from the file, its signature never printed"
else bad "--url-file: exit $rc: $(head -c 300 "$work/out" "$work/err")"; fi
: >"$work/url-empty"
run "$exe" attach --url-file "$work/url-empty" --dry-run "$in"; rc=$?
[ $rc -eq 2 ] && grep -q 'url-file.*empty' "$work/err" && ok "--url-file: an empty file is a usage error (exit 2)" ||
	bad "--url-file: empty file: exit $rc: $(cat "$work/err")"

echo "$fails failure(s)"
[ $fails -eq 0 ]
