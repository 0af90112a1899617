#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The include direction (README.md, "Where things are"): every #include "..."
# in lib/ bpf/ probes/ formats/ collector/ names a header by its basename and
# only of a layer its folder may use:
#   lib        lib
#   bpf        bpf, and of lib only hist-layout.h (BPF-safe: the histogram layout)
#   probes     probes, bpf, lib
#   formats    formats, lib
#   judge      judge, lib               (collector/judge: pure)
#   collector  everything
# meson compiles each layer with only those include folders; this names the
# file and line of a forbidden include, also one that a folder of the build
# would happen to find.
# usage: check-layers.sh SOURCE_ROOT
set -eu
src=$1
cd "$src"

layer_of() {
	case $1 in
	lib/*) echo lib ;;
	bpf/*) echo bpf ;;
	probes/*) echo probes ;;
	formats/*) echo formats ;;
	collector/judge/*) echo judge ;;
	collector/*) echo collector ;;
	*) echo none ;;
	esac
}

may_use() {	# layer used_layer
	case "$1:$2" in
	lib:lib | bpf:bpf | bpf:lib | probes:probes | probes:bpf | probes:lib) return 0 ;;
	formats:formats | formats:lib | judge:judge | judge:lib | collector:*) return 0 ;;
	esac
	return 1
}

allowed() {
	case $1 in
	lib) echo "lib" ;;
	bpf) echo "bpf, lib" ;;
	probes) echo "probes, bpf, lib" ;;
	formats) echo "formats, lib" ;;
	judge) echo "judge, lib" ;;
	esac
}

files=$(find lib bpf probes formats collector -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
[ -n "$files" ] || { echo "no sources under $src: the check itself is broken"; exit 1; }
headers=$(find lib bpf probes formats collector -type f -name '*.h')

checked=0
fail=0
for f in $files; do
	from=$(layer_of "$f")
	# "file:line:name" of every quoted include
	for hit in $(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		     sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1:\2/'); do
		line=${hit%%:*}
		name=${hit#*:}
		checked=$((checked + 1))
		case $name in
		*/*)
			echo "FAIL: $f:$line: #include \"$name\": include by basename (no folders, no ../)"
			fail=$((fail + 1))
			continue ;;
		vmlinux.h | *.skel.h)
			to=bpf; where="bpf (generated)" ;;
		*)
			where=$(printf '%s\n' $headers | grep "/$name\$" || true)
			n=$(printf '%s' "$where" | grep -c . || true)
			if [ "$n" -eq 0 ]; then
				echo "FAIL: $f:$line: #include \"$name\": no such header in lib/ bpf/ probes/ formats/ collector/"
				fail=$((fail + 1))
				continue
			fi
			if [ "$n" -gt 1 ]; then
				echo "FAIL: $f:$line: #include \"$name\": two headers of that name:" $where
				fail=$((fail + 1))
				continue
			fi
			to=$(layer_of "$where") ;;
		esac
		if [ "$from:$to" = bpf:lib ] && [ "$name" != hist-layout.h ]; then
			echo "FAIL: $f:$line: #include \"$name\": bpf may include only hist-layout.h of lib"
			fail=$((fail + 1))
		elif ! may_use "$from" "$to"; then
			echo "FAIL: $f:$line: #include \"$name\": $from may not include $where ($from may use $(allowed "$from"))"
			fail=$((fail + 1))
		fi
	done
done

echo "$checked includes checked, $fail forbidden"
[ "$fail" -eq 0 ]
