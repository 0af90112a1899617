// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `scx-report list`: the captures of `scx-report watch` in the spool
 * (probes/spool.h), as a table or JSON.
 */
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <string.h>

#include "paths.h"
#include "spool.h"
#include "util.h"
#include "verbs.h"

enum { OPT_SPOOL = 0x100, OPT_JSON };

static const struct option list_options[] = {
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

void help_list(FILE *f)
{
	fprintf(f,
		"Usage: scx-report list [--spool DIR] [--json]\n"
		"\n"
		"List the captures of scx-report watch, oldest first: time, boot, scheduler, size.\n"
		"\n"
		"      --spool DIR        the spool (default " SCX_SPOOL_DIR ")\n"
		"      --json             one JSON array\n"
		"  -h, --help             this help\n");
}

int verb_list(int argc, char **argv)
{
	const char *spool = SCX_SPOOL_DIR;
	struct scx_spool_entry *v = NULL;
	bool json = false, spool_given = false;
	size_t n = 0;
	int c, r;

	optind = 1;
	while ((c = verb_getopt(argc, argv, "h", list_options)) != -1) {
		switch (c) {
		case 'h': help_list(stdout); return SCX_EXIT_OK;
		case OPT_SPOOL: spool = optarg; spool_given = true; break;
		case OPT_JSON: json = true; break;
		default:
			help_list(stderr);
			return SCX_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		scx_log_error("list: unexpected argument '%s'", argv[optind]);
		return SCX_EXIT_USAGE;
	}
	r = scx_spool_list(spool, &v, &n);
	/* The default spool is missing until watch first runs; a folder given by hand must be there. */
	if (r == -ENOENT && spool_given) {
		char why[PATH_MAX + 64];

		scx_path_problem(why, sizeof(why), spool, r, SCX_PATH_DIR);
		scx_log_error("list: --spool %s", why);
		return SCX_EXIT_FAIL;
	} else if (r == -ENOENT) {
		n = 0;
	} else if (r < 0) {
		scx_log_error("list: %s: %s", spool, strerror(-r));
		return SCX_EXIT_FAIL;
	}
	if (json) {
		json_t *a = json_array();
		char *s;

		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:I}", "file", v[i].name,
							   "time", v[i].time, "boot_id", v[i].boot_id,
							   "ops", v[i].ops, "bytes", (json_int_t)v[i].bytes));
		s = json_dumps(a, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(a);
	} else if (!n) {
		printf("no captures in %s\n", spool);
	} else {
		char boot[33] = "";

		scx_boot_id("", boot);
		printf("%-16s  %-8s  %-28s  %8s  %s\n", "TIME", "BOOT", "SCHEDULER", "KIB", "FILE");
		for (size_t i = 0; i < n; i++)
			printf("%-16s  %-8s  %-28s  %8" PRIu64 "  %s/%s\n", v[i].time,
			       !strcmp(v[i].boot_id, boot) ? "this" : v[i].boot_id + 24, v[i].ops,
			       (v[i].bytes + 1023) / 1024, spool, v[i].name);
	}
	free(v);
	return SCX_EXIT_OK;
}
