#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-fleet.sh BASE_BUNDLE OUT_DIR N [HOSTILE]: N bundles of a made-up fleet, built from one real
# bundle (every member kept; report.json gets its own host, time, scheduler version and verdict,
# and the manifest its size and sha256), plus HOSTILE (0-5, default 5) damaged ones, each damaged
# in its own way. Writes OUT_DIR/expected.json: {"bundles": N, "hostile": [names],
# "counts": {"SCHED VERSION VERDICT": n}} for checking triage's figures.
# Needs tar (GNU), zstd, jq, sha256sum.
set -eu
base=$1 out=$2 n=$3 hostile=${4:-5}
for t in tar zstd jq sha256sum; do
	command -v "$t" >/dev/null || { echo "gen-fleet.sh: $t is missing" >&2; exit 1; }
done
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$base"
top=$(ls "$work")
[ -f "$work/$top/manifest.json" ] && [ -f "$work/$top/report.json" ] ||
	{ echo "gen-fleet.sh: $base is not a bundle" >&2; exit 1; }
members=$(jq -r '.members[].path' "$work/$top/manifest.json")

# The fleet: three versions of scx_foo and one other scheduler; every host on 1.0.3 regresses.
jq -c --argjson n "$n" '. as $r | range($n) as $i |
	["1.0.2", "1.0.3", "1.1.0", "2.0.0"][$i % 4] as $v |
	(if $v == "1.0.3" then "custom-scheduler-regression"
	 else ["no-significant-difference", "custom-scheduler-better", "inconclusive"][($i / 4 | floor) % 3]
	 end) as $verdict |
	(if $v == "2.0.0" then "bar" else "foo" end) as $s |
	[$i, ($r | .collection.hostname = ("host-\($i + 1 | tostring | "0000"[0:4 - length] + .)")
	          | .collection.start = "2026-12-01T\($i % 24 | tostring | "00"[0:2 - length] + .):00:00Z"
	          | .scheduler.name = $s | .scheduler.version = $v
	          | .scheduler.ops = "\($s)_\($v)_x86_64_unknown_linux_gnu"
	          | .verdict.class = $verdict)]' "$work/$top/report.json" >"$work/fleet.jsonl"

# One jq for all reports (each pretty-printed as collect writes it, then a marker line), split
# by awk; per bundle only the manifest's report.json entry changes (awk) before tar | zstd.
stage=$work/stage
mkdir -p "$stage/reports"
jq -S '.[1], "@@END@@"' "$work/fleet.jsonl" |
	awk -v d="$stage/reports" 'BEGIN { i = 1 } /^"@@END@@"$/ { close(f); i++; next }
		{ f = sprintf("%s/%04d.json", d, i); print > f }'
cp -a "$work/$top" "$stage/b"
i=0
while [ "$i" -lt "$n" ]; do
	i=$((i + 1))
	name=$(printf 'fleet-%04d' "$i")
	rep=$(printf '%s/reports/%04d.json' "$stage" "$i")
	mv "$rep" "$stage/b/report.json"
	size=$(stat -c %s "$stage/b/report.json")
	sum=$(sha256sum "$stage/b/report.json" | cut -d' ' -f1)
	# The manifest keeps collect's layout: "path", then "sha256", then "size" lines.
	awk -v s="$sum" -v z="$size" '
		hit == 1 && /"sha256"/ { sub(/"[0-9a-f]+"/, "\"" s "\""); hit = 2 }
		hit == 2 && /"size"/ { sub(/[0-9]+/, z); hit = 0 }
		/"path": "report.json"/ { hit = 1 }
		{ print }' "$work/$top/manifest.json" >"$stage/b/manifest.json"
	mv "$stage/b" "$stage/$name"
	printf '%s\n' manifest.json $members | sed "s|^|$name/|" >"$work/list"
	tar -C "$stage" --format=pax --owner=0 --group=0 --no-recursion -cf - -T "$work/list" |
		zstd -q -3 -o "$out/$name.tar.zst" -f
	mv "$stage/$name" "$stage/b"
done

# Hostile ones: each refused for its own reason, none stops the run.
names=()
mk() { names+=("$1"); }
cp -a "$work/$top" "$stage/h"
list_of() { (cd "$stage/h" && printf '%s\n' "$@" | sed "s|^|h/|"); }
[ "$hostile" -ge 1 ] && { head -c 20000 "$out/fleet-0001.tar.zst" >"$out/hostile-truncated.tar.zst"; mk hostile-truncated; }
[ "$hostile" -ge 2 ] && { head -c 4096 /dev/urandom >"$out/hostile-garbage.tar.zst"; mk hostile-garbage; }
if [ "$hostile" -ge 3 ]; then
	list_of $members manifest.json >"$work/l"
	tar -C "$stage" --format=pax --no-recursion -cf - -T "$work/l" | zstd -q -o "$out/hostile-manifest-last.tar.zst" -f
	mk hostile-manifest-last
fi
if [ "$hostile" -ge 4 ]; then
	cp "$stage/h/report.json" "$work/report.orig"
	# Same length, other bytes: only the checksum can tell.
	sed -i 's/"hostname": "./"hostname": "X/' "$stage/h/report.json"
	list_of manifest.json $members >"$work/l"
	tar -C "$stage" --format=pax --no-recursion -cf - -T "$work/l" | zstd -q -o "$out/hostile-checksum.tar.zst" -f
	cp "$work/report.orig" "$stage/h/report.json"
	mk hostile-checksum
fi
if [ "$hostile" -ge 5 ]; then
	ln -s /etc/shadow "$stage/h/kmsg/evil"
	list_of manifest.json kmsg/evil $members >"$work/l"
	tar -C "$stage" --format=pax --no-recursion -cf - -T "$work/l" | zstd -q -o "$out/hostile-symlink.tar.zst" -f
	rm "$stage/h/kmsg/evil"
	mk hostile-symlink
fi

jq -s --argjson n "$n" '{bundles: $n, hostile: $ARGS.positional,
	counts: (map(.[1] | "\(.scheduler.name) \(.scheduler.version) \(.verdict.class)") |
		group_by(.) | map({key: .[0], value: length}) | from_entries)}' \
	--args "${names[@]}" <"$work/fleet.jsonl" >"$out/expected.json"
