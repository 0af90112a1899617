// SPDX-License-Identifier: GPL-2.0-or-later
/* `scx-report latency`: lands with the latency probe (issue 5). */
#include "util.h"
#include "verbs.h"

void help_latency(FILE *f)
{
	fprintf(f, "Usage: scx-report latency [--duration S] [--json]\n");
}

int verb_latency(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	scx_log_error("latency: not available in this build");
	return SCX_EXIT_FAIL;
}
