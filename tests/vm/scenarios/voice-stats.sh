# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# timeout: 480
# parallel: yes
#
# voice-stats: the scheduler's own voice on the busybox guest. scx_fifo serves scx_stats
# (--stats: the loader's server, tests/schedulers/stats_server.c, at the default
# /var/run/scx/root/stats): the bundle holds the metadata and a sample before and after the
# latency window (1 s), shown in summary and HTML. Its output goes to a file
# (/results/sched-fifo.log, as sched_start does): its tail is in the bundle. Then servers that
# hang, flood and answer garbage: each collection is bounded and says why. The hang-readiness
# section of a busybox guest (no systemd, no pstore, no kdump).

hostile() { # MODE
	sched_start fifo "--stats=$1" || return 1
	_t0=$(date +%s)
	scx-report collect -o "$RESULTS/bug-$1.tar.zst" --no-latency --no-paired \
		>"$RESULTS/collect-$1.log" 2>&1
	echo "$?" >"$RESULTS/collect-$1.rc"
	echo "$(( $(date +%s) - _t0 ))" >"$RESULTS/collect-$1.seconds"
	sched_stop fifo
}

guest() {
	sched_start fifo --stats || return 1
	scx_collect || return 1
	sched_stop fifo
	# The same with a latency window between the samples.
	sched_start fifo --stats || return 1
	scx-report collect -o "$RESULTS/bug-latency.tar.zst" --no-paired --duration 1 \
		>"$RESULTS/collect-latency.log" 2>&1
	echo "$?" >"$RESULTS/collect-latency.rc"
	sched_stop fifo
	hostile hang && hostile flood && hostile badjson
}

use_bundle() { # NAME: later assertions read bug-NAME.tar.zst
	BUNDLE=$RESULTS/bug-$1.tar.zst
	rm -f "$RESULTS/report.json"
}

check() {
	assert_collect_ok
	assert_json .stats.offered true
	assert_json .stats.socket '"/var/run/scx/root/stats"'
	assert_json .stats.found_by '"the scheduler process'"'"'s listening socket"'
	assert_json .stats.top '"TestStats"'
	assert_jq '[.stats.fields[] | select(.desc)] | length == 4' "four fields with descriptions"
	assert_jq '.stats.fields | any(.field == "requests" and .desc == "stats requests served so far")' "field descriptions kept"
	assert_json .stats.start.values.sched '"scx_fifo"'
	assert_jq '.stats.end.values.requests > .stats.start.values.requests' "two samples, the second later"
	assert_jq '.stats.end.mono_s > .stats.start.mono_s' "end sample after the start sample"
	assert_jq '.stats | has("errors") | not' "no errors with a good server"
	mkdir -p "$RESULTS/bundle"
	tar --zstd -xf "$BUNDLE" -C "$RESULTS/bundle" --strip-components=1
	assert_file_contains bundle/stats/meta.json '"TestStats"' "stats/meta.json in the bundle"
	assert_file_contains bundle/stats/start.json '"requests"' "stats/start.json in the bundle"
	assert_file_contains bundle/stats_end/end.json '"requests"' "stats_end/end.json in the bundle"
	assert_file_contains bundle/summary.txt "The scheduler's own statistics" "summary: stats section"
	assert_file_contains bundle/summary.txt '^requests .* stats requests served so far' "summary: field, values and description"
	assert_file_contains bundle/report.html 'seconds since the loader started' "HTML: field descriptions"
	# A scheduler started in a terminal whose output goes to a file: its tail.
	assert_json '.scheduler_output.streams[0].kind' '"file"'
	assert_json '.scheduler_output.streams[0].target' '"/results/sched-fifo.log"'
	assert_json '.scheduler_output.streams[1].same_as' '"stdout"'
	assert_jq '.scheduler_output.streams[0].last_lines | any(test("scheduler started"))' "output tail has the start line"
	assert_file_contains bundle/scheduler_output/fd1.tail 'serving scx_stats' "fd1.tail in the bundle"
	assert_file_contains bundle/summary.txt '^stdout: file /results/sched-fifo.log: last [0-9]+ byte' "summary: output section"
	# Hang readiness, busybox guest: no systemd, nothing would survive.
	assert_json .hang_readiness.journal.systemd false
	assert_json .hang_readiness.would_survive_hard_hang false
	assert_jq '.hang_readiness.advice | any(.what | test("kdump"))' "advice names kdump"
	assert_file_contains bundle/summary.txt '^== If it hangs: what would be left ==' "summary: hang readiness"
	sed -n '/^== If it hangs/,/^== /p' "$RESULTS/bundle/summary.txt" >"$RESULTS/hang-readiness.txt"

	use_bundle latency
	assert_file_equals collect-latency.rc 0
	assert_json .probes.latency.status '"ok"'
	assert_jq '.stats.end.mono_s - .stats.start.mono_s >= 1' "the samples span the 1 s latency window"

	for mode in hang flood badjson; do
		use_bundle "$mode"
		assert_file_equals "collect-$mode.rc" 0 "$mode server: collect succeeds"
		assert_json .probes.stats.status '"ok"'
		assert_json .stats.offered true
		assert_jq '.probes.stats.duration_ms < 9000' "$mode server: the stats probe is bounded"
		assert_jq '.stats | has("fields") | not' "$mode server: no metadata kept"
	done
	use_bundle hang
	assert_jq '.stats.errors[0].reason | test("no whole reply within 2000 ms")' "hang: reason recorded"
	use_bundle flood
	assert_jq '.stats.errors[0].reason | test("reply longer than 1048576 bytes")' "flood: reason recorded"
	use_bundle badjson
	assert_jq '.stats.errors[0].reason | test("not JSON")' "badjson: reason recorded"
	for mode in hang flood badjson; do
		echo "collect with a $mode server: $(cat "$RESULTS/collect-$mode.seconds") s"
	done
}
