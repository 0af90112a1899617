/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The QoS scorecard (the "qos" section of a report, see collector/qos.h):
 * text for a terminal and summary.txt, HTML for report.html.
 */
#pragma once

#include <jansson.h>
#include <stdio.h>

void scx_qos_scorecard_text(FILE *f, const json_t *qos);
void scx_qos_scorecard_html(FILE *f, const json_t *qos);
/* "12.3 ms", "4.56e+04/s", "0.903": a row's value in its unit. */
void scx_qos_format_value(char *buf, size_t len, const char *unit, const json_t *v);
