#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# docs/report.schema.json: check-schema.py on the tree (the golden trees, the
# fixture and VM bundles of tests/data, and a bundle of `collect` and of `qos`
# made here), then on planted faults, each of which must fail:
#   a jstr() of a path the schema does not declare, and a report whose
#   sched_ext.supported is a string.
# Skipped (77) without python3's jsonschema module (Debian: python3-jsonschema).
# usage: check-schema.sh SOURCE_ROOT SCX_REPORT
set -eu
src=$(cd "$1" && pwd)
exe=$2
py="$src/tests/check-schema.py"
python3 -c 'import jsonschema' 2>/dev/null || { echo "python3-jsonschema is not installed: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-schema.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# Bundles made here: whatever this machine is, what we write must fit the schema.
"$exe" collect --no-paired --no-latency -q -o "$tmp/collect.tar.zst" >/dev/null 2>"$tmp/collect.err" ||
	{ cat "$tmp/collect.err"; bad "collect did not write a bundle"; }
"$exe" qos -q -o "$tmp/qos.tar.zst" >/dev/null 2>"$tmp/qos.err" || true
[ -f "$tmp/qos.tar.zst" ] || { cat "$tmp/qos.err"; bad "qos -o did not write a bundle"; }

if python3 "$py" "$src" $(ls "$tmp"/*.tar.zst 2>/dev/null) >"$tmp/out" 2>&1; then
	ok "$(grep -E 'validated|checked' "$tmp/out" | tr '\n' ' ')"
else
	cat "$tmp/out"
	bad "the tree does not pass"
fi

# A planted read of an undeclared path.
mkdir "$tmp/src"
(cd "$src" && tar -cf - lib probes formats collector docs/report.schema.json) | (cd "$tmp/src" && tar -xf -)
echo 'static const char *planted(const json_t *r) { return jstr(r, "sched_ext.opz"); }' >>"$tmp/src/formats/summary.c"
if python3 "$py" "$tmp/src" >"$tmp/out" 2>&1; then
	bad "a planted jstr(r, \"sched_ext.opz\") passed"
elif grep -q '^FAIL: formats/summary.c:[0-9]*: reads "sched_ext.opz"' "$tmp/out"; then
	ok "planted path: $(grep '^FAIL: formats/summary.c' "$tmp/out")"
else
	cat "$tmp/out"
	bad "a planted path failed without being named"
fi

# A planted report that breaks the schema.
python3 - "$src/tests/data/host-debian12/expected/report.json" "$tmp/bad.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.setdefault("collection", {})
r["sched_ext"]["supported"] = "yes"
json.dump(r, open(sys.argv[2], "w"))
PY
if python3 "$py" "$src" "$tmp/bad.json" >"$tmp/out" 2>&1; then
	bad "a report with sched_ext.supported \"yes\" passed"
elif grep -q "^FAIL: $tmp/bad.json: report.json sched_ext.supported" "$tmp/out"; then
	ok "planted report: $(grep "^FAIL: $tmp/bad.json" "$tmp/out")"
else
	cat "$tmp/out"
	bad "a planted report failed without being named"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
