// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers shared by report.html's sections (see html.h). */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "html.h"
#include "model.h"
#include "util.h"

double html_num(const json_t *o, const char *path)
{
	const json_t *v = jget(o, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

void html_fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "—");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
}

void html_fmt_ns(char *buf, size_t len, double ns)
{
	if (isnan(ns))
		snprintf(buf, len, "—");
	else
		format_ns(buf, len, ns);
}

void html_row(FILE *f, const char *key, const char *value)
{
	if (!value)
		return;
	fputs("<tr><th scope=\"row\">", f);
	scx_xml_esc(f, key);
	fputs("</th><td>", f);
	scx_xml_esc(f, value);
	fputs("</td></tr>\n", f);
}

void html_rowf(FILE *f, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_row(f, key, buf);
}

void html_td(FILE *f, const char *text)
{
	fputs("<td>", f);
	scx_xml_esc(f, text ? text : "");
	fputs("</td>", f);
}

void html_tdf(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_td(f, buf);
}

void html_thead(FILE *f, const char *const *cols)
{
	fputs("<thead><tr>", f);
	for (; *cols; cols++) {
		fputs("<th scope=\"col\">", f);
		scx_xml_esc(f, *cols);
		fputs("</th>", f);
	}
	fputs("</tr></thead>\n", f);
}

void html_figure_begin(FILE *f, const char *id)
{
	fprintf(f, "<figure class=\"chart-fig\" id=\"%s\">\n", id);
}

void html_figure_caption(FILE *f, const char *caption)
{
	fputs("<figcaption>", f);
	scx_xml_esc(f, caption);
	fputs("</figcaption>\n", f);
}

void html_fallback_begin(FILE *f, const char *what, const char *const *cols)
{
	fputs("<details class=\"fallback\"><summary>", f);
	scx_xml_esc(f, what);
	fputs("</summary>\n<div class=\"scroll\"><table class=\"data fallback-table\">\n", f);
	html_thead(f, cols);
	fputs("<tbody>\n", f);
}

void html_fallback_end(FILE *f)
{
	fputs("</tbody></table></div></details>\n", f);
}

void html_figure_end(FILE *f)
{
	fputs("</figure>\n", f);
}
