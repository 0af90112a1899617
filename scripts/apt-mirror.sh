#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# apt-mirror.sh: print the Debian mirror this machine's apt already uses (the URI of its main
# Debian archive, e.g. what /etc/apt/sources.list.d/debian.sources names), so the project never
# writes a mirror host of its own. SCX_VM_MIRROR overrides it. Exit 1 when apt names none.
set -eu
if [ -n "${SCX_VM_MIRROR:-}" ]; then
	echo "$SCX_VM_MIRROR"; exit 0
fi
# apt's own view of its sources: the repository whose Release says Label: Debian.
m=$(apt-get indextargets --format '$(LABEL) $(REPO_URI)' 'Identifier: Packages' 2>/dev/null |
	awk '$1 == "Debian" { print $2; exit }')
if [ -z "$m" ]; then
	# No lists fetched yet: read the sources files (one-line and deb822) for a Debian archive
	# that is not the security one.
	m=$( { cat /etc/apt/sources.list 2>/dev/null
	       cat /etc/apt/sources.list.d/*.list 2>/dev/null
	       cat /etc/apt/sources.list.d/*.sources 2>/dev/null; } |
	     sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([a-z+]*:[^ ]*\) .*/\2/p' -e 's/^URIs: *\([^ ]*\).*/\1/p' |
	     grep -v -e security -e '^cdrom:' | grep '/debian/\{0,1\}$' | head -n1)
fi
[ -n "$m" ] || { echo "apt-mirror: this machine's apt names no Debian mirror (set SCX_VM_MIRROR)" >&2; exit 1; }
echo "${m%/}"
