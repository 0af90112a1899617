#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# report.html in a real browser: Debian's Chromium, headless, renders the page `show --html`
# writes for a real VM bundle with a paired run and for a host bundle without sched_ext, and
# the DOM it built must hold the verdict banner, at least three SVG charts with data points
# (the paired run's) and a fallback table in every figure. Screenshots at 1280 px and at a
# phone's 390 px go to $SCX_SHOT_DIR when it is set (for people to look at).
# usage: check-html-chromium.sh SCX_REPORT DATA_DIR
set -u
exe=$1 data=$2
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || { echo "FAIL: chromium is not installed (scripts/install-deps.sh --tests)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

browse() {	# browse OUT ARGS...: headless Chromium, own profile, nothing from the network
	local out=$1
	shift
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$(mktemp -d "$work/profile.XXXXXX")" "$@" >"$out" 2>"$out.err"
}

# The SVGs of a DOM that hold marks (dots, bars or lines), one line per SVG: "id marks".
charts_with_points() {
	awk 'BEGIN { RS = "</svg>" } /<svg/ {
		s = substr($0, index($0, "<svg")); id = s; sub(/^.*aria-labelledby="/, "", id); sub(/-t .*/, "", id)
		n = gsub(/class="pt |class="bar |<polyline /, "&", s); if (n > 0) print id, n }' "$1"
}

check_page() {	# check_page NAME BUNDLE MIN_CHARTS VERDICT
	local name=$1 bundle=$2 min=$3 verdict=$4 html=$work/$1.html dom=$work/$1.dom
	"$exe" show --html "$html" "$bundle" || { fail "$name: show --html failed"; return; }
	browse "$dom" --dump-dom "file://$html"
	[ -s "$dom" ] || { fail "$name: chromium dumped no DOM: $(tail -n 3 "$dom.err")"; return; }
	grep -q "<section class=\"verdict v-$verdict\" id=\"verdict\"" "$dom" &&
		ok "$name: the DOM has the verdict banner ($verdict)" || fail "$name: no verdict banner v-$verdict"
	grep -q '<p class="vto"><strong>Report to:</strong>' "$dom" &&
		ok "$name: the banner says who to report to" || fail "$name: no 'Report to:' in the banner"
	local charts figures tables
	charts=$(charts_with_points "$dom" | wc -l)
	echo "   charts with data points: $(charts_with_points "$dom" | tr '\n' ',' | sed 's/,$//')"
	[ "$charts" -ge "$min" ] && ok "$name: $charts SVG charts with data points (>= $min)" ||
		fail "$name: $charts SVG charts with data points, expected >= $min"
	figures=$(grep -o '<figure class="chart-fig"' "$dom" | wc -l)
	tables=$(grep -o '<table class="data fallback-table">' "$dom" | wc -l)
	[ "$figures" -ge 1 ] && [ "$tables" -eq "$figures" ] &&
		ok "$name: $tables fallback tables for $figures figures" ||
		fail "$name: $tables fallback tables for $figures figures"
	[ "$(grep -o 'role="img"' "$dom" | wc -l)" -eq "$(grep -o '<svg ' "$dom" | wc -l)" ] &&
		ok "$name: every SVG is role=img with its title and description" ||
		fail "$name: an SVG without role=img"
	! grep -qi '<script' "$dom" && ok "$name: no script" || fail "$name: a script in the DOM"
	if [ -n "${SCX_SHOT_DIR:-}" ]; then
		mkdir -p "$SCX_SHOT_DIR"
		for w in 1280 390; do
			# Tall enough for the whole page (the phone's is about twice as long).
			browse "$work/shot.log" --window-size="$w,$((w > 600 ? 5000 : 9000))" \
				--screenshot="$SCX_SHOT_DIR/$name-$w.png" "file://$html"
			[ -s "$SCX_SHOT_DIR/$name-$w.png" ] && ok "$name: screenshot $SCX_SHOT_DIR/$name-$w.png" ||
				fail "$name: no screenshot at $w px"
		done
	fi
}

check_page paired "$data/bundles/vm-paired-slow.tar.zst" 3 custom-scheduler-regression
check_page no-sched-ext "$data/bundles/host-no-sched-ext.tar.zst" 3 no-custom-scheduler
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
