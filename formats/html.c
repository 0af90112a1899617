// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.html: a self-contained page (no scripts, no external resources)
 * with the summary and the key tables, for a support engineer's browser.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

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

static void row(FILE *f, const char *k, const char *v)
{
	if (!v)
		return;
	fputs("<tr><th>", f);
	esc(f, k);
	fputs("</th><td>", f);
	esc(f, v);
	fputs("</td></tr>\n", f);
}

void scx_html_render(FILE *f, const json_t *r)
{
	char *summary = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&summary, &len);
	const json_t *h;
	size_t i;

	if (mem) {
		scx_summary_render(mem, r);
		fclose(mem);
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>scx-report ", f);
	esc(f, jstr(r, "collection.id"));
	fputs("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:1em auto}"
	      "pre{background:#f4f4f4;padding:1em;overflow-x:auto}"
	      "th{text-align:left;padding-right:1em}.verdict{font-size:1.2em;font-weight:bold}"
	      "</style></head><body>\n<h1>scx-report</h1>\n", f);
	if (jstr(r, "verdict.class")) {
		fputs("<p class=\"verdict\">", f);
		esc(f, jstr(r, "verdict.class"));
		fputs(": ", f);
		esc(f, jstr(r, "verdict.summary"));
		fputs("</p>\n", f);
	}
	fputs("<h2>System</h2><table>\n", f);
	row(f, "host", jstr(r, "collection.hostname"));
	row(f, "collected", jstr(r, "collection.start"));
	row(f, "kernel", jstr(r, "host.kernel"));
	row(f, "os", jstr(r, "host.os"));
	row(f, "sched_ext state", jstr(r, "sched_ext.state"));
	row(f, "scheduler ops", jstr(r, "sched_ext.ops"));
	fputs("</table>\n", f);
	if (json_array_size(jget(r, "history"))) {
		fputs("<h2>sched_ext history</h2><table>\n<tr><th>time</th><th>event</th><th>ops</th>"
		      "<th>reason</th></tr>\n", f);
		json_array_foreach(jget(r, "history"), i, h) {
			fputs("<tr><td>", f);
			esc(f, jstr(h, "time"));
			fputs("</td><td>", f);
			esc(f, jstr(h, "event"));
			fputs("</td><td>", f);
			esc(f, jstr(h, "ops"));
			fputs("</td><td>", f);
			esc(f, jstr(h, "reason"));
			if (jstr(h, "error")) {
				fputs(": ", f);
				esc(f, jstr(h, "error"));
			}
			fputs("</td></tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	fputs("<h2>Summary</h2>\n<pre>", f);
	esc(f, summary);
	fputs("</pre>\n</body></html>\n", f);
	free(summary);
}
