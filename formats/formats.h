/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderers: they read the report model and write one format each. */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "model.h"

/* summary.txt: what a support engineer reads first. */
void scx_summary_render(FILE *f, const json_t *report);
/* report.html: the same, for a browser, self-contained. */
void scx_html_render(FILE *f, const json_t *report);
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
/* The scheduler's own voice: scx_stats, a live dump, its output, hang readiness (summary-voice.c). */
void scx_summary_voice(FILE *f, const json_t *report);
/* A JSON scalar as text (strings cut at max_chars), "-" for anything else. */
void scx_scalar_text(char *buf, size_t len, const json_t *v, int max_chars);
