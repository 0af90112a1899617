#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The include direction (README.md, "Where things are"): every #include "..."
# in lib/ bpf/ probes/ formats/ collector/ names a header by its basename and
# only of a layer its folder may use:
#   lib        lib
#   bpf        bpf, and of lib only hist-layout.h (BPF-safe: the histogram layout)
#   probes     probes, bpf, lib
#   formats    formats, lib
#   collector/ its rooms in one direction, each also probes, bpf, formats, lib:
#     verbs -> watch, upload, triage, show -> collect -> paired, qos -> change -> workloads -> judge
#     (a room includes its own headers and those of rooms to its right; rooms
#     of one rank, paired and qos, watch, upload, triage and show, not each other's);
#     judge is pure: judge and lib only.
# A header's declaration is an arrow too: a header may declare only functions
# defined in its own layer or one its folder may include (a lower room's
# header declaring a higher room's function is a link-level arrow up).
# meson compiles each layer with only its include folders (collector's rooms
# share one library: this script is what keeps their direction); this names
# the file and line of a forbidden include, also one that a folder of the
# build would happen to find.
#
# The wing that changes the system (collector/change/) is the only code that
#   - signals a process: kill, tkill, tgkill, killpg, pidfd_send_signal
#     (lib/child.c and lib/reap.c, the child-process core, end their own
#     children and only those);
#   - runs a service manager (systemctl, busctl, rc-service, initctl) other
#     than to read it (show, status, get-property, is-active, cat, list-units:
#     the probes' read-only queries);
#   - writes under /sys, /proc/sys or a cgroup: a file that names such a path
#     (sched_ext's sysfs, which has nothing writable, aside) and opens,
#     makes or removes anything for writing.
# usage: check-layers.sh SOURCE_ROOT
set -eu
src=$1
cd "$src"

files=$(find lib bpf probes formats collector -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
[ -n "$files" ] || { echo "no sources under $src: the check itself is broken"; exit 1; }

# ---- the include direction: one awk over the headers and every quoted include
inc=$({
	printf '%s\n' $files | grep '\.h$' | sed 's/^/H /'
	# shellcheck disable=SC2086
	grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files |
		sed 's/^\([^:]*\):\([0-9]*\):.*"\([^"]*\)".*/I \1 \2 \3/'
	# the functions headers declare (D) and .c files define (F), both at the
	# line's start and not static: a header's declaration is an arrow too
	# shellcheck disable=SC2086
	awk '
	FNR == 1 { pend = "" }
	/^[A-Za-z_]/ && !/^(static|typedef|extern|struct|enum|union)[[:space:]]/ &&
	    match($0, /[A-Za-z_][A-Za-z0-9_]*\(/) {
		name = substr($0, RSTART, RLENGTH - 1)
		if (FILENAME ~ /\.h$/) { print "D", FILENAME, FNR, name; next }
		pend = $0 ~ /;/ ? "" : name; pline = FNR; next
	}
	pend != "" && /^\{/ { print "F", FILENAME, pline, pend; pend = ""; next }
	pend != "" && /;/ { pend = "" }
	' $files
} | awk '
function layer(p) {
	if (p ~ /^lib\//) return "lib"
	if (p ~ /^bpf\//) return "bpf"
	if (p ~ /^probes\//) return "probes"
	if (p ~ /^formats\//) return "formats"
	if (p ~ /^collector\/[^\/]+\//) { split(p, a, "/"); return a[2] }
	return "collector"
}
BEGIN {
	# collector rooms: rank (lower includes higher, never the reverse)
	rank["verbs"] = 0; rank["watch"] = 1; rank["upload"] = 1; rank["triage"] = 1; rank["show"] = 1; rank["collect"] = 2
	rank["paired"] = 3; rank["qos"] = 3; rank["change"] = 4; rank["workloads"] = 5
	rank["judge"] = 6
	dir = "verbs -> watch, upload, triage, show -> collect -> paired, qos -> change -> workloads -> judge"
	allow["lib"] = "lib"; allow["bpf"] = "bpf, lib"; allow["probes"] = "probes, bpf, lib"
	allow["formats"] = "formats, lib"; allow["judge"] = "judge, lib"
}
function reach(from, to) {
	if (from == to) return 1
	if (from == "lib") return 0
	if (from == "bpf" || from == "formats" || from == "judge") return to == "lib"
	if (from == "probes") return to == "bpf" || to == "lib"
	if (to == "lib" || to == "bpf" || to == "probes" || to == "formats") return 1
	return (from in rank) && (to in rank) && rank[to] > rank[from]
}
$1 == "D" { decl[++nd] = $2 " " $3 " " $4; next }
$1 == "F" { def[$4] = $2; next }
$1 == "H" { n = split($2, a, "/"); name = a[n]; where[name] = where[name] (where[name] == "" ? "" : " ") $2; cnt[name]++; next }
$1 == "I" {
	f = $2; line = $3; name = $4; checked++
	from = layer(f)
	if (name ~ /\//) { printf "FAIL: %s:%s: #include \"%s\": include by basename (no folders, no ../)\n", f, line, name; fail++; next }
	if (name == "vmlinux.h" || name ~ /\.skel\.h$/) { to = "bpf"; w = "bpf (generated)" }
	else if (!(name in cnt)) { printf "FAIL: %s:%s: #include \"%s\": no such header in lib/ bpf/ probes/ formats/ collector/\n", f, line, name; fail++; next }
	else if (cnt[name] > 1) { printf "FAIL: %s:%s: #include \"%s\": two headers of that name: %s\n", f, line, name, where[name]; fail++; next }
	else { w = where[name]; to = layer(w) }
	ok = 0
	if (from == to) ok = 1
	else if (from == "bpf") { ok = (to == "lib" && name == "hist-layout.h"); if (!ok && to == "lib") { printf "FAIL: %s:%s: #include \"%s\": bpf may include only hist-layout.h of lib\n", f, line, name; fail++; next } }
	else if (from == "lib") ok = 0
	else if (from == "probes") ok = (to == "bpf" || to == "lib")
	else if (from == "formats" || from == "judge") ok = (to == "lib")
	else if (from in rank) {
		if (to == "lib" || to == "bpf" || to == "probes" || to == "formats") ok = 1
		else if (to in rank && rank[to] > rank[from]) ok = 1
		else if (to in rank) {
			printf "FAIL: %s:%s: #include \"%s\": collector/%s may not include %s (%s; collector/ goes %s)\n", f, line, name, from, w, rank[to] == rank[from] ? "a room of the same rank" : "an arrow up", dir
			fail++; next
		}
	}
	if (!ok) {
		printf "FAIL: %s:%s: #include \"%s\": %s may not include %s (%s may use %s)\n", f, line, name, from, w, from, (from in allow) ? allow[from] : "its room and the rooms to its right: " dir
		fail++
	}
}
END {
	for (i = 1; i <= nd; i++) {
		split(decl[i], d, " ")
		if (!(d[3] in def)) continue
		dchecked++
		from = layer(d[1]); to = layer(def[d[3]])
		if (reach(from, to)) continue
		printf "FAIL: %s:%s: declares %s(), defined in %s: a header of %s may not stand for %s (%s)\n", d[1], d[2], d[3], def[d[3]], from, to, (from in rank) && (to in rank) ? "an arrow up; collector/ goes " dir : "it may not include it"
		fail++
	}
	printf "%d includes and %d declarations checked, %d forbidden\n", checked, dchecked, fail; exit fail > 0
}
') && inc_rc=0 || inc_rc=1
printf '%s\n' "$inc"

# ---- the wing that changes the system
outside=$(printf '%s\n' $files | grep '\.c$' | grep -v '^collector/change/')
sig='(^|[^a-z_])(kill|tkill|tgkill|killpg|pidfd_send_signal)[[:space:]]*\(|SYS_pidfd_send_signal'
mgr='"(systemctl|busctl|rc-service|initctl)"[[:space:]]*,'
ro='"(show|status|get-property|is-active|is-enabled|cat|list-units|introspect)"'
wr='O_WRONLY|O_RDWR|O_CREAT|fopen\([^,]*,[[:space:]]*"[wa+]|(^|[^a-z_])(mkdir|rmdir|unlink|truncate|write_str|write_string_file)[[:space:]]*\('
sys='"/sys/|"/proc/sys/|cgroup\.(procs|threads|subtree_control|kill|freeze)|cpu\.(weight|max)'
wing=$(
	# shellcheck disable=SC2086
	printf '%s\n' $outside | grep -v -x -e lib/child.c -e lib/reap.c | xargs grep -nE "$sig" |
		sed 's/^\([^:]*:[0-9]*\):[[:space:]]*\(.*\)/FAIL: \1: signals a process outside collector\/change\/: \2/'
	printf '%s\n' $outside | xargs grep -nE "$mgr" | grep -vE "$ro" |
		sed 's/^\([^:]*:[0-9]*\):[[:space:]]*\(.*\)/FAIL: \1: runs a service manager outside collector\/change\/: \2/'
	for f in $outside; do
		grep -qE "$wr" "$f" || continue
		at=$(grep -nE "$sys" "$f" | grep -v '"/sys/kernel/sched_ext' | head -1 | cut -d: -f1)
		[ -n "$at" ] || continue
		echo "FAIL: $f:$at: names a path under /sys, /proc/sys or a cgroup and writes (line $(grep -nE "$wr" "$f" | head -1 | cut -d: -f1)) outside collector/change/"
	done
)
[ -z "$wing" ] || printf '%s\n' "$wing"
nwing=$(printf '%s' "$wing" | grep -c . || true)
echo "$(printf '%s\n' $outside | grep -c .) files outside collector/change/ checked for signals, service managers and writes under /sys: $nwing found"
[ "$inc_rc" -eq 0 ] && [ "$nwing" -eq 0 ]
