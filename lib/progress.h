/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Progress of long work (latency, the paired run, qos) on one terminal line:
 * "scx-report: paired run: custom scheduler, round 2 of 5, ~40 s left",
 * redrawn in place on standard error when it is a terminal, and nothing at
 * all otherwise (a pipe, a log, a CI job, --quiet).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Whether progress is shown: standard error is a terminal and messages are not quiet. */
bool scx_progress_on(void);
/* Draw the line "scx-report: TEXT, ~LEFT left" (left_ns UINT64_MAX: no time left shown). */
void scx_progress_show(uint64_t left_ns, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Clear the line, when one was drawn. */
void scx_progress_end(void);
/* A time left for people: "~40 s", "~3 min 20 s", "~1 h 5 min". */
void scx_progress_fmt_left(char *buf, unsigned long len, uint64_t left_ns);
