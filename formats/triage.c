// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report triage` as a text table and as an HTML page (see reader.h). */
#include <string.h>

#include "html.h"
#include "model.h"
#include "reader.h"

static const struct {
	const char *key, *title;
	int max;
} cols[] = {
	{ "file", "FILE", 36 },	/* the bundle's file name: two rows of one host differ by it */
	{ "host", "HOST", 24 },
	{ "collected_at", "COLLECTED", 20 },
	{ "kernel", "KERNEL", 30 },
	{ "scheduler", "SCHEDULER", 16 },
	{ "version", "VERSION", 12 },
	{ "provenance", "PROVENANCE", 18 },
	{ "verdict", "VERDICT", 28 },
	{ "key_figure", "KEY FIGURE", 40 },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const char *cell(const json_t *row, const char *key)
{
	if (!strcmp(key, "file")) {
		const char *p = jstr(row, "path"), *slash = p ? strrchr(p, '/') : NULL;

		return slash && slash[1] ? slash + 1 : p ? p : "-";
	}
	return jstr(row, key) ? jstr(row, key) : "-";
}

/* Column text without control bytes, cut at max with a trailing '~'. */
static void put_cell(FILE *f, const char *s, int width, int max, bool last)
{
	int n = 0;

	for (; *s && n < max; s++, n++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	if (*s) {
		fputc('~', f);
		n++;
	}
	if (!last)
		fprintf(f, "%*s", width - n + 2, "");
}

void scx_triage_render(FILE *f, const json_t *t)
{
	const json_t *rows = json_object_get(t, "bundles"), *row;
	int width[NCOLS];
	size_t i;

	for (size_t c = 0; c < NCOLS; c++) {
		width[c] = (int)strlen(cols[c].title);
		json_array_foreach(rows, i, row) {
			int n = (int)strlen(cell(row, cols[c].key));

			n = n > cols[c].max ? cols[c].max + 1 : n;
			width[c] = n > width[c] ? n : width[c];
		}
	}
	for (size_t c = 0; c < NCOLS; c++)
		put_cell(f, cols[c].title, width[c], 99, c == NCOLS - 1);
	fputc('\n', f);
	json_array_foreach(rows, i, row) {
		for (size_t c = 0; c < NCOLS; c++)
			put_cell(f, cell(row, cols[c].key), width[c], cols[c].max, c == NCOLS - 1);
		fputc('\n', f);
	}
	fprintf(f, "\n%zu bundle(s) read, %zu refused.\n", json_array_size(rows),
		json_array_size(json_object_get(t, "refused")));
	json_array_foreach(json_object_get(t, "refused"), i, row) {
		fputs("REFUSED ", f);
		put_cell(f, cell(row, "path"), 0, 200, true);
		fputs(": ", f);
		put_cell(f, cell(row, "reason"), 0, 300, true);
		fputc('\n', f);
	}
	fputs("\nBundles by scheduler version and verdict:\n", f);
	json_array_foreach(json_object_get(t, "counts"), i, row) {
		char sv[128];

		snprintf(sv, sizeof(sv), "%s %s", cell(row, "scheduler"), cell(row, "version"));
		fprintf(f, "%6lld  ", (long long)json_integer_value(json_object_get(row, "bundles")));
		put_cell(f, sv, 32, 31, false);
		put_cell(f, cell(row, "verdict"), 0, 40, true);
		fputc('\n', f);
	}
	if (!json_array_size(json_object_get(t, "signatures")))
		return;
	fputs("\nBundles by failure signature:\n", f);
	json_array_foreach(json_object_get(t, "signatures"), i, row) {
		fprintf(f, "%6lld  ", (long long)json_integer_value(json_object_get(row, "bundles")));
		put_cell(f, cell(row, "verdict"), 30, 29, false);
		put_cell(f, cell(row, "signature"), 0, 120, true);
		fputc('\n', f);
	}
}

static void verdict_td(FILE *f, const char *v)
{
	bool plain = v && strspn(v, "abcdefghijklmnopqrstuvwxyz-") == strlen(v);

	fprintf(f, "<td class=\"vcell v-%s\">", plain ? v : "unknown");
	scx_xml_esc(f, v ? v : "-");
	fputs("</td>", f);
}

void scx_triage_render_html(FILE *f, const json_t *t)
{
	const json_t *rows = json_object_get(t, "bundles"), *row;
	size_t i;

	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		SCX_HTML_CSP_META "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>scx-report triage: %zu bundles</title>\n<style>\n%s"
		".vcell{color:var(--vc);background:var(--vb);font-weight:600}\n"
		"body{max-width:none}#bundles td{white-space:nowrap}\n</style></head><body>\n"
		"<h1>scx-report triage</h1>\n<p class=\"meta\">%zu bundle(s) read, %zu refused.</p>\n",
		json_array_size(rows), html_css, json_array_size(rows),
		json_array_size(json_object_get(t, "refused")));
	fputs("<h2>By scheduler version and verdict</h2>\n<div class=\"scroll\"><table class=\"data\" "
	      "id=\"counts\">\n", f);
	html_thead(f, (const char *const[]){ "bundles", "scheduler", "version", "verdict", NULL });
	fputs("<tbody>\n", f);
	json_array_foreach(json_object_get(t, "counts"), i, row) {
		fprintf(f, "<tr><td>%lld</td>", (long long)json_integer_value(json_object_get(row, "bundles")));
		html_td(f, cell(row, "scheduler"));
		html_td(f, cell(row, "version"));
		verdict_td(f, jstr(row, "verdict"));
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n<h2>Bundles</h2>\n<div class=\"scroll\"><table class=\"data\" "
	      "id=\"bundles\">\n", f);
	html_thead(f, (const char *const[]){ "host", "collected", "kernel", "scheduler", "version",
					     "provenance", "verdict", "key figure", "bundle", NULL });
	fputs("<tbody>\n", f);
	json_array_foreach(rows, i, row) {
		fputs("<tr>", f);
		for (size_t c = 0; c < NCOLS; c++) {
			if (!strcmp(cols[c].key, "verdict"))
				verdict_td(f, jstr(row, "verdict"));
			else
				html_td(f, cell(row, cols[c].key));
		}
		html_td(f, cell(row, "path"));
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table></div>\n", f);
	if (json_array_size(json_object_get(t, "refused"))) {
		fputs("<h2>Refused bundles</h2>\n<div class=\"scroll\"><table class=\"data\" id=\"refused\">\n", f);
		html_thead(f, (const char *const[]){ "bundle", "why", NULL });
		fputs("<tbody>\n", f);
		json_array_foreach(json_object_get(t, "refused"), i, row) {
			fputs("<tr>", f);
			html_td(f, cell(row, "path"));
			html_td(f, cell(row, "reason"));
			fputs("</tr>\n", f);
		}
		fputs("</tbody></table></div>\n", f);
	}
	fputs("</body></html>\n", f);
}
