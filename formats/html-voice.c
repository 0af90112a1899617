// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: the scheduler's own voice (its scx_stats fields with their descriptions, a live
 * debug dump, its output) and what a hard hang would leave, with what to enable.
 */
#include <inttypes.h>
#include <string.h>

#include "formats.h"
#include "html.h"
#include "model.h"
#include "util.h"

/* A list "<li>A: B</li>" of arr's objects (B as code when asked), after an optional title. */
static void pairs(FILE *f, const json_t *arr, const char *title, const char *a, const char *b, bool code)
{
	const json_t *e;
	size_t i;

	if (!json_array_size(arr))
		return;
	if (title)
		fprintf(f, "<p>%s</p>\n", title);
	fputs("<ul>\n", f);
	json_array_foreach(arr, i, e) {
		fputs("<li>", f);
		scx_xml_esc(f, jstr_or(e, a, "?"));
		fputs(code ? ": <code>" : ": ", f);
		scx_xml_esc(f, jstr_or(e, b, "?"));
		fputs(code ? "</code></li>\n" : "</li>\n", f);
	}
	fputs("</ul>\n", f);
}

static void stats(FILE *f, const json_t *s)
{
	const json_t *fl;
	size_t i;

	fputs("<h3>Its statistics (scx_stats)</h3>\n", f);
	if (!json_is_true(jget(s, "offered"))) {
		fputs("<p>Not offered: ", f);
		scx_xml_esc(f, jstr_or(s, "reason", "no stats socket"));
		fputs("</p>\n", f);
		return;
	}
	fputs("<p>Socket <code>", f);
	scx_xml_esc(f, jstr_or(s, "socket", "none answered"));
	fputs("</code> (", f);
	scx_xml_esc(f, jstr_or(s, "found_by", jstr_or(s, "reason", "?")));
	fputs("); a sample before and after the latency window.</p>\n", f);
	if (json_array_size(jget(s, "fields"))) {
		fputs("<div class=\"scroll\"><table class=\"data\">\n", f);
		html_thead(f, (const char *const[]){ "struct", "field", "type", "start", "end", "description", NULL });
		fputs("<tbody>\n", f);
		json_array_foreach(jget(s, "fields"), i, fl) {
			const char *st = jstr(fl, "struct"), *name = jstr(fl, "field"), *top = jstr(s, "top");
			bool is_top = !top || (st && !strcmp(st, top));
			char a[160], b[160];

			scx_scalar_text(a, sizeof(a), is_top ? json_object_get(jget(s, "start.values"), name ? name : "") : NULL, 120);
			scx_scalar_text(b, sizeof(b), is_top ? json_object_get(jget(s, "end.values"), name ? name : "") : NULL, 120);
			fputs("<tr>", f);
			html_td(f, st);
			html_td(f, name);
			html_td(f, jstr(fl, "type"));
			html_td(f, a);
			html_td(f, b);
			html_td(f, jstr(fl, "desc"));
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table></div>\n", f);
	}
	pairs(f, jget(s, "errors"), NULL, "socket", "reason", false);
}

static void live_dump(FILE *f, const json_t *d)
{
	char buf[64];

	fputs("<h3>Live debug dump (SysRq-D)</h3>\n<div class=\"scroll\"><table class=\"kv\">\n", f);
	html_row(f, "taken", json_is_true(jget(d, "taken")) ? "yes" : "no");
	html_row(f, "why not", jstr(d, "reason"));
	html_row(f, "scheduler", jstr(d, "dump.ops") ? jstr(d, "dump.ops") : jstr(d, "ops_before"));
	if (json_is_integer(jget(d, "dump.lines"))) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(jget(d, "dump.lines")));
		html_row(f, "lines (live_dump/dump.txt)", buf);
	}
	if (json_is_integer(jget(d, "dump.cpus")))
		html_rowf(f, "CPUs, tasks shown", "%" JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT,
			  json_integer_value(jget(d, "dump.cpus")), json_integer_value(jget(d, "dump.tasks")));
	if (jget(d, "unchanged"))
		html_rowf(f, "afterwards", "%s (ops %s, enable_seq %" JSON_INTEGER_FORMAT " → %" JSON_INTEGER_FORMAT ")",
			  json_is_true(jget(d, "unchanged")) ? "still enabled, unchanged" : "CHANGED",
			  jstr_or(d, "ops_after", "none"), json_integer_value(jget(d, "enable_seq_before")),
			  json_integer_value(jget(d, "enable_seq_after")));
	fputs("</table></div>\n", f);
}

static void output(FILE *f, const json_t *o)
{
	const json_t *s, *l;
	size_t i, k;

	fputs("<h3>Its output</h3>\n<div class=\"scroll\"><table class=\"data\">\n", f);
	html_thead(f, (const char *const[]){ "stream", "goes to", "target", "kept", NULL });
	fputs("<tbody>\n", f);
	json_array_foreach(jget(o, "streams"), i, s) {
		fputs("<tr>", f);
		html_td(f, jstr(s, "name"));
		html_td(f, jstr(s, "kind"));
		html_td(f, jstr(s, "target"));
		if (jstr(s, "tail"))
			html_tdf(f, "last %" JSON_INTEGER_FORMAT " bytes in %s",
				 json_integer_value(jget(s, "tail_bytes")), jstr(s, "tail"));
		else if (jstr(s, "same_as"))
			html_tdf(f, "the same file as %s", jstr(s, "same_as"));
		else
			html_td(f, jstr(s, "note") ? jstr(s, "note") : jstr(s, "reason"));
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	json_array_foreach(jget(o, "streams"), i, s) {
		if (!json_array_size(jget(s, "last_lines")))
			continue;
		fputs("<details><summary>The end of ", f);
		scx_xml_esc(f, jstr_or(s, "name", "?"));
		fputs("</summary><pre>", f);
		json_array_foreach(jget(s, "last_lines"), k, l) {
			scx_xml_esc(f, json_string_value(l));
			fputc('\n', f);
		}
		fputs("</pre></details>\n", f);
	}
	if (jstr(o, "advice")) {
		fputs("<p>", f);
		scx_xml_esc(f, jstr(o, "advice"));
		fputs("</p>\n", f);
	}
}

static void hang(FILE *f, const json_t *h)
{
	static const char *const rows[][2] = {
		{ "hard-lockup detector (nmi_watchdog)", "lockup.nmi_watchdog" },
		{ "soft-lockup detector (soft_watchdog)", "lockup.soft_watchdog" },
		{ "hardlockup_panic", "lockup.hardlockup_panic" },
		{ "softlockup_panic", "lockup.softlockup_panic" },
		{ "panic_on_warn", "panic_on_warn" },
		{ "hung_task_timeout_secs", "hung_task.timeout_secs" },
		{ "kdump capture kernel loaded", "kdump.loaded" },
	};
	size_t i;

	fputs("<h3>If it hangs: what would be left</h3>\n<p><strong>", f);
	fputs(json_is_false(jget(h, "known")) ? "Unknown: the lockup detector settings were not readable." :
	      json_is_true(jget(h, "would_survive_hard_hang")) ? "A hard hang would leave its panic log."
								: "A hard hang would leave no log of itself.", f);
	fputs("</strong></p>\n<div class=\"scroll\"><table class=\"kv\">\n", f);
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		if (json_is_integer(jget(h, rows[i][1])))
			html_rowf(f, rows[i][0], "%" JSON_INTEGER_FORMAT, json_integer_value(jget(h, rows[i][1])));
	html_row(f, "pstore backend", jstr_or(h, "pstore.backend", "none"));
	html_row(f, "crashkernel=", jstr_or(h, "kdump.crashkernel", "not set"));
	html_row(f, "journal", json_is_true(jget(h, "journal.persistent")) ? "persistent" : "not persistent");
	html_row(f, "distribution family", jstr(h, "family"));
	fputs("</table></div>\n", f);
	pairs(f, jget(h, "advice"), "To enable:", "what", "how", true);
}

void html_section_voice(FILE *f, const json_t *r)
{
	const json_t *s = jget(r, "stats"), *d = jget(r, "live_dump"), *o = jget(r, "scheduler_output"),
		     *h = jget(r, "hang_readiness");

	if (!s && !d && !o && !h)
		return;
	fputs("<section id=\"voice\"><h2>The scheduler's own voice</h2>\n", f);
	if (s)
		stats(f, s);
	if (d)
		live_dump(f, d);
	if (o)
		output(f, o);
	if (h)
		hang(f, h);
	fputs("</section>\n", f);
}
