// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: the sched_ext history as a timeline, one lane per boot.
 *
 * This boot's events are report.history (an array; or history.events when
 * history is an object).  Earlier boots, when the bundle has them, are
 * history.boots or boots: [{label | boot_id | index, events [...], clean,
 * start, end}], each event with uptime_s (or time), event, ops, reason.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "model.h"

#define MAX_LANES 16

struct lane {
	char label[64];
	const json_t *boot;	/* the boot object, or NULL for this boot */
	const json_t *events;
};

static double ev_time(const json_t *e)
{
	double t = html_num(e, "uptime_s");

	if (isnan(t) && jstr(e, "time"))
		t = strtod(jstr(e, "time"), NULL);
	return t;
}

static const char *ev_class(const char *ev)
{
	if (!ev)
		return "ev-other";
	if (!strcmp(ev, "enabled"))
		return "ev-enabled";
	if (!strcmp(ev, "disabled"))
		return "ev-disabled";
	if (!strcmp(ev, "error") || !strcmp(ev, "oops") || !strcmp(ev, "soft-lockup"))
		return "ev-error";
	return "ev-other";
}

static size_t gather(const json_t *r, struct lane *lanes)
{
	const json_t *h = jget(r, "history"), *boots, *b;
	size_t n = 0, i;

	boots = json_is_object(h) ? json_object_get(h, "boots") : jget(r, "boots");
	json_array_foreach(boots, i, b) {
		const json_t *ev = json_object_get(b, "events");

		if (n == MAX_LANES - 1)
			break;
		if (!json_is_array(ev))
			continue;
		if (json_is_true(json_object_get(b, "current")))
			snprintf(lanes[n].label, sizeof(lanes[n].label), "this boot");
		else if (jstr(b, "label"))
			snprintf(lanes[n].label, sizeof(lanes[n].label), "%s", jstr(b, "label"));
		else if (!isnan(html_num(b, "index")))
			snprintf(lanes[n].label, sizeof(lanes[n].label), "boot %+.0f", html_num(b, "index"));
		else if (jstr(b, "boot_id"))
			snprintf(lanes[n].label, sizeof(lanes[n].label), "boot %.8s", jstr(b, "boot_id"));
		else
			snprintf(lanes[n].label, sizeof(lanes[n].label), "boot %zu", i + 1);
		lanes[n].boot = b;
		lanes[n++].events = ev;
	}
	if (json_is_object(h))
		h = json_object_get(h, "events");
	/* Boots from the boots section already hold this one when they say so. */
	if (json_is_array(h) && !(n && json_is_true(json_object_get(lanes[n - 1].boot, "current")))) {
		snprintf(lanes[n].label, sizeof(lanes[n].label), "this boot");
		lanes[n].boot = NULL;
		lanes[n++].events = h;
	}
	return n;
}

static void tip(char *buf, size_t len, const char *lane, const json_t *e)
{
	snprintf(buf, len, "%s, %.3f s after boot: %s%s%s%s%s", lane, ev_time(e),
		 jstr(e, "event") ? jstr(e, "event") : "?", jstr(e, "ops") ? " " : "",
		 jstr(e, "ops") ? jstr(e, "ops") : "", jstr(e, "reason") ? " — " : "",
		 jstr(e, "reason") ? jstr(e, "reason") : "");
}

static void chart(FILE *f, struct lane *lanes, size_t n, double tmax, size_t nev)
{
	struct scx_svg s;
	char desc[512], t[512];
	double height = 70 + 40 * (double)n;
	const json_t *e;
	size_t i;

	snprintf(desc, sizeof(desc), "Timeline of %zu sched_ext event(s) over %zu boot(s), by time since"
		 " boot: green enabled, grey disabled, red errors.", nev, n);
	scx_svg_begin(&s, f, "hist-svg", 640, height, "sched_ext history timeline", desc);
	s.left = 96;
	scx_svg_axes(&s, &(struct scx_svg_axis){ .lo = 0, .hi = tmax * 1.05, .label = "seconds since boot" },
		     &(struct scx_svg_axis){ .lo = -0.5, .hi = (double)n - 0.5 });
	fprintf(f, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		s.left, s.top, s.right - s.left, s.bottom - s.top);
	{
		double v[8];
		char lb[8][24];
		const char *lab[8];
		size_t k = scx_svg_ticks(s.x.lo, s.x.hi, v, 7);

		for (i = 0; i < k; i++) {
			scx_svg_fmt_num(lb[i], sizeof(lb[i]), v[i]);
			lab[i] = lb[i];
		}
		scx_svg_draw_x_labels(&s, v, lab, k);
		scx_svg_text(&s, (s.left + s.right) / 2, s.height - 8, "middle", "axis", s.x.label);
	}
	for (size_t l = 0; l < n; l++) {
		double y = (double)(n - 1 - l);

		scx_svg_line(&s, s.x.lo, y, s.x.hi, y, "lane");
		scx_svg_text(&s, s.left - 6, scx_svg_py(&s, y) + 4, "end", "lbl", lanes[l].label);
		json_array_foreach(lanes[l].events, i, e) {
			double x = ev_time(e);

			if (isnan(x))
				continue;
			tip(t, sizeof(t), lanes[l].label, e);
			scx_svg_dot(&s, x, y, 6, ev_class(jstr(e, "event")), t);
			if (json_array_size(lanes[l].events) <= 6 && jstr(e, "ops"))
				scx_svg_text(&s, scx_svg_px(&s, x), scx_svg_py(&s, y) - 10, "middle", "lbl",
					     jstr(e, "ops"));
		}
	}
	scx_svg_end(&s);
}

void html_section_history(FILE *f, const json_t *r)
{
	struct lane lanes[MAX_LANES];
	size_t n = gather(r, lanes), nev = 0, i;
	double tmax = 0;
	const json_t *e;
	char t[32];

	fputs("<section id=\"history\"><h2>sched_ext history</h2>\n", f);
	for (size_t l = 0; l < n; l++)
		json_array_foreach(lanes[l].events, i, e) {
			nev++;
			if (ev_time(e) > tmax)
				tmax = ev_time(e);
		}
	if (!nev) {
		fputs(json_is_false(jget(r, "sched_ext.supported"))
			      ? "<p>This kernel has no sched_ext: no history.</p>\n"
			      : "<p>No scheduler has been enabled since boot.</p>\n", f);
		fputs("</section>\n", f);
		return;
	}
	html_figure_begin(f, "fig-history");
	chart(f, lanes, n, tmax > 0 ? tmax : 1, nev);
	html_figure_caption(f, "sched_ext events by time since boot, one lane per boot (hover a dot for"
			    " its reason).");
	html_fallback_begin(f, "Table of the events", (const char *const[]){
		"boot", "time (s)", "event", "ops", "reason", "error", NULL });
	for (size_t l = 0; l < n; l++)
		json_array_foreach(lanes[l].events, i, e) {
			fputs("<tr>", f);
			html_td(f, lanes[l].label);
			html_fmt_num(t, sizeof(t), ev_time(e));
			html_td(f, t);
			html_td(f, jstr(e, "event"));
			html_td(f, jstr(e, "ops"));
			html_td(f, jstr(e, "reason"));
			html_td(f, jstr(e, "error"));
			fputs("</tr>\n", f);
		}
	html_fallback_end(f);
	html_figure_end(f);
	fputs("</section>\n", f);
}
