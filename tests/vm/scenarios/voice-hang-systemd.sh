# SPDX-License-Identifier: GPL-2.0-or-later
# guest: systemd
# parallel: yes
#
# voice-hang-systemd: the hang-readiness section on the Debian 12 systemd guest (what a hard
# hang would leave: lockup detectors, pstore, kdump, the journal), with a scheduler whose
# output goes to a file, and scx_stats not offered (a scheduler without --stats).

guest() {
	sched_start fifo || return 1
	scx_collect || return 1
	sched_stop fifo
}

check() {
	assert_collect_ok
	assert_json .hang_readiness.family '"debian"'
	assert_json .hang_readiness.journal.systemd true
	assert_jq '.hang_readiness | has("lockup") and has("pstore") and has("kdump") and has("hung_task")' "every part read"
	assert_jq '.hang_readiness.would_survive_hard_hang == false' "the guest would keep nothing of a hard hang"
	assert_jq '.hang_readiness.advice | any(.how | test("apt install kdump-tools"))' "Debian's kdump advice"
	assert_json .stats.offered false
	assert_json .probes.stats.status '"ok"'
	assert_json .probes.stats_end.status '"skipped"'
	mkdir -p "$RESULTS/bundle"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle" --strip-components=1
	assert_file_contains bundle/summary.txt '^not offered: ' "summary: stats not offered"
	assert_file_contains bundle/summary.txt '^== If it hangs: what would be left ==' "summary: hang readiness"
	sed -n '/^== If it hangs/,/^== /p' "$RESULTS/bundle/summary.txt" >"$RESULTS/hang-readiness.txt"
}
