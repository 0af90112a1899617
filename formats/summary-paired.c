// SPDX-License-Identifier: GPL-2.0-or-later
/* The paired-run section of summary.txt, from the report's "paired" section. */
#include "formats.h"

void scx_summary_paired(FILE *f, const json_t *r)
{
	const json_t *p = jget(r, "paired");

	if (!p)
		return;
	fprintf(f, "\n== Paired run (custom vs default scheduler) ==\n");
	fprintf(f, "%s%s%s\n", jstr(p, "status") ? jstr(p, "status") : "?",
		jstr(p, "reason") ? ": " : "", jstr(p, "reason") ? jstr(p, "reason") : "");
}
