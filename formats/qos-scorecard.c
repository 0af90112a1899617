// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QoS scorecard as text and as a self-contained HTML table.  Reads only
 * the "qos" section (rows, counts, skipped, restore; figures and runs for
 * the HTML's per-run dot plots, small inline SVGs).
 */
#include "qos-scorecard.h"

#include <math.h>
#include <string.h>

#include "model.h"

static double num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

void scx_qos_format_value(char *buf, size_t len, const char *unit, const json_t *v)
{
	double x = json_is_number(v) ? json_number_value(v) : NAN;

	if (!isfinite(x))
		snprintf(buf, len, "-");
	else if (!strcmp(unit, "ns"))
		snprintf(buf, len, x >= 1e9 ? "%.3g s" : x >= 1e6 ? "%.3g ms" : x >= 1e3 ? "%.3g us"
								      : "%.3g ns",
			 x >= 1e9 ? x / 1e9 : x >= 1e6 ? x / 1e6 : x >= 1e3 ? x / 1e3 : x);
	else if (!strcmp(unit, "/s"))
		snprintf(buf, len, x >= 1e6 ? "%.4gM/s" : x >= 1e3 ? "%.4gk/s" : "%.4g/s",
			 x >= 1e6 ? x / 1e6 : x >= 1e3 ? x / 1e3 : x);
	else
		snprintf(buf, len, "%.3f", x);
}

static void ratio_text(char *buf, size_t len, const json_t *r)
{
	if (!isfinite(num(r, "ratio")))
		snprintf(buf, len, "-");
	else if (isfinite(num(r, "ci95_low")))
		snprintf(buf, len, "%.3f [%.3f, %.3f]", num(r, "ratio"), num(r, "ci95_low"),
			 num(r, "ci95_high"));
	else
		snprintf(buf, len, "%.3f", num(r, "ratio"));
}

static void header_line(FILE *f, const json_t *qos)
{
	const char *base = jstr(qos, "baseline") ?: "default";

	fprintf(f, "QoS scorecard: %s vs %s%s (suite %s: %" JSON_INTEGER_FORMAT " rounds x %.3g s%s)\n",
		jstr(qos, "ops") ?: "?", strcmp(base, "default") ? "" : "the ",
		strcmp(base, "default") ? base : "default scheduler", jstr(qos, "suite") ?: "?",
		json_integer_value(json_object_get(qos, "rounds")), num(qos, "duration_s"),
		json_is_true(json_object_get(qos, "calibrate")) ? ", calibrated" : ", no calibration");
}

void scx_qos_scorecard_text(FILE *f, const json_t *qos)
{
	const char *st = jstr(qos, "status") ?: "?";
	const json_t *r, *c = json_object_get(qos, "counts");
	size_t i;

	if (!strcmp(st, "skipped")) {
		fprintf(f, "QoS scorecard: not run: %s\n", jstr(qos, "reason") ?: "?");
		return;
	}
	header_line(f, qos);
	if (strcmp(st, "done"))
		fprintf(f, "Battery %s: %s\n", st, jstr(qos, "reason") ?: "");
	fprintf(f, "%-10s %-52s %11s %11s %-24s %-7s %s\n", "workload", "figure", "custom",
		"baseline", "ratio [95% interval]", "p", "verdict");
	json_array_foreach(json_object_get(qos, "rows"), i, r) {
		char cv[32], bv[32], rt[64], pv[16];
		const char *unit = jstr(r, "unit") ?: "";

		scx_qos_format_value(cv, sizeof(cv), unit, json_object_get(r, "custom"));
		scx_qos_format_value(bv, sizeof(bv), unit, json_object_get(r, "baseline"));
		ratio_text(rt, sizeof(rt), r);
		if (isfinite(num(r, "p")))
			snprintf(pv, sizeof(pv), "%.4f", num(r, "p"));
		else
			snprintf(pv, sizeof(pv), "-");
		fprintf(f, "%-10s %-52s %11s %11s %-24s %-7s %s\n", jstr(r, "workload") ?: "",
			jstr(r, "label") ?: "", cv, bv, rt, pv, jstr(r, "verdict") ?: "");
	}
	fprintf(f, "Rows: %" JSON_INTEGER_FORMAT " worse, %" JSON_INTEGER_FORMAT " better, %"
		JSON_INTEGER_FORMAT " same, %" JSON_INTEGER_FORMAT " inconclusive.",
		json_integer_value(json_object_get(c, "worse")), json_integer_value(json_object_get(c, "better")),
		json_integer_value(json_object_get(c, "same")),
		json_integer_value(json_object_get(c, "inconclusive")));
	if (isfinite(num(qos, "wall_s")))
		fprintf(f, " Battery wall time %.0f s.", num(qos, "wall_s"));
	fputc('\n', f);
	json_array_foreach(json_object_get(qos, "skipped"), i, r)
		fprintf(f, "Skipped %s: %s\n", jstr(r, "workload") ?: "?", jstr(r, "reason") ?: "?");
	if (jstr(qos, "restore.action"))
		fprintf(f, "Scheduler afterwards: %s (%s)\n", jstr(qos, "restore.action"),
			jstr(qos, "restore.ops") ?: jstr(qos, "restore.error") ?: jstr(qos, "ops") ?: "");
}

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* The path of a row's figure in a run's "figures" (from the section's figure table). */
static const char *figure_path(const json_t *qos, const json_t *row)
{
	const json_t *fig;
	size_t i;

	json_array_foreach(json_object_get(qos, "figures"), i, fig)
		if (!strcmp(jstr(fig, "workload") ?: "", jstr(row, "workload") ?: "") &&
		    !strcmp(jstr(fig, "figure") ?: "", jstr(row, "figure") ?: ""))
			return jstr(fig, "path");
	return NULL;
}

/*
 * A row's runs as dots on one line, one lane per side (custom, baseline,
 * calibration), on a linear scale from the smallest to the largest value.
 */
static void dot_plot(FILE *f, const json_t *qos, const json_t *row)
{
	static const struct { const char *side, *color; } lanes[] = {
		{ "custom", "#c03030" }, { "baseline", "#3050c0" }, { "calibration", "#909090" },
	};
	const char *path = figure_path(qos, row), *wl = jstr(row, "workload") ?: "";
	double lo = INFINITY, hi = -INFINITY;
	const json_t *run;
	size_t i;

	if (!path)
		return;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (!(lo <= hi))
				return;
			fputs("<svg width=\"220\" height=\"36\" role=\"img\">", f);
		}
		json_array_foreach(json_object_get(qos, "runs"), i, run) {
			const json_t *v = jget(json_object_get(run, "figures"), path);
			double x;

			if (!json_is_true(json_object_get(run, "valid")) || !json_is_number(v) ||
			    strcmp(jstr(run, "workload") ?: "", wl))
				continue;
			x = json_number_value(v);
			if (pass == 0) {
				lo = fmin(lo, x);
				hi = fmax(hi, x);
				continue;
			}
			for (size_t l = 0; l < sizeof(lanes) / sizeof(lanes[0]); l++)
				if (!strcmp(jstr(run, "side") ?: "", lanes[l].side))
					fprintf(f, "<circle cx=\"%.1f\" cy=\"%zu\" r=\"3\" fill=\"%s\">"
						"<title>%s round %" JSON_INTEGER_FORMAT ": %.6g</title></circle>",
						10 + (hi > lo ? 200 * (x - lo) / (hi - lo) : 100), 6 + 12 * l,
						lanes[l].color, lanes[l].side,
						json_integer_value(json_object_get(run, "round")), x);
		}
	}
	fputs("</svg>", f);
}

void scx_qos_scorecard_html(FILE *f, const json_t *qos)
{
	static const char *const cols[] = { "workload", "figure", "custom", "baseline",
					    "ratio [95% interval]", "p", "verdict",
					    "runs (custom, baseline, calibration)" };
	const json_t *r;
	char *head = NULL;
	size_t i, len = 0;
	FILE *h = open_memstream(&head, &len);

	if (h) {
		if (!strcmp(jstr(qos, "status") ?: "", "skipped"))
			fprintf(h, "QoS scorecard: not run: %s", jstr(qos, "reason") ?: "?");
		else
			header_line(h, qos);
		fclose(h);
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>scx-report QoS scorecard"
	      "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
	      "td,th{border:1px solid #999;padding:2px 6px}td.n{text-align:right}"
	      ".worse{background:#f8c8c8}.better{background:#c8f0c8}.inconclusive{background:#f4ecc0}"
	      "</style></head><body>\n<h1>", f);
	esc(f, head ? head : "QoS scorecard");
	free(head);
	fputs("</h1>\n<table>\n<tr>", f);
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		fputs("<th>", f);
		esc(f, cols[i]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	json_array_foreach(json_object_get(qos, "rows"), i, r) {
		char cv[32], bv[32], rt[64], pv[16] = "-";
		const char *unit = jstr(r, "unit") ?: "";

		scx_qos_format_value(cv, sizeof(cv), unit, json_object_get(r, "custom"));
		scx_qos_format_value(bv, sizeof(bv), unit, json_object_get(r, "baseline"));
		ratio_text(rt, sizeof(rt), r);
		if (isfinite(num(r, "p")))
			snprintf(pv, sizeof(pv), "%.4f", num(r, "p"));
		fputs("<tr class=\"", f);
		esc(f, jstr(r, "verdict"));
		fputs("\"><td>", f);
		esc(f, jstr(r, "workload"));
		fputs("</td><td>", f);
		esc(f, jstr(r, "label"));
		fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td>%s</td><td class=\"n\">"
			"%s</td><td title=\"", cv, bv, rt, pv);
		esc(f, jstr(r, "why"));
		fputs("\">", f);
		esc(f, jstr(r, "verdict"));
		fputs("</td><td>", f);
		dot_plot(f, qos, r);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<p>Dots: one per valid run, red custom, blue baseline, grey calibration, each "
	      "row on its own scale from its smallest to its largest value; all values are in "
	      "qos.json.</p>\n", f);
	json_array_foreach(json_object_get(qos, "skipped"), i, r) {
		fputs("<p>Skipped ", f);
		esc(f, jstr(r, "workload"));
		fputs(": ", f);
		esc(f, jstr(r, "reason"));
		fputs("</p>\n", f);
	}
	fputs("</body></html>\n", f);
}
