// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: the latency histograms as bar charts, one per histogram
 * (runq, preempt, slice), from the report's log2_buckets [[lo_ns, count]]
 * on a log time axis and a log count axis (so the tail, where scheduler
 * trouble lives, stays visible), with the percentiles as a table.
 */
#include <math.h>
#include <string.h>

#include "html.h"
#include "model.h"
#include "summary-latency.h"

static const struct {
	const char *key, *title;
} hists[] = {
	{ "runq", "Wakeup to run (runq)" },
	{ "preempt", "Preempted to running again" },
	{ "slice", "CPU time per stint (slice)" },
};

static void percentiles_rows(FILE *f, const char *label, const json_t *h)
{
	static const char *const keys[] = { "count", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns",
					    "mean_ns" };
	char a[32];

	if (!h)
		return;
	fputs("<tr>", f);
	html_td(f, label);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (i == 0)
			html_fmt_num(a, sizeof(a), html_num(h, keys[i]));
		else
			html_fmt_ns(a, sizeof(a), html_num(h, keys[i]));
		html_td(f, a);
	}
	fputs("</tr>\n", f);
}

static void hist_chart(FILE *f, const char *key, const char *title, const json_t *h)
{
	const json_t *b = json_object_get(h, "log2_buckets"), *e;
	double lo = INFINITY, hi = 0, cmax = 0;
	char id[32], desc[512], t[160], a[32], c[32];
	struct scx_svg s;
	size_t i;

	json_array_foreach(b, i, e) {
		double x = json_number_value(json_array_get(e, 0)), n = json_number_value(json_array_get(e, 1));

		if (!(x > 0) || !(n > 0))
			continue;
		lo = fmin(lo, x);
		hi = fmax(hi, 2 * x);
		cmax = fmax(cmax, n);
	}
	if (!(cmax > 0))
		return;
	html_fmt_ns(a, sizeof(a), html_num(h, "p50_ns"));
	html_fmt_ns(c, sizeof(c), html_num(h, "p99_ns"));
	snprintf(desc, sizeof(desc), "Histogram of %s: %.0f events, p50 %s, p99 %s; bars are powers of "
		 "two on a log time axis, heights on a log count axis.", title, html_num(h, "count"), a, c);
	snprintf(id, sizeof(id), "lat-%s", key);
	fputs("<h3>", f);
	scx_xml_esc(f, title);
	fputs("</h3>\n", f);
	html_figure_begin(f, id);
	snprintf(id, sizeof(id), "lat-%s-svg", key);
	scx_svg_begin(&s, f, id, 640, 300, title, desc);
	scx_svg_axes(&s, &(struct scx_svg_axis){ .lo = lo, .hi = hi, .log = true, .fmt = scx_svg_fmt_ns,
						  .label = "delay (log scale)" },
		     &(struct scx_svg_axis){ .lo = 0.7, .hi = cmax * 1.5, .log = true,
					     .label = "events (log scale)" });
	scx_svg_draw_axes(&s);
	json_array_foreach(b, i, e) {
		double x = json_number_value(json_array_get(e, 0)), n = json_number_value(json_array_get(e, 1));

		if (!(x > 0) || !(n > 0))
			continue;
		html_fmt_ns(a, sizeof(a), x);
		html_fmt_ns(c, sizeof(c), 2 * x);
		snprintf(t, sizeof(t), "%s to %s: %.0f", a, c, n);
		scx_svg_bar(&s, x, 2 * x, n, "", t);
	}
	for (const char *const *p = (const char *const[]){ "p50_ns", "p99_ns", NULL }; *p; p++) {
		double v = html_num(h, *p);

		if (!(v > 0))
			continue;
		scx_svg_line(&s, v, s.y.lo, v, s.y.hi, "ref");
		scx_svg_text(&s, scx_svg_px(&s, v) + 3, s.top + 14, "start", "lbl",
			     !strcmp(*p, "p50_ns") ? "p50" : "p99");
	}
	scx_svg_end(&s);
	html_figure_caption(f, "Events per power-of-two delay range; dashed lines mark p50 and p99 "
			    "(from the fine 1.6% buckets).");
	html_fallback_begin(f, "Table of the buckets", (const char *const[]){ "from", "to", "events",
									       NULL });
	json_array_foreach(b, i, e) {
		double x = json_number_value(json_array_get(e, 0));

		fputs("<tr>", f);
		html_fmt_ns(a, sizeof(a), x);
		html_td(f, a);
		html_fmt_ns(a, sizeof(a), 2 * x);
		html_td(f, a);
		html_fmt_num(a, sizeof(a), json_number_value(json_array_get(e, 1)));
		html_td(f, a);
		fputs("</tr>\n", f);
	}
	html_fallback_end(f);
	html_figure_end(f);
}

void html_section_latency(FILE *f, const json_t *r)
{
	const json_t *l = jget(r, "latency");
	const char *what, *caveat;
	char a[64];

	if (!l)
		return;
	fputs("<section id=\"latency\"><h2>Scheduling latency</h2>\n", f);
	if (strcmp(jstr(l, "status") ?: "", "ok") != 0) {
		fputs("<p>Not sampled: ", f);
		scx_xml_esc(f, jstr(l, "reason") ?: jstr(l, "status") ?: "no data");
		fputs(".</p></section>\n", f);
		return;
	}
	html_fmt_num(a, sizeof(a), html_num(l, "duration_s"));
	fprintf(f, "<p>Sampled %s s with ", a);
	scx_xml_esc(f, jstr(l, "attach") ?: "BPF");
	fputs(" tracepoints", f);
	html_fmt_num(a, sizeof(a), html_num(l, "overhead.ns_per_event"));
	if (!isnan(html_num(l, "overhead.ns_per_event")))
		fprintf(f, "; probe cost %s ns per event", a);
	scx_latency_source_words(l, &what, &caveat);
	if (what) {
		fputs(". Waits: ", f);
		scx_xml_esc(f, what);
		if (caveat) {
			fputs("; ", f);
			scx_xml_esc(f, caveat);
		}
	}
	fputs(".</p>\n<div class=\"scroll\"><table class=\"data\" id=\"latency-percentiles\">\n", f);
	html_thead(f, (const char *const[]){ "histogram", "count", "p50", "p90", "p99", "p99.9", "max",
					     "mean", NULL });
	fputs("<tbody>\n", f);
	for (size_t i = 0; i < sizeof(hists) / sizeof(hists[0]); i++) {
		char lab[64];

		percentiles_rows(f, hists[i].key, json_object_get(l, hists[i].key));
		snprintf(lab, sizeof(lab), "%s, RT/DL tasks", hists[i].key);
		if (html_num(json_object_get(l, hists[i].key), "by_class.rt_dl.count") > 0)
			percentiles_rows(f, lab, jget(json_object_get(l, hists[i].key), "by_class.rt_dl"));
	}
	fputs("</tbody></table></div>\n", f);
	for (size_t i = 0; i < sizeof(hists) / sizeof(hists[0]); i++)
		hist_chart(f, hists[i].key, hists[i].title, json_object_get(l, hists[i].key));
	fputs("</section>\n", f);
}
