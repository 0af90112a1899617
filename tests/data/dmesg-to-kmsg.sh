#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# dmesg-to-kmsg.sh < dmesg.txt > kmsg: turn a human kernel log
# ("[    9.841617] text", as `dmesg` prints it) into the record format
# /dev/kmsg hands out ("PRI,SEQ,USEC,FLAGS;text", Documentation/ABI/
# testing/dev-kmsg), the form the kmsg probe reads from <sysroot>/dev/kmsg.
#
# dmesg.txt carries no log levels: every record gets PRI 6 (facility kern,
# level info).  SEQ counts records from 0; USEC is the timestamp in
# microseconds; text is kept byte for byte (leading spaces of backtrace
# lines included).  Characters /dev/kmsg would escape (\ and control bytes)
# are written as \xNN, as the kernel does.
set -eu
LC_ALL=C awk '
function esc(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\") out = out "\\x5c"
		else if (c == "\t") out = out "\\x09"
		else out = out c
	}
	return out
}
match($0, /^\[ *[0-9]+\.[0-9]+\] /) {
	stamp = substr($0, 2, RLENGTH - 3)
	gsub(/ /, "", stamp)
	split(stamp, part, ".")
	usec = part[1] * 1000000 + part[2]
	printf "6,%d,%d,-;%s\n", seq++, usec, esc(substr($0, RLENGTH + 1))
	next
}
{ printf "dmesg-to-kmsg: line %d is not a dmesg line\n", NR > "/dev/stderr"; bad = 1 }
END { exit bad }
'
