/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>

#include "options.h"
#include "probe.h"

/* Whether a probe will run with these options; if not, *why says why. */
bool scx_probe_gate(const struct scx_probe *probe, const struct scx_options *opts,
		    const char **why);

/*
 * Run every row of a probe table, each in a child process with a timeout,
 * and merge what each found into report (its top-level keys) and its
 * status into report["probes"], in table order.  stage_dir NULL: probes
 * keep no raw copies.  Never fails the collection: a crashed, hung or
 * failing probe is recorded as "failed".
 */
void scx_run_probes(const struct scx_probe *table, const struct scx_options *opts,
		    const char *stage_dir, json_t *report);
