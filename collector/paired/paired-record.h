/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The paired run's record in report.json: what it set out to do, and how it ended. */
#pragma once

#include <jansson.h>

#include "paired-switch.h"

struct scx_paired_opts;

/* "paired" with ops, manager, switch, workload (and command), rounds, duration_s, calibrate. */
json_t *scx_paired_header(const struct scx_switch *sw, const struct scx_paired_opts *opts,
			  const char *workload);

/*
 * status and reason from run_all()'s result: 2 stopped (the scheduler came
 * back by itself), 1 ejected, -EINTR interrupted, < 0 failed (err), else done.
 */
void scx_paired_set_status(json_t *out, int r, const char *err);
