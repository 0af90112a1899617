/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The paired run's statistics: pure, JSON in, JSON out (paired-analyze.c). */
#pragma once

#include <jansson.h>

/*
 * The statistics of a paired section (from its "runs"): sets "tests" (one
 * Mann-Whitney U test per figure, custom vs default, and the calibration
 * pair), "reproducer" (failures per side, Fisher's exact test) and "result"
 * (the primary figure, its effect size and whether the difference counts).
 * Used by scx_paired_run and by tests on synthetic run tables.
 */
void scx_paired_analyze(json_t *paired);

/* A difference must exceed the latency histograms' bucket error (k = 5). */
#define SCX_PAIRED_BUCKET_ERROR 0.016
#define SCX_PAIRED_ALPHA 0.05
