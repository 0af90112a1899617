// SPDX-License-Identifier: GPL-2.0-or-later
/* The scheduler lines of summary.txt, from the report's "scheduler" section. */
#include "formats.h"

void scx_summary_scheduler_line(FILE *f, const json_t *r)
{
	const char *ops = jstr(r, "sched_ext.ops");

	if (!json_is_true(jget(r, "sched_ext.supported")))
		fprintf(f, "No custom scheduler: this kernel has no sched_ext\n");
	else if (ops)
		fprintf(f, "Custom scheduler: %s\n", ops);
	else
		fprintf(f, "No custom scheduler is running (default kernel scheduler)\n");
}

void scx_summary_scheduler(FILE *f, const json_t *r)
{
	(void)f;
	(void)r;
}
