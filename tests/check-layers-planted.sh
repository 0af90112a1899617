#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-layers.sh tried on itself: on a copy of the sources it must pass, and
# fail, naming the file and line, on each planted fault:
#   includes against collector/'s direction (an arrow up, a room of the same
#   rank, judge leaving lib), and outside collector/change/ a kill(), a
#   pidfd_send_signal, a systemctl that starts something, and a write under
#   /proc/sys and into a cgroup; a lower room's header declaring a function
#   a higher room defines (a link-level arrow up).
# usage: check-layers-planted.sh SOURCE_ROOT
set -eu
src=$(cd "$1" && pwd)
check="$src/tests/check-layers.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-layers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

fresh() {
	rm -rf "$tmp/src"
	mkdir -p "$tmp/src"
	(cd "$src" && tar -cf - lib bpf probes formats collector) | (cd "$tmp/src" && tar -xf -)
}

# plant FILE LINE EXPECT WHAT: append LINE to FILE, expect a FAIL line matching EXPECT
plant() {
	fresh
	printf '%s\n' "$2" >>"$tmp/src/$1"
	if sh "$check" "$tmp/src" >"$tmp/out" 2>&1; then
		echo "FAIL: planted $4 in $1, and check-layers.sh passed"
		fail=$((fail + 1))
	elif grep -q "^FAIL: $1:[0-9]*: .*$3" "$tmp/out"; then
		echo "ok: $4: $(grep "^FAIL: $1:" "$tmp/out" | head -1)"
		pass=$((pass + 1))
	else
		echo "FAIL: planted $4 in $1; check-layers.sh failed without naming it:"
		sed 's/^/  /' "$tmp/out"
		fail=$((fail + 1))
	fi
}

fresh
if sh "$check" "$tmp/src" >"$tmp/out" 2>&1; then
	echo "ok: the copy passes: $(tail -2 "$tmp/out" | tr '\n' ' ')"
	pass=$((pass + 1))
else
	echo "FAIL: the unchanged copy does not pass:"
	cat "$tmp/out"
	fail=$((fail + 1))
fi

plant collector/change/guardian.c '#include "paired.h"' 'an arrow up' 'change including paired (an arrow up)'
plant collector/workloads/workload.c '#include "guardian.h"' 'an arrow up' 'workloads including change (an arrow up)'
plant collector/collect/runner.c '#include "watch.h"' 'an arrow up' 'collect including watch (an arrow up)'
plant collector/paired/paired.c '#include "qos.h"' 'same rank' 'paired including qos (same rank)'
plant collector/judge/stats.c '#include "workload.h"' 'judge may not include' 'judge including workloads (not pure)'
plant collector/qos/qos-run.c 'static void x(pid_t p) { kill(p, SIGTERM); }' 'signals a process' 'a kill() in qos/'
plant collector/paired/paired.c 'static int y(int fd) { return (int)syscall(SYS_pidfd_send_signal, fd, 9, 0, 0); }' \
	'signals a process' 'a pidfd_send_signal in paired/'
plant collector/verbs/verb-qos.c 'static const char *z[] = { "systemctl", "restart", "scx.service", 0 };' \
	'runs a service manager' 'a systemctl restart in verbs/'
plant probes/probe-io.c 'static int w(void) { return open("/proc/sys/kernel/sched_rt_runtime_us", O_WRONLY); }' \
	'writes' 'a write under /proc/sys in probes/'
plant collector/workloads/workload.c 'static int v(void) { return open("/sys/fs/cgroup/x/cgroup.procs", O_WRONLY); }' \
	'writes' 'a write into a cgroup in workloads/'
plant collector/workloads/workload-qos.h \
	'int scx_workload_cgroup(const struct scx_workload_opts *o, json_t **ret, char *why, size_t whylen);' \
	'declares scx_workload_cgroup(), defined in collector/change/' \
	'a workloads header declaring a change function (a link-level arrow up)'
plant probes/probe.h 'int scx_bundle_write(const char *stage, const char *out, int force, unsigned long long t);' \
	'declares scx_bundle_write(), defined in formats/' 'a probes header declaring a formats function'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
