// SPDX-License-Identifier: GPL-2.0-or-later
/* The SVG writer behind report.html's charts (see svg.h). */
#include "svg.h"

#include <math.h>
#include <string.h>

void scx_xml_esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* XML 1.0 has no place for other control bytes, even escaped. */
			if ((c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t')
				fputc(c, f);
			else if (c == '\r')
				fputc(' ', f);
		}
	}
}

void scx_svg_fmt_ns(char *buf, size_t len, double v)
{
	static const struct { double div; const char *unit; } u[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" }, { 1, "ns" },
	};
	double a = fabs(v);

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		if (a >= u[i].div || i == sizeof(u) / sizeof(u[0]) - 1) {
			double x = v / u[i].div;

			snprintf(buf, len, fabs(x) >= 10 || x == floor(x) ? "%.0f%s" : "%.1f%s", x,
				 u[i].unit);
			return;
		}
	}
}

void scx_svg_fmt_num(char *buf, size_t len, double v)
{
	double a = fabs(v);

	if (a >= 1e6)
		snprintf(buf, len, "%.3gM", v / 1e6);
	else if (a >= 1e4)
		snprintf(buf, len, "%.3gk", v / 1e3);
	else
		snprintf(buf, len, "%.4g", v);
}

size_t scx_svg_ticks(double lo, double hi, double *v, size_t max)
{
	double span = hi - lo, step, mag, t;
	size_t n = 0;

	if (!(span > 0) || max < 2)
		return 0;
	mag = pow(10, floor(log10(span / (double)(max - 1))));
	step = mag;
	for (double m = 1; m <= 10; m = m == 1 ? 2 : m == 2 ? 5 : 10) {
		step = m * mag;
		if (span / step <= (double)(max - 1))
			break;
	}
	for (t = ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9 && n < max; t += step)
		v[n++] = fabs(t) < step * 1e-9 ? 0 : t;
	return n;
}

size_t scx_svg_log_ticks(double lo, double hi, double *v, size_t max)
{
	size_t n = 0;

	if (!(lo > 0) || !(hi > lo))
		return 0;
	/* Narrow ranges (under two and a half decades) also get the 2 and 5 of each decade. */
	bool fine = log10(hi / lo) < 2.5;
	for (double d = pow(10, floor(log10(lo))); d <= hi * 1.0001 && n < max; d *= 10) {
		static const double m[] = { 1, 2, 5 };

		for (size_t i = 0; i < (fine ? 3u : 1u) && n < max; i++) {
			double t = d * m[i];

			if (t >= lo * 0.9999 && t <= hi * 1.0001)
				v[n++] = t;
		}
	}
	return n;
}

static double scale(const struct scx_svg_axis *a, double v, double p0, double p1)
{
	double t;

	if (a->log) {
		if (!(v > 0))
			v = a->lo;
		t = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	} else {
		t = (v - a->lo) / (a->hi - a->lo);
	}
	if (!isfinite(t))
		t = 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return p0 + t * (p1 - p0);
}

double scx_svg_px(const struct scx_svg *s, double v)
{
	return scale(&s->x, v, s->left, s->right);
}

double scx_svg_py(const struct scx_svg *s, double v)
{
	return scale(&s->y, v, s->bottom, s->top);
}

void scx_svg_begin(struct scx_svg *s, FILE *f, const char *id, double width, double height,
		   const char *title, const char *desc)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->width = width;
	s->height = height;
	s->left = 64;
	s->right = width - 16;
	s->top = 12;
	s->bottom = height - 44;
	s->x = (struct scx_svg_axis){ .lo = 0, .hi = 1 };
	s->y = s->x;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %g %g\" "
		"role=\"img\" aria-labelledby=\"%s-t %s-d\" aria-label=\"", width, height, id, id);
	scx_xml_esc(f, title);
	fprintf(f, "\" preserveAspectRatio=\"xMidYMid meet\">\n<title id=\"%s-t\">", id);
	scx_xml_esc(f, title);
	fprintf(f, "</title>\n<desc id=\"%s-d\">", id);
	scx_xml_esc(f, desc);
	fputs("</desc>\n", f);
}

void scx_svg_end(struct scx_svg *s)
{
	fputs("</svg>\n", s->f);
}

static void fix_axis(struct scx_svg_axis *a)
{
	if (a->log && !(a->lo > 0))
		a->log = false;
	if (!(a->hi > a->lo)) {
		/* A flat range still gets a visible span around its one value. */
		double c = a->lo;

		a->lo = a->log ? c / 2 : c - (c ? fabs(c) / 2 : 1);
		a->hi = a->log ? c * 2 : c + (c ? fabs(c) / 2 : 1);
	}
	if (!a->fmt)
		a->fmt = scx_svg_fmt_num;
}

void scx_svg_axes(struct scx_svg *s, const struct scx_svg_axis *x, const struct scx_svg_axis *y)
{
	s->x = *x;
	s->y = *y;
	fix_axis(&s->x);
	fix_axis(&s->y);
}

void scx_svg_draw_x_labels(struct scx_svg *s, const double *v, const char *const *labels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double px = scx_svg_px(s, v[i]);

		fprintf(s->f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			px, s->top, px, s->bottom);
		scx_svg_text(s, px, s->bottom + 16, "middle", "tick", labels[i]);
	}
}

void scx_svg_draw_y_labels(struct scx_svg *s, const double *v, const char *const *labels, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		double py = scx_svg_py(s, v[i]);

		fprintf(s->f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
			s->left, py, s->right, py);
		scx_svg_text(s, s->left - 6, py + 4, "end", "tick", labels[i]);
	}
}

static void draw_ticks(struct scx_svg *s, const struct scx_svg_axis *a, bool is_x)
{
	double v[16];
	char buf[16][24];
	const char *lab[16];
	size_t n = a->log ? scx_svg_log_ticks(a->lo, a->hi, v, 16) : scx_svg_ticks(a->lo, a->hi, v, 7);

	for (size_t i = 0; i < n; i++) {
		a->fmt(buf[i], sizeof(buf[i]), v[i]);
		lab[i] = buf[i];
	}
	if (is_x)
		scx_svg_draw_x_labels(s, v, lab, n);
	else
		scx_svg_draw_y_labels(s, v, lab, n);
}

void scx_svg_draw_axes(struct scx_svg *s)
{
	fprintf(s->f, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		s->left, s->top, s->right - s->left, s->bottom - s->top);
	draw_ticks(s, &s->x, true);
	draw_ticks(s, &s->y, false);
	if (s->x.label)
		scx_svg_text(s, (s->left + s->right) / 2, s->height - 8, "middle", "axis", s->x.label);
	if (s->y.label) {
		fprintf(s->f, "<text class=\"axis ytitle\" text-anchor=\"middle\" "
			"transform=\"translate(14 %.1f) rotate(-90)\">", (s->top + s->bottom) / 2);
		scx_xml_esc(s->f, s->y.label);
		fputs("</text>\n", s->f);
	}
}

static void tip_close(FILE *f, const char *elem, const char *tip)
{
	if (!tip) {
		fputs("/>\n", f);
		return;
	}
	fputs("><title>", f);
	scx_xml_esc(f, tip);
	fprintf(f, "</title></%s>\n", elem);
}

void scx_svg_dot(struct scx_svg *s, double x, double y, double r, const char *cls, const char *tip)
{
	fprintf(s->f, "<circle class=\"pt %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", cls,
		scx_svg_px(s, x), scx_svg_py(s, y), r);
	tip_close(s->f, "circle", tip);
}

void scx_svg_square(struct scx_svg *s, double x, double y, double r, const char *cls,
		    const char *tip)
{
	fprintf(s->f, "<rect class=\"pt %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		cls, scx_svg_px(s, x) - r, scx_svg_py(s, y) - r, 2 * r, 2 * r);
	tip_close(s->f, "rect", tip);
}

void scx_svg_polyline(struct scx_svg *s, const double *x, const double *y, size_t n,
		      const char *cls, const char *tip)
{
	if (!n)
		return;
	fprintf(s->f, "<polyline class=\"%s\" points=\"", cls);
	for (size_t i = 0; i < n; i++)
		fprintf(s->f, "%s%.1f,%.1f", i ? " " : "", scx_svg_px(s, x[i]), scx_svg_py(s, y[i]));
	fputc('"', s->f);
	tip_close(s->f, "polyline", tip);
}

void scx_svg_bar(struct scx_svg *s, double x0, double x1, double y, const char *cls,
		 const char *tip)
{
	double px0 = scx_svg_px(s, x0), px1 = scx_svg_px(s, x1), py = scx_svg_py(s, y);
	double w = px1 - px0 > 1.5 ? px1 - px0 - 0.5 : 1;

	fprintf(s->f, "<rect class=\"bar %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
		cls, px0, py, w, s->bottom - py);
	tip_close(s->f, "rect", tip);
}

void scx_svg_line(struct scx_svg *s, double x0, double y0, double x1, double y1, const char *cls)
{
	fprintf(s->f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", cls,
		scx_svg_px(s, x0), scx_svg_py(s, y0), scx_svg_px(s, x1), scx_svg_py(s, y1));
}

void scx_svg_text(struct scx_svg *s, double px, double py, const char *anchor, const char *cls,
		  const char *text)
{
	fprintf(s->f, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", cls, px, py,
		anchor);
	scx_xml_esc(s->f, text);
	fputs("</text>\n", s->f);
}
