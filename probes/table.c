// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The probe table: one row per data source, in run order.  Later rows see
 * the results of earlier ones (the scheduler identity probe reads what the
 * sched_ext probe found).  Add a probe: one file in probes/, one row here.
 */
#include "probe.h"
#include "probes.h"

const struct scx_probe scx_probes[] = {
	{ 0 }
};
