# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# timeout: 300
#
# identity-systemd: the packaged scx_fifo (scx-test-scheds 0.1.0-1, /usr/bin/scx_fifo) run by
# scx.service: packaged-verified through dpkg, manager systemd with unit scx.service and its
# properties, trusted through an /etc/scx-report/trusted.d entry carrying the package build's
# sha256. Then the binary is changed on disk (one byte appended: still a valid ELF) and the
# service restarted: packaged-modified, no longer trusted, and the trust warning names it.

guest() {
	dpkg -i "$SCX_TEST_SHARE/scx-test-scheds.deb" >"$RESULTS/dpkg-i.log" 2>&1 || return 1
	systemctl daemon-reload
	sha=$(sha256sum /usr/bin/scx_fifo | cut -d' ' -f1)
	echo "$sha" >"$RESULTS/fifo.sha256"
	mkdir -p /etc/scx-report/trusted.d
	cat >/etc/scx-report/trusted.d/test-vendor.json <<JSON
{ "scx_report_trusted": 1, "vendor": "scx-report tests",
  "builds": [ { "name": "fifo", "version": "0.1.0", "package": "scx-test-scheds 0.1.0-1",
                "sha256": ["$sha"] } ] }
JSON
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	systemctl show -p MainPID --value scx.service >"$RESULTS/mainpid-1.txt"
	scx_collect || return 1

	systemctl stop scx.service
	wait_state disabled 10 || return 1
	printf 'x' >>/usr/bin/scx_fifo
	sha256sum /usr/bin/scx_fifo | cut -d' ' -f1 >"$RESULTS/fifo-modified.sha256"
	systemctl start scx.service || return 1
	wait_state enabled 30 || { systemctl status scx.service; return 1; }
	scx-report collect -q -o "$RESULTS/modified.tar.zst" --no-latency --no-paired \
		>"$RESULTS/collect-modified.log" 2>&1
	echo $? >"$RESULTS/collect-modified.rc"
	systemctl stop scx.service
}

assert_modified() {
	local expr=$1 what=$2 out=$RESULTS/modified.json
	[ -s "$out" ] || "$SCX_REPORT" show --json "$RESULTS/modified.tar.zst" >"$out" 2>/dev/null
	if jq -e "$expr" "$out" >/dev/null 2>&1; then pass "$what"; else fail "$what: '$expr' on $out"; fi
}

check() {
	assert_collect_ok
	assert_json .scheduler.active true
	assert_json .scheduler.name '"fifo"'
	assert_json .scheduler.exe.path '"/usr/bin/scx_fifo"'
	assert_json .scheduler.sha256 "\"$(cat "$RESULTS/fifo.sha256")\""
	assert_json .scheduler.provenance '"packaged-verified"'
	assert_json .scheduler.package.name '"scx-test-scheds"'
	assert_json .scheduler.package.version '"0.1.0-1"'
	assert_json .scheduler.package.manager '"dpkg"'
	assert_json .scheduler.package.verified true
	assert_json .scheduler.manager '"systemd"'
	assert_json .scheduler.unit '"scx.service"'
	assert_json .scheduler.pids "[$(cat "$RESULTS/mainpid-1.txt")]"
	assert_json .scheduler.unit_props.ActiveState '"active"'
	assert_json .scheduler.unit_props.MainPID "\"$(cat "$RESULTS/mainpid-1.txt")\""
	assert_jq '.scheduler.unit_props.FragmentPath | test("scx.service$")' "unit file path recorded"
	assert_jq '.scheduler.manager_evidence | any(test("/etc/default/scx"))' "/etc/default/scx recorded"
	assert_json .scheduler.trusted.file '"/etc/scx-report/trusted.d/test-vendor.json"'
	assert_json .scheduler.trusted.by '"sha256"'
	assert_json .scheduler.trusted.package '"scx-test-scheds 0.1.0-1"'
	assert_json .scheduler.trust_warning null
	if "$SCX_REPORT" show "$BUNDLE" >"$RESULTS/summary.txt" 2>&1; then
		assert_file_contains summary.txt "^Custom scheduler: fifo \\(scx-test-scheds 0\\.1\\.0-1, package verified\\), trusted \\(/etc/scx-report/trusted.d/test-vendor.json\\) pid $(cat "$RESULTS/mainpid-1.txt") via scx.service$" \
			"summary headline: packaged, verified, trusted, via scx.service"
	else
		fail "scx-report show failed"
	fi

	assert_file_equals collect-modified.rc 0 "collect after the binary was changed exited 0"
	assert_modified '.scheduler.provenance == "packaged-modified"' "changed binary: packaged-modified"
	assert_modified '.scheduler.package.verified == false' "package not verified"
	assert_modified '.scheduler.package.modified_files | index("/usr/bin/scx_fifo") != null' \
		"dpkg --verify lists /usr/bin/scx_fifo"
	assert_modified ".scheduler.sha256 == \"$(cat "$RESULTS/fifo-modified.sha256")\"" "sha256 of the changed binary"
	assert_modified '.scheduler.trusted == null' "changed binary: not trusted"
	assert_modified '.scheduler.trust_warning | test("fifo")' "trust warning names fifo"
	assert_modified '.scheduler.manager == "systemd" and .scheduler.unit == "scx.service"' "still via scx.service"
}
