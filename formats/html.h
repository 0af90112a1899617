/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.html's parts (formats/html-*.c): each section writes nothing when
 * its part of the report is absent.  Every chart is a <figure> with the SVG
 * (its own text alternative), a <figcaption> and a table of the same data.
 */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "svg.h"

/* A number at a dotted path, NAN when absent or not a number. */
double html_num(const json_t *o, const char *path);
/* The number as text ("12", "0.0794", "1.2e+07"), "—" when NAN. */
void html_fmt_num(char *buf, size_t len, double v);
/* A duration in ns as text ("4.65ms"), "—" when NAN. */
void html_fmt_ns(char *buf, size_t len, double ns);

/* <tr><th>key</th><td>value</td></tr>, nothing when value is NULL. */
void html_row(FILE *f, const char *key, const char *value);
void html_rowf(FILE *f, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* <td>text</td> (escaped), and the same with a printf format. */
void html_td(FILE *f, const char *text);
void html_tdf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A table's header row from a NULL-terminated list. */
void html_thead(FILE *f, const char *const *cols);

/* <figure id=ID> ... caption, then the fallback table opened with its header row. */
void html_figure_begin(FILE *f, const char *id);
void html_figure_caption(FILE *f, const char *caption);
void html_fallback_begin(FILE *f, const char *what, const char *const *cols);
void html_fallback_end(FILE *f);
void html_figure_end(FILE *f);

void html_section_identity(FILE *f, const json_t *report);
void html_section_history(FILE *f, const json_t *report);
void html_section_paired(FILE *f, const json_t *report);
void html_section_latency(FILE *f, const json_t *report);
/* scx_stats, live dump, output, hang readiness (html-voice.c). */
void html_section_voice(FILE *f, const json_t *report);
/* "Not in this report": the skipped sections with their reasons (summary-partial.c). */
void html_section_missing(FILE *f, const json_t *report);

/* The page's style sheet (screen, narrow screens, print). */
extern const char html_css[];
