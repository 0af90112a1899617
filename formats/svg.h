/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small SVG writer for report.html: one chart at a time, a plot area with
 * a linear or log axis on each side, and the few marks the report draws
 * (dots, polylines, bars, text).  Colours and strokes come from CSS classes
 * the page defines, so a chart prints and themes like the rest of the page.
 *
 * Every chart is an accessible image: role="img", a <title> and a <desc>
 * (the text alternative), and every mark may carry its own <title> (the
 * value a pointer shows).  Nothing here runs a script or loads a resource.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Every page's Content-Security-Policy: no script, no fetch, no frame, no
 * form; inline styles and data: images only.  A string that slipped past
 * scx_xml_esc() still cannot run.
 */
#define SCX_HTML_CSP_META "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; " \
	"style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"

/*
 * The one HTML escape layer: every string from a report goes through it.
 * Writes s with the five XML specials escaped and control bytes dropped.
 */
void scx_xml_esc(FILE *f, const char *s);

/* A tick label: write v (a data value) in a few characters into buf. */
typedef void (*scx_svg_fmt)(char *buf, size_t len, double v);
/* Durations in ns: "950ns", "12us", "4.5ms", "1.2s". */
void scx_svg_fmt_ns(char *buf, size_t len, double v);
/* Plain numbers: "0.5", "12", "3.4k", "1.2M". */
void scx_svg_fmt_num(char *buf, size_t len, double v);

struct scx_svg_axis {
	double lo, hi;		/* data range */
	bool log;		/* log10 scale (lo must be > 0) */
	scx_svg_fmt fmt;	/* tick labels; NULL: scx_svg_fmt_num */
	const char *label;	/* axis title, or NULL */
};

struct scx_svg {
	FILE *f;
	double width, height;		/* viewBox */
	double left, top, right, bottom;	/* plot area edges in viewBox units */
	struct scx_svg_axis x, y;
};

/*
 * Open a chart of width x height viewBox units with the plot area inset by
 * the margins; id names its <title>/<desc> (unique within the page).
 */
void scx_svg_begin(struct scx_svg *s, FILE *f, const char *id, double width, double height,
		   const char *title, const char *desc);
void scx_svg_end(struct scx_svg *s);

/* Set the axes (a log axis with lo <= 0 falls back to linear). */
void scx_svg_axes(struct scx_svg *s, const struct scx_svg_axis *x, const struct scx_svg_axis *y);
/* Draw the frame, grid lines, ticks with labels and the axis titles. */
void scx_svg_draw_axes(struct scx_svg *s);
/* Draw x ticks at given values with given labels instead of computed ones. */
void scx_svg_draw_x_labels(struct scx_svg *s, const double *v, const char *const *labels, size_t n);
void scx_svg_draw_y_labels(struct scx_svg *s, const double *v, const char *const *labels, size_t n);

/* Map a data value to viewBox units (clamped to the plot area). */
double scx_svg_px(const struct scx_svg *s, double v);
double scx_svg_py(const struct scx_svg *s, double v);

/* Marks: cls is a CSS class (e.g. "custom"), tip a <title> or NULL. */
void scx_svg_dot(struct scx_svg *s, double x, double y, double r, const char *cls,
		 const char *tip);
void scx_svg_square(struct scx_svg *s, double x, double y, double r, const char *cls,
		    const char *tip);
void scx_svg_polyline(struct scx_svg *s, const double *x, const double *y, size_t n,
		      const char *cls, const char *tip);
/* A bar from y = baseline to y over [x0, x1]. */
void scx_svg_bar(struct scx_svg *s, double x0, double x1, double y, const char *cls,
		 const char *tip);
/* A line segment in data units. */
void scx_svg_line(struct scx_svg *s, double x0, double y0, double x1, double y1, const char *cls);
/* Text at viewBox coordinates; anchor is "start", "middle" or "end". */
void scx_svg_text(struct scx_svg *s, double px, double py, const char *anchor, const char *cls,
		  const char *text);

/* "Nice" linear ticks over [lo, hi]: at most max values into v, returns how many. */
size_t scx_svg_ticks(double lo, double hi, double *v, size_t max);
/* Ticks at powers of ten (and 1-2-5 steps when the range is narrow). */
size_t scx_svg_log_ticks(double lo, double hi, double *v, size_t max);
