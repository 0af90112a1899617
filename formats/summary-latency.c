// SPDX-License-Identifier: GPL-2.0-or-later
/* The latency section of summary.txt, from the report's "latency" section. */
#include "formats.h"

void scx_summary_latency(FILE *f, const json_t *r)
{
	const json_t *l = jget(r, "latency");

	if (!l)
		return;
	fprintf(f, "\n== Scheduling latency ==\n");
	if (jstr(l, "status") && !json_is_object(jget(l, "runq")))
		fprintf(f, "not measured: %s\n", jstr(l, "reason") ? jstr(l, "reason") : jstr(l, "status"));
}
