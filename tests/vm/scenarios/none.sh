# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
#
# none: no scheduler was ever loaded in this boot.

guest() {
	uname -r >"$RESULTS/uname-r.txt"
	snapshot_sysfs collect
	scx_collect
}

check() {
	assert_collect_ok
	assert_jq '.schema | type == "string"' "report has a schema"
	assert_jq '.tool.version | type == "string"' "report has tool.version"
	assert_json .host.kernel "\"$(cat uname-r.txt)\""
	assert_json .sched_ext.supported true
	assert_json .sched_ext.state '"disabled"'
	assert_json .sched_ext.enable_seq 0
	assert_json .sched_ext.ops null
	assert_jq '(.history // []) | map(select(.event == "enabled")) | length == 0' "no enable event in the history"
}
