/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers: they read the report model and write one format each. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* summary.txt: what a support engineer reads first. */
void scx_summary_render(FILE *f, const json_t *report);
/*
 * Whether two summaries state the same facts: the words of the verdict block,
 * the problems and the sched_ext history, in any order and spacing
 * (summary-facts.c).  Counter order, column widths and units may differ.
 */
/*
 * What the report lacks (summary-partial.c): fn for each skipped or failed
 * probe's section, in words, with the reason and whether root would have had it.
 */
typedef void (*scx_missing_fn)(void *userdata, const char *words, const char *reason, bool for_root);
void scx_report_missing(const json_t *report, scx_missing_fn fn, void *userdata);
/* "scheduling latency, kernel log" into buf: what only root could have collected; their count. */
size_t scx_report_missing_for_root(const json_t *report, char *buf, size_t len);
/* summary.txt: the "Partial report: ..." line, and the "Not in this report" section. */
void scx_summary_partial_line(FILE *f, const json_t *report);
void scx_summary_missing(FILE *f, const json_t *report);
bool scx_summary_same_facts(const char *a, size_t alen, const char *b, size_t blen);
/* report.html: the same, for a browser, self-contained. */
void scx_html_render(FILE *f, const json_t *report);
/*
 * report.html of report at dest ("-": standard output), atomically, through
 * lib/outfile.c (replaces only a regular file, and only with force; 0600 when
 * root writes it): 0 or -errno.
 */
int scx_html_write(const char *dest, const json_t *report, bool force);
/* summary.txt and report.html of staged folder top, from its report.json. */
int scx_render_staged(const char *top);

/*
 * Sections owned by the modules that produce the data (one file each in
 * formats/): each writes nothing when its part of the report is absent.
 */
/* One line a person understands: "Custom scheduler: ..." / "No custom scheduler ...". */
void scx_summary_scheduler_line(FILE *f, const json_t *report);
void scx_summary_scheduler(FILE *f, const json_t *report);
void scx_summary_latency(FILE *f, const json_t *report);
void scx_summary_paired(FILE *f, const json_t *report);
void scx_summary_boots(FILE *f, const json_t *report);
