#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Wall time of `scx-report triage` over a generated fleet: N bundles (default 1000) made by
# scripts/gen-fleet.sh from a real VM bundle, plus 5 hostile ones. Checks that triage listed
# the hostile ones as refused and counted the others right, and prints the figures.
# Target (issue 14): 1,000 bundles in <= 5 s wall on the 2-core CI machine.
# usage: scripts/bench-triage.sh [SCX_REPORT] [N] [BASE_BUNDLE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exe=${1:-build/scx-report}
n=${2:-1000}
base=${3:-$here/../tests/data/bundles/vm-paired-slow.tar.zst}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

t0=$(date +%s%N)
"$here/gen-fleet.sh" "$base" "$dir/fleet" "$n" 5
t1=$(date +%s%N)
echo "generated $n bundles + 5 hostile ($(du -sh "$dir/fleet" | cut -f1)) in $(( (t1 - t0) / 1000000 )) ms"
# Cold-ish: drop nothing (not root-only), but read each file once before timing is NOT done:
# the fleet was just written, so it is in the page cache, as a controller's fetched bundles are.
set +e
t0=$(date +%s%N)
"$exe" triage --json "$dir/fleet" >"$dir/out.json"
rc=$?
t1=$(date +%s%N)
set -e
ms=$(( (t1 - t0) / 1000000 ))
read_n=$(jq '.bundles | length' "$dir/out.json")
refused=$(jq -r '.refused[] | "  \(.path | split("/") | last): \(.reason)"' "$dir/out.json")
got=$(jq -S '[.counts[] | {key: "\(.scheduler) \(.version) \(.verdict)", value: .bundles}] | from_entries' "$dir/out.json")
want=$(jq -S '.counts' "$dir/fleet/expected.json")
want_refused=$(jq -r '.hostile | sort | map(. + ".tar.zst") | join(" ")' "$dir/fleet/expected.json")
got_refused=$(jq -r '[.refused[].path | split("/") | last] | sort | join(" ")' "$dir/out.json")
echo "triage of $((n + 5)) bundles: wall $ms ms (target <= 5000 ms), exit $rc"
echo "read: $read_n, refused: $(jq '.refused | length' "$dir/out.json")"
echo "$refused"
ok=yes
[ "$read_n" -eq "$n" ] || { echo "FAIL: read $read_n bundles, expected $n"; ok=no; }
[ "$got" = "$want" ] || { echo "FAIL: counts differ:"; diff <(echo "$want") <(echo "$got") || true; ok=no; }
[ "$got_refused" = "$want_refused" ] || { echo "FAIL: refused '$got_refused', expected '$want_refused'"; ok=no; }
[ "$rc" -eq 1 ] || { echo "FAIL: exit $rc, expected 1 (some refused)"; ok=no; }
echo "counts by scheduler version x verdict:"
jq -r '.counts[] | "  \(.bundles)\t\(.scheduler) \(.version)\t\(.verdict)"' "$dir/out.json"
echo "checks: $ok"
[ "$ok" = yes ]
