#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-latency.sh [BUILD_DIR]: what scx-report's latency probe costs, next to
# libbpf-tools' runqlat, in the same run (root).
#
# Both tools and an empty tp_btf program (the floor: what any BPF program on
# these tracepoints costs here) are attached at the same time; then a
# context-switch-heavy workload runs (`perf bench sched pipe`) with BPF
# run-time statistics on, and bpf_prog_info run_time_ns / run_cnt of every
# program are read before and after.  Printed: ns per wakeup event and per
# switch event for each tool, their sum, and the ratio scx-report/runqlat.
#
# Environment: LOOPS (pipe round trips per round, default 500000), ROUNDS
# (default 3), PERF (perf binary), RUNQLAT (default /usr/sbin/runqlat).
# Needs: bpftool, clang, cc with libbpf (for the floor program), python3.
set -euo pipefail

BUILD=${1:-build}
SCX=$BUILD/scx-report
LOOPS=${LOOPS:-500000}
ROUNDS=${ROUNDS:-3}
RUNQLAT=${RUNQLAT:-/usr/sbin/runqlat}
PERF=${PERF:-$(command -v perf_6.1 || command -v perf || true)}

die() { echo "bench-latency.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
[ -x "$SCX" ] || die "no $SCX (build first: meson setup $BUILD && ninja -C $BUILD)"
[ -x "$RUNQLAT" ] || die "no $RUNQLAT (apt install libbpf-tools)"
[ -n "$PERF" ] || die "no perf (apt install linux-perf)"
for t in bpftool clang cc python3; do command -v $t >/dev/null || die "$t is missing"; done
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true

TMP=$(mktemp -d)
pids=()
old_stats=$(cat /proc/sys/kernel/bpf_stats_enabled)
cleanup() {
	for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	echo "$old_stats" > /proc/sys/kernel/bpf_stats_enabled
	rm -rf "$TMP"
}
trap cleanup EXIT

# ---- the floor: empty programs on the same three tracepoints --------------
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$TMP/vmlinux.h"
cat > "$TMP/floor.bpf.c" <<'EOF'
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
char LICENSE[] SEC("license") = "GPL";
SEC("tp_btf/sched_wakeup") int BPF_PROG(floor_wakeup) { return 0; }
SEC("tp_btf/sched_switch") int BPF_PROG(floor_switch) { return 0; }
EOF
cat > "$TMP/floor.c" <<'EOF'
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static void nop(int s) { (void)s; }
int main(int argc, char **argv)
{
	struct bpf_object *o = bpf_object__open(argv[1]);
	struct bpf_program *p;
	(void)argc;
	if (!o || bpf_object__load(o)) return 1;
	bpf_object__for_each_program(p, o)
		if (!bpf_program__attach(p)) return 1;
	signal(SIGINT, nop);
	pause();
	bpf_object__close(o);
	return 0;
}
EOF
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -fms-extensions -Wno-microsoft-anon-tag \
	-I"$TMP" -c "$TMP/floor.bpf.c" -o "$TMP/floor.bpf.o"
cc -O2 -o "$TMP/floor" "$TMP/floor.c" -lbpf

# ---- attach all three -------------------------------------------------------
echo 1 > /proc/sys/kernel/bpf_stats_enabled
"$TMP/floor" "$TMP/floor.bpf.o" & pids+=($!)
"$RUNQLAT" 3600 1 > "$TMP/runqlat.out" 2>&1 & pids+=($!)
"$SCX" latency --duration 3600 --json > "$TMP/scx.json" 2> "$TMP/scx.err" & pids+=($!)

progs() { bpftool prog show -j; }
for _ in $(seq 100); do
	n=$(progs | python3 -c 'import json,sys
names={"lat_wakeup","lat_switch","sched_wakeup","sched_switch","floor_wakeup","floor_switch"}
print(len({p.get("name") for p in json.load(sys.stdin)} & names))')
	[ "$n" = 6 ] && break
	sleep 0.1
done
[ "$n" = 6 ] || die "not all programs attached (scx-report: $(cat "$TMP/scx.err"))"

echo "workload: $PERF bench sched pipe -l $LOOPS, $ROUNDS rounds, $(nproc) CPUs, $(uname -r)"
for r in $(seq "$ROUNDS"); do
	progs > "$TMP/before.$r.json"
	"$PERF" bench sched pipe -l "$LOOPS" > "$TMP/perf.$r.out" 2>&1
	progs > "$TMP/after.$r.json"
done

python3 - "$TMP" "$ROUNDS" <<'EOF'
import json, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
tools = {
    "scx-report": ("lat_wakeup", "lat_switch"),
    "runqlat": ("sched_wakeup", "sched_switch"),
    "empty (floor)": ("floor_wakeup", "floor_switch"),
}
def load(path):
    return {p["name"]: p for p in json.load(open(path)) if "name" in p}
tot = {n: [0, 0] for pair in tools.values() for n in pair}
for r in range(1, rounds + 1):
    a, b = load(f"{tmp}/before.{r}.json"), load(f"{tmp}/after.{r}.json")
    per = {}
    for n in tot:
        dt = b[n]["run_time_ns"] - a[n]["run_time_ns"]
        dc = b[n]["run_cnt"] - a[n]["run_cnt"]
        tot[n][0] += dt; tot[n][1] += dc
        per[n] = dt / dc if dc else float("nan")
    print(f"round {r}: " + ", ".join(
        f"{t} {per[w]:.0f}+{per[s]:.0f} ns" for t, (w, s) in tools.items()))
print()
print(f"{'tool':<15} {'ns/wakeup':>10} {'ns/switch':>10} {'sum':>8}   events (wakeup, switch)")
res = {}
for t, (w, s) in tools.items():
    nw, ns = tot[w][0] / tot[w][1], tot[s][0] / tot[s][1]
    res[t] = (nw, ns)
    print(f"{t:<15} {nw:10.1f} {ns:10.1f} {nw+ns:8.1f}   {tot[w][1]}, {tot[s][1]}")
sw, ss = res["scx-report"]; rw, rs = res["runqlat"]; fw, fs = res["empty (floor)"]
print()
print(f"ratio scx-report/runqlat: wakeup {sw/rw:.2f}, switch {ss/rs:.2f}, "
      f"wakeup+switch {(sw+ss)/(rw+rs):.2f} (target <= 0.50)")
print(f"above the floor: scx-report {sw+ss-fw-fs:.1f} ns, runqlat {rw+rs-fw-fs:.1f} ns per wakeup+switch")
EOF
for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()
python3 - "$TMP/scx.json" <<'EOF'
import json, sys
l = json.load(open(sys.argv[1]))
for k in ("runq", "preempt", "slice"):
    h = l[k]
    print(f"scx-report {k}: count {h['count']} p50 {h['p50_ns']} p99 {h['p99_ns']} "
          f"p99.9 {h['p999_ns']} ns ({len(h['buckets'])} buckets used, k={l['buckets']['k']})")
EOF
grep -A40 usecs "$TMP/runqlat.out" | head -30 || true
