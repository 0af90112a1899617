# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# private-apt.sh: sourced by fetch-kernel.sh and tests/schedulers/build-upstream.sh. One private
# apt configuration for Debian unstable (own sources.list, lists, cache and status under
# $SCX_VM_CACHE/apt), so the machine's apt setup is never read or written. fetch-qemu.sh sets
# PRIVATE_APT_DIR and PRIVATE_APT_SUITES (e.g. "bookworm bookworm-backports") before sourcing it
# for a second, separate configuration.
#
#   private_apt_setup     creates the directories and the sources.list, sets APT_OPTS
#   private_apt_update    apt-get update with it
# Callers hold $SCX_VM_CACHE/.fetch-kernel.lock around update and download (one at a time).

# machine_mirror: the Debian archive the machine's own apt uses (its first deb source that is not
# the security archive), so no mirror name is written here. SCX_VM_MIRROR overrides it.
machine_mirror() {
	{
		sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null
		sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\).*/\2/p' /etc/apt/sources.list \
			/etc/apt/sources.list.d/*.list 2>/dev/null
	} | grep -v -e security -e '^cdrom:' | head -n1
}

APTDIR=${PRIVATE_APT_DIR:-${SCX_VM_CACHE:-/var/cache/scx-report-vm}/apt}
MIRROR=${SCX_VM_MIRROR:-$(machine_mirror)}

private_apt_setup() {
	[ -n "$MIRROR" ] || { echo "no Debian mirror in /etc/apt/sources.list*: set SCX_VM_MIRROR" >&2; return 1; }
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$APTDIR/etc/sources.list.d" \
		"$APTDIR/etc/preferences.d" || return 1
	local suite
	for suite in ${PRIVATE_APT_SUITES:-sid}; do
		echo "deb [arch=amd64] $MIRROR $suite main"
	done >"$APTDIR/etc/sources.list"
	[ -e "$APTDIR/status" ] || : >"$APTDIR/status"
	APT_OPTS=(
		-o "Dir::State=$APTDIR"
		-o "Dir::State::Lists=$APTDIR/lists"
		-o "Dir::State::status=$APTDIR/status"
		-o "Dir::Cache=$APTDIR"
		-o "Dir::Cache::Archives=$APTDIR/archives"
		-o "Dir::Etc::SourceList=$APTDIR/etc/sources.list"
		-o "Dir::Etc::SourceParts=$APTDIR/etc/sources.list.d"
		-o "Dir::Etc::PreferencesParts=$APTDIR/etc/preferences.d"
		-o "APT::Architecture=amd64"
		-o "APT::Architectures::=amd64"
		-o "Acquire::Languages=none"
		-o "Debug::NoLocking=1"
		-o "APT::Sandbox::User=root"
	)
}

private_apt_update() {
	apt-get "${APT_OPTS[@]}" -q update >&2
}
