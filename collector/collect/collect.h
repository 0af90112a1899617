/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <jansson.h>

#include "options.h"
#include "probe.h"

/*
 * A whole collection: probes of the table in order, then the paired run
 * and the verdict, then the formats, then the bundle.  Returns an exit
 * code of scx-report(1).  The table is a parameter so tests can run
 * probes that fail or hang.
 */
int scx_collect(const struct scx_probe *table, const struct scx_options *opts);

/* "scx-report-<host>-<yyyymmddThhmmssZ>" for a collection started at real_ns. */
void scx_bundle_basename(char *buf, size_t len, const char *host, uint64_t real_ns);
